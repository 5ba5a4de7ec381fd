// Opaque page cursors: base64url JSON, tagged with what they page over so a cursor sent with a
// different search, secret or resource type is refused rather than silently misread.
import { invalidCursor } from './errors';
import { isPlainObject } from './validation';

/** Position after the last secret of a page (order: name, then secret_id), bound to the search. */
export interface SecretListCursor {
  afterName: string;
  afterId: string;
  search: string;
}

export interface DependencyCursor {
  secretId: string;
  resourceType: string;
  offset: number;
}

function encode(payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function decode(raw: string, kind: string): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('The cursor is not valid. Pass the next_cursor of the previous page unchanged.');
  }
  if (!isPlainObject(payload) || payload.k !== kind) {
    throw invalidCursor('The cursor is not valid. Pass the next_cursor of the previous page unchanged.');
  }
  return payload;
}

export function encodeSecretListCursor(cursor: SecretListCursor): string {
  return encode({ k: 'secrets', n: cursor.afterName, i: cursor.afterId, s: cursor.search });
}

export function decodeSecretListCursor(raw: string, search: string): SecretListCursor {
  const payload = decode(raw, 'secrets');
  const { n, i, s } = payload;
  if (typeof n !== 'string' || typeof i !== 'string' || typeof s !== 'string') {
    throw invalidCursor('The cursor is not valid. Pass the next_cursor of the previous page unchanged.');
  }
  if (s !== search) throw invalidCursor('The cursor belongs to a different search; send the same search with it.');
  return { afterName: n, afterId: i, search: s };
}

export function encodeDependencyCursor(cursor: DependencyCursor): string {
  return encode({ k: 'dependencies', s: cursor.secretId, r: cursor.resourceType, o: cursor.offset });
}

export function decodeDependencyCursor(raw: string, secretId: string, resourceType: string): number {
  const { s, r, o } = decode(raw, 'dependencies');
  if (s !== secretId || r !== resourceType || typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
    throw invalidCursor('The cursor is not valid for this secret and resource type.');
  }
  return o;
}

/** Position after the last variable of a page (order: label, then id), bound to the list's filters. */
export interface VariableListCursor {
  afterLabel: string;
  afterId: string;
  /** The filters it was made for (label, environment, type), as one string. */
  filters: string;
}

export function encodeVariableListCursor(cursor: VariableListCursor): string {
  return encode({ k: 'environment_variables', l: cursor.afterLabel, i: cursor.afterId, f: cursor.filters });
}

export function decodeVariableListCursor(raw: string, filters: string): VariableListCursor {
  const { l, i, f } = decode(raw, 'environment_variables');
  if (typeof l !== 'string' || typeof i !== 'string' || typeof f !== 'string') {
    throw invalidCursor('The cursor is not valid. Pass the next_cursor of the previous page unchanged.');
  }
  if (f !== filters)
    throw invalidCursor('The cursor belongs to a different label, environment or type filter; send the same filters with it.');
  return { afterLabel: l, afterId: i, filters: f };
}
