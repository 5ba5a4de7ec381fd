// The environment-variable items of a plan: the user's edits (add a variable, set or clear a
// cell, add an environment) and promotions (one environment's values to another, in the same
// workspace or another), resolved against the last sync. Pure: no I/O. The plan engine stores
// the items and applies them like every other item.
import { PRODUCTION, type EnvironmentVariable, type VariableKind } from '../../shared/schemas/environment-variables';
import type { VariableCellInput, VariableEdit, VariablePromotion } from '../../shared/schemas/push';
import type { RemoteConnectionRecord } from '../auth-connections/kept-connection-repository';
import { credentialShape, describeCredentialShape } from '../environment-variables/credential-shape';
import { AppError } from '../errors';
import type { EnvironmentValueInput } from '../elevenlabs/types';
import type { RemoteSecretRecord } from '../local-secrets/local-secret-repository';
import type { PlannedItem } from './planner';

/** A value as sent to the API: a string, or a secret or connection id of the same workspace. */
export type WireValue = EnvironmentValueInput;

/** What an item sends: a create's type and values, or an update's changed environments (null clears one). */
export interface VariablePayload {
  variableType: VariableKind;
  values: Record<string, WireValue | null>;
}

/** One environment's change, as the plan shows it ("staging: secret “X” → cleared"). */
export interface CellChange {
  environment: string;
  before: string | null;
  after: string | null;
}

export type VariableItem = PlannedItem & { payload: VariablePayload };

export interface VariablePlanInput {
  /** The synced variables of every workspace the edits and promotion name. */
  variables: readonly EnvironmentVariable[];
  secrets: readonly RemoteSecretRecord[];
  connections: readonly RemoteConnectionRecord[];
  /** Workspace labels, for messages. */
  labelOf(workspaceId: string): string;
  edits: readonly VariableEdit[];
  promotion: VariablePromotion | null;
}

const VARIABLE_ITEM: Pick<
  PlannedItem,
  'kind' | 'localSecretId' | 'remoteSecretId' | 'keptConnectionId' | 'authType' | 'remoteConnectionId' | 'valueFingerprint'
> = {
  kind: 'variable',
  localSecretId: null,
  remoteSecretId: null,
  keptConnectionId: null,
  authType: null,
  remoteConnectionId: null,
  valueFingerprint: null,
};

/** How a value reads in the plan: the string, or what the reference names. */
function describe(value: EnvironmentVariable['values'][number] | undefined): string | null {
  if (!value) return null;
  if (value.kind === 'string') return value.value ?? `(withheld: looks like a credential, ${value.withheld?.length ?? 0} characters)`;
  const noun = value.kind === 'secret' ? 'secret' : 'connection';
  return `${noun} “${value.reference?.name ?? value.reference?.id ?? '?'}”`;
}

function describeWire(value: WireValue, names: { secret(id: string): string; connection(id: string): string }): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'secret':
      return `secret “${names.secret(value.secretId)}”`;
    case 'auth_connection':
      return `connection “${names.connection(value.authConnectionId)}”`;
  }
}

/** The same value (by what is sent), so an edit that changes nothing sends nothing. */
function sameValue(current: EnvironmentVariable['values'][number] | undefined, next: WireValue | null): boolean {
  if (!current || !next) return !current && !next;
  if (next.kind === 'string') return current.kind === 'string' && current.value === next.value;
  if (next.kind === 'secret') return current.kind === 'secret' && current.reference?.id === next.secretId;
  return current.kind === 'auth_connection' && current.reference?.id === next.authConnectionId;
}

