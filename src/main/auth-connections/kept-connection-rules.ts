// How a connection kept here stands against what was last pushed and what the last sync saw:
// pure functions over SQLite's records, shared by the list, Review and the plan engine, so "what
// changed", "does it need a replace" and "was it changed in the dashboard" are decided once.
import { isUpdatableAuthType } from '../../shared/schemas/connection-definitions';
import type { Dependant } from '../../shared/schemas/inventory';
import type { KeptTargetState, PublicFieldValue } from '../../shared/schemas/kept-connections';
import type {
  KeptConnectionRecord,
  KeptConnectionTargetRecord,
  PublicDefinition,
  RemoteConnectionRecord,
} from './kept-connection-repository';

/** The change marker for the sensitive parts (their values are never compared, only their fingerprint). */
export const SECRETS_CHANGED = 'secrets';

/** Fields whose change the API cannot make in place, whatever the type: a new connection is needed. */
const REPLACE_FIELDS = new Set(['authType', 'name', 'tokenUrl']);

/** The name a target gives its remote connection: its own, or the kept connection's. */
export function effectiveConnectionName(
  connection: Pick<KeptConnectionRecord, 'name'>,
  target: Pick<KeptConnectionTargetRecord, 'remoteName'>,
): string {
  return target.remoteName ?? connection.name;
}

/** What a push sends besides the name and the sensitive parts, and what a target records as pushed. */
export function publicDefinitionOf(connection: Pick<KeptConnectionRecord, 'authType' | 'publicFields'>): PublicDefinition {
  return { authType: connection.authType, ...connection.publicFields };
}

/** JSON with sorted keys, so equal values compare equal whatever order they were written in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A pushed value an update can clear (by sending it empty): lists, maps, and `false` for a flag. */
function clearableByUpdate(value: PublicFieldValue | undefined): boolean {
  return value === undefined || Array.isArray(value) || typeof value === 'object' || typeof value === 'boolean';
}

/** What an update sends for a public field removed here since the last push: the empty form of the pushed one. */
export function clearedValue(pushed: PublicFieldValue): PublicFieldValue {
  if (Array.isArray(pushed)) return [];
  if (typeof pushed === 'boolean') return false;
  return {};
}

export interface ChangeSincePush {
  /** Changed fields by name (`secrets` for the sensitive parts, `name` for the name there). */
  changes: string[];
  /** The API cannot make the change in place: the type, the name or the token URL changed, or the type cannot be updated. */
  replaceNeeded: boolean;
}

/** What changed here since the target's last push (nothing for a target never pushed). */
export function changeSincePush(connection: KeptConnectionRecord, target: KeptConnectionTargetRecord): ChangeSincePush {
  if (target.pushedFingerprint === null || target.pushedFields === null) return { changes: [], replaceNeeded: false };
  const changes: string[] = [];
  if (target.pushedFingerprint !== connection.fingerprint) changes.push(SECRETS_CHANGED);
  if (target.pushedName !== effectiveConnectionName(connection, target)) changes.push('name');
  const now = publicDefinitionOf(connection);
  const pushed = target.pushedFields;
  for (const field of [...new Set([...Object.keys(now), ...Object.keys(pushed)])].sort()) {
    if (canonicalJson(now[field]) !== canonicalJson(pushed[field])) changes.push(field);
  }
  // An update can empty a list or a map, but not take a setting away: a removed one needs a new connection.
  const removedSetting = changes.some((field) => now[field] === undefined && !clearableByUpdate(pushed[field]));
  const replaceNeeded =
    removedSetting ||
    changes.some((field) => REPLACE_FIELDS.has(field)) ||
    (changes.length > 0 && !isUpdatableAuthType(connection.authType));
  return { changes, replaceNeeded };
}

/**
 * Public fields the last sync saw differently from the definition kept here (changed in the
 * dashboard). Only what the API returns is compared: map values are write-only, so maps are
 * compared by their keys.
 */
export function remoteDifferences(connection: KeptConnectionRecord, remote: RemoteConnectionRecord): string[] {
  const differences: string[] = [];
  if (remote.authType !== connection.authType) differences.push('authType');
  const fields = connection.publicFields;
  if (remote.provider !== null && fields.provider !== undefined && remote.provider !== fields.provider) differences.push('provider');
  for (const [field, value] of Object.entries(remote.details)) {
    if (field === 'extraParamNames' || field === 'customHeaderNames') {
      const map = fields[field === 'extraParamNames' ? 'extraParams' : 'customHeaders'];
      if (map === undefined || typeof map !== 'object' || Array.isArray(map)) continue;
      if (canonicalJson(Object.keys(map).sort()) !== canonicalJson([...(value as string[])].sort())) {
        differences.push(field === 'extraParamNames' ? 'extraParams' : 'customHeaders');
      }
      continue;
    }
    if (!(field in fields)) continue;
    if (canonicalJson(fields[field]) !== canonicalJson(value)) differences.push(field);
  }
  return differences;
}

export interface KeptTargetStanding extends ChangeSincePush {
  state: KeptTargetState;
}

/** How a target stands (SQLite only): the same rule order as local secrets' targets. */
export function keptTargetStanding(
  connection: KeptConnectionRecord,
  target: KeptConnectionTargetRecord,
  remote: RemoteConnectionRecord | undefined,
): KeptTargetStanding {
  const none = { changes: [], replaceNeeded: false };
  if (target.remoteConnectionId === null || target.pushedFingerprint === null) {
    return { state: target.pushedAt === null ? 'never_pushed' : 'missing_remotely', ...none };
  }
  if (!remote || remote.removed) return { state: 'missing_remotely', ...none };
  const change = changeSincePush(connection, target);
  if (change.changes.length > 0) return { state: 'changed_here', ...change };
  const differences = remoteDifferences(connection, remote);
  if (differences.length > 0) {
    return {
      state: 'changed_remotely',
      changes: differences,
      replaceNeeded: differences.some((field) => REPLACE_FIELDS.has(field)) || !isUpdatableAuthType(connection.authType),
    };
  }
  return { state: 'in_sync', ...none };
}

/** Who uses a remote connection, as the plan and its refusals name dependants (integrations as "other"). */
export function connectionDependants(usedBy: RemoteConnectionRecord['usedBy']): Dependant[] {
  const dependant = (kind: Dependant['kind'], user: { id: string; name: string | null }): Dependant => ({
    kind,
    id: user.id,
    name: user.name,
    access: 'available',
    accessLevel: null,
    createdAtUnix: null,
    phoneNumber: null,
    provider: null,
    referencedResourceIds: [],
  });
  return [
    ...usedBy.tools.map((user) => dependant('tool', user)),
    ...usedBy.mcpServers.map((user) => dependant('mcp_server', user)),
    ...usedBy.integrationConnections.map((user) => dependant('other', user)),
  ];
}