export function computeVariablePlan(input: VariablePlanInput): { items: VariableItem[]; notes: string[] } {
  const key = (workspaceId: string, name: string) => `${workspaceId}\u0000${name}`;
  const secretsByName = new Map<string, RemoteSecretRecord>();
  const secretNames = new Map<string, string>();
  for (const s of input.secrets) {
    secretNames.set(key(s.workspaceId, s.secretId), s.name);
    if (!s.removed && !secretsByName.has(key(s.workspaceId, s.name))) secretsByName.set(key(s.workspaceId, s.name), s);
  }
  const connectionsByName = new Map<string, RemoteConnectionRecord>();
  const connectionNames = new Map<string, string>();
  for (const c of input.connections) {
    connectionNames.set(key(c.workspaceId, c.connectionId), c.name);
    if (!c.removed && !connectionsByName.has(key(c.workspaceId, c.name))) connectionsByName.set(key(c.workspaceId, c.name), c);
  }
  const variablesByLabel = new Map<string, EnvironmentVariable>();
  for (const v of input.variables) if (v.removedRemotelyAt === null) variablesByLabel.set(key(v.workspaceId, v.label), v);

  /** Per (workspace, label): the environments to change, merged across edits and the promotion. */
  const planned = new Map<
    string,
    { workspaceId: string; label: string; type: VariableKind | null; values: Map<string, WireValue | null> }
  >();
  const notes: string[] = [];
  const target = (workspaceId: string, label: string, type: VariableKind | null) => {
    const k = key(workspaceId, label);
    let entry = planned.get(k);
    if (!entry) {
      entry = { workspaceId, label, type, values: new Map() };
      planned.set(k, entry);
    }
    entry.type ??= type;
    return entry;
  };

  // Edits: bad input is refused whole, naming the field (nothing is planned).
  input.edits.forEach((edit, index) => {
    const field = (environment?: string) => `variableEdits.${index}${environment === undefined ? '' : `.values.${environment}`}`;
    const existing = variablesByLabel.get(key(edit.workspaceId, edit.label));
    const workspace = input.labelOf(edit.workspaceId);
    const kinds = new Set(Object.values(edit.values).flatMap((cell) => (cell ? [cell.kind] : [])));
    if (kinds.size > 1) {
      throw new AppError(
        'invalid_request',
        `Invalid request: ${field()}.values: a variable holds one kind of value in every environment.`,
        {
          field: `${field()}.values`,
        },
      );
    }
    const kind = (existing?.type as VariableKind | undefined) ?? [...kinds][0] ?? null;
    if (existing && kinds.size === 1 && !kinds.has(existing.type as VariableKind)) {
      throw new AppError(
        'invalid_request',
        `Invalid request: ${field()}.values: “${edit.label}” in “${workspace}” holds ${existing.type} values, not ${[...kinds][0]}.`,
        { field: `${field()}.values` },
      );
    }
    if (existing && edit.add) {
      throw new AppError(
        'invalid_request',
        `Invalid request: ${field()}.label: “${workspace}” already has a variable labelled “${edit.label}”: edit its values instead.`,
        {
          field: `${field()}.label`,
        },
      );
    }
    if (!existing && (edit.values[PRODUCTION] === undefined || edit.values[PRODUCTION] === null)) {
      throw new AppError(
        'invalid_request',
        `Invalid request: ${field(PRODUCTION)}: “${edit.label}” is new in “${workspace}”, and a new variable needs a production value.`,
        { field: field(PRODUCTION) },
      );
    }
    const entry = target(edit.workspaceId, edit.label, kind);
    for (const [environment, cell] of Object.entries(edit.values)) {
      if (cell === null && environment === PRODUCTION) {
        throw new AppError(
          'invalid_request',
          `Invalid request: ${field(environment)}: production cannot be cleared; every variable has it.`,
          {
            field: field(environment),
          },
        );
      }
      entry.values.set(environment, cell === null ? null : resolveCell(cell, edit.workspaceId, field(environment)));
    }
  });

  function resolveCell(cell: VariableCellInput, workspaceId: string, field: string): WireValue {
    if (cell.kind === 'string') {
      // A key pasted into a plain string would be stored with the plan and shown in it: never kept.
      const shape = credentialShape(cell.value);
      if (shape) {
        throw new AppError(
          'invalid_request',
          `Invalid request: ${field}.value looks like a credential (${describeCredentialShape(shape)}): keep it in a workspace secret and set this environment to that secret.`,
          { field: `${field}.value` },
        );
      }
      return { kind: 'string', value: cell.value };
    }
    if (cell.kind === 'secret') {
      const secret = secretsByName.get(key(workspaceId, cell.name));
      if (!secret) {
        throw new AppError(
          'invalid_request',
          `Invalid request: ${field}: “${input.labelOf(workspaceId)}” has no secret named “${cell.name}” as of the last sync.`,
          { field },
        );
      }
      return { kind: 'secret', secretId: secret.secretId };
    }
    const connection = connectionsByName.get(key(workspaceId, cell.name));
    if (!connection) {
      throw new AppError(
        'invalid_request',
        `Invalid request: ${field}: “${input.labelOf(workspaceId)}” has no auth connection named “${cell.name}” as of the last sync.`,
        { field },
      );
    }
    return { kind: 'auth_connection', authConnectionId: connection.connectionId };
  }

  // A promotion: each source value, its references resolved by name in the target; what cannot be is said, not sent.
  const promotion = input.promotion;
  if (promotion) {
    const { from, to } = promotion;
    const fromLabel = input.labelOf(from.workspaceId);
    const toLabel = input.labelOf(to.workspaceId);
    const wanted = promotion.labels ? new Set(promotion.labels) : null;
    const sources = input.variables
      .filter((v) => v.workspaceId === from.workspaceId && v.removedRemotelyAt === null && (!wanted || wanted.has(v.label)))
      .sort((a, b) => (a.label < b.label ? -1 : 1));
    for (const label of wanted ?? []) {
      if (!sources.some((v) => v.label === label)) notes.push(`“${label}” is not a variable of “${fromLabel}”: nothing to promote.`);
    }
    for (const source of sources) {
      const value = source.values.find((v) => v.environment === from.environment);
      if (!value) {
        if (wanted) notes.push(`“${source.label}” has no ${from.environment} value in “${fromLabel}”: nothing to promote.`);
        continue;
      }
      let wire: WireValue;
      if (value.kind === 'string') {
        if (value.value === null) {
          // Never read by the app (it looks like a credential): it cannot be copied, and should be a secret.
          notes.push(
            `“${source.label}”: its ${from.environment} value looks like a credential, so Agent Keyring never reads it: make it a secret, then promote the secret.`,
          );
          continue;
        }
        wire = { kind: 'string', value: value.value };
      } else {
        const name = value.reference?.name ?? null;
        const isSecret = value.kind === 'secret';
        const found = name === null ? undefined : (isSecret ? secretsByName : connectionsByName).get(key(to.workspaceId, name));
        if (!found) {
          notes.push(
            name === null
              ? `“${source.label}”: its ${from.environment} ${isSecret ? 'secret' : 'connection'} is not in the synced inventory of “${fromLabel}”, so it cannot be found by name in “${toLabel}”.`
              : `“${source.label}”: “${toLabel}” has no ${isSecret ? 'secret' : 'auth connection'} named “${name}”: push it there first, then promote again.`,
          );
          continue;
        }
        wire = isSecret
          ? { kind: 'secret', secretId: (found as RemoteSecretRecord).secretId }
          : { kind: 'auth_connection', authConnectionId: (found as RemoteConnectionRecord).connectionId };
      }
      const existing = variablesByLabel.get(key(to.workspaceId, source.label));
      if (existing && existing.type !== source.type) {
        notes.push(
          `“${source.label}” holds ${existing.type} values in “${toLabel}” and ${source.type} values in “${fromLabel}”: left alone.`,
        );
        continue;
      }
      if (!existing && to.environment !== PRODUCTION) {
        notes.push(
          `“${source.label}” is not in “${toLabel}”, and a new variable needs a production value: promote to production first, or add it.`,
        );
        continue;
      }
      target(to.workspaceId, source.label, source.type as VariableKind).values.set(to.environment, wire);
    }
  }

  const names = {
    secret: (workspaceId: string) => (id: string) => secretNames.get(key(workspaceId, id)) ?? id,
    connection: (workspaceId: string) => (id: string) => connectionNames.get(key(workspaceId, id)) ?? id,
  };
  const items: VariableItem[] = [];
  for (const entry of planned.values()) {
    const existing = variablesByLabel.get(key(entry.workspaceId, entry.label));
    const describeIn = { secret: names.secret(entry.workspaceId), connection: names.connection(entry.workspaceId) };
    const values: Record<string, WireValue | null> = {};
    const cells: CellChange[] = [];
    for (const [environment, next] of [...entry.values].sort(([a], [b]) =>
      a === PRODUCTION ? -1 : b === PRODUCTION ? 1 : a < b ? -1 : 1,
    )) {
      const current = existing?.values.find((v) => v.environment === environment);
      if (existing && sameValue(current, next)) continue;
      if (!existing && next === null) continue;
      values[environment] = next;
      cells.push({ environment, before: describe(current), after: next === null ? null : describeWire(next, describeIn) });
    }
    const base = {
      ...VARIABLE_ITEM,
      workspaceId: entry.workspaceId,
      reasons: [],
      changes: cells.map((c) => c.environment),
      remoteName: existing?.label ?? null,
      newName: entry.label,
      remoteVariableId: existing?.variableId ?? null,
      payload: { variableType: entry.type ?? 'string', values },
      cells,
    };
    items.push({ ...base, action: existing ? (cells.length ? 'update' : 'unchanged') : 'create' });
  }
  return { items, notes };
}
