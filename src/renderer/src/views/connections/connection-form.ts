// Turns a connection form (every field typed as text, a checkbox or rows of targets) into the
// request main checks, with the contract's own schemas: the form refuses what main would, and
// each error names its field.
import type { FieldErrors, Resolver, ResolverResult } from 'react-hook-form';
import { type ZodType } from 'zod';
import {
  ConnectionNameSchema,
  connectionFields,
  type ConnectionAuthType,
  type ConnectionFieldInfo,
} from '../../../../shared/schemas/connection-definitions';
import {
  DefinitionEditSchema,
  DefinitionRequestSchema,
  fileFields,
  type DefinitionEdit,
  type DefinitionRequest,
  type KeptConnection,
} from '../../../../shared/schemas/kept-connections';
import type { WorkspaceSummary } from '../../../../shared/schemas/workspaces';

export interface TargetRowValue {
  workspaceId: string;
  selected: boolean;
  remoteName: string;
}

export interface ConnectionFormValues {
  values: Record<string, string | boolean>;
  targets: TargetRowValue[];
  /** When editing: optional sensitive parts to remove (sent as null; main deletes their keychain entries). */
  removed?: Record<string, boolean>;
}

export interface ConnectionFormOutput {
  definition: DefinitionRequest | DefinitionEdit;
  targets: { workspaceId: string; remoteName: string | null }[];
}

const fileFieldSet = new Set<string>(fileFields);

/** PEM material, and a JWT signing key (PEM for RS algorithms): multi-line, pasted or read from a file. */
export function isMultiline(field: string, info: ConnectionFieldInfo): boolean {
  return info.input === 'pem' || fileFieldSet.has(field);
}

export function fieldsOf(authType: ConnectionAuthType): [string, ConnectionFieldInfo][] {
  return Object.entries(connectionFields[authType]);
}

/** The form's starting values: a kept connection's public fields, never a sensitive one. */
export function initialValues(authType: ConnectionAuthType, fields: Record<string, unknown> = {}): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const [field, info] of fieldsOf(authType)) {
    const value = info.sensitive ? undefined : fields[field];
    if (info.input === 'boolean') values[field] = value === true;
    else if (info.input === 'list') values[field] = Array.isArray(value) ? value.join('\n') : '';
    else if (info.input === 'map')
      values[field] =
        value && typeof value === 'object' && !Array.isArray(value)
          ? Object.entries(value as Record<string, string>)
              .map(([k, v]) => `${k}=${v}`)
              .join('\n')
          : '';
    else if (info.input === 'choice') values[field] = typeof value === 'string' ? value : (info.choices?.[0] ?? '');
    else values[field] = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  }
  return values;
}

export function targetRowsOf(workspaces: WorkspaceSummary[], connection?: KeptConnection): TargetRowValue[] {
  return workspaces.map((workspace) => {
    const target = connection?.targets.find((t) => t.workspaceId === workspace.id);
    return { workspaceId: workspace.id, selected: Boolean(target), remoteName: target && !target.followsName ? target.remoteName : '' };
  });
}

type Problem = { path: string; message: string };

/** "name=value" per line → a map; a line without "=" is refused by its number. */
function parseMap(text: string, problems: Problem[], field: string): Record<string, string> {
  const map: Record<string, string> = {};
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const at = line.indexOf('=');
    if (at < 1) {
      problems.push({ path: field, message: `line ${index + 1} must be name=value` });
      return;
    }
    map[line.slice(0, at).trim()] = line.slice(at + 1);
  });
  return map;
}

/** Whether an edit may remove this part: an optional sensitive one that is kept. */
export function isRemovable(info: ConnectionFieldInfo, mode: 'create' | 'edit', kept: boolean): boolean {
  return mode === 'edit' && kept && info.sensitive && !info.required;
}

/**
 * The definition the form describes; sensitive fields left empty are left out (unchanged, when
 * editing), and those marked removed are null.
 */
function definitionOf(
  authType: ConnectionAuthType,
  mode: 'create' | 'edit',
  values: Record<string, string | boolean>,
  problems: Problem[],
  removed: Record<string, boolean> = {},
) {
  const definition: Record<string, unknown> = { authType };
  for (const [field, info] of fieldsOf(authType)) {
    const raw = values[field];
    if (info.input === 'boolean') {
      definition[field] = raw === true;
      continue;
    }
    const text = typeof raw === 'string' ? raw : '';
    if (info.sensitive && mode === 'edit' && !info.required && removed[field] === true) {
      if (text !== '') problems.push({ path: field, message: 'cannot be both replaced and removed: clear it, or untick Remove' });
      else definition[field] = null;
      continue;
    }
    if (info.sensitive) {
      // A new connection's required part left empty is refused as empty ("must not be empty").
      if (text !== '' || (info.required && mode === 'create')) definition[field] = text;
      continue;
    }
    if (info.input === 'list') definition[field] = text.split(/[\s,]+/).filter(Boolean);
    else if (info.input === 'map') definition[field] = parseMap(text, problems, field);
    else if (info.input === 'integer') {
      if (text.trim() !== '') definition[field] = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
    } else if (text.trim() !== '' || info.required) definition[field] = text;
  }
  return definition;
}

/** A resolver checking with the contract's schemas; errors land on `values.<field>` or `targets.<i>.remoteName`. */
export function connectionResolver(
  authType: ConnectionAuthType,
  mode: 'create' | 'edit',
): Resolver<ConnectionFormValues, unknown, ConnectionFormOutput> {
  const schema = (mode === 'create' ? DefinitionRequestSchema : DefinitionEditSchema) as ZodType;
  return (form) => {
    const problems: Problem[] = [];
    const definition = definitionOf(authType, mode, form.values, problems, form.removed);
    const checked = schema.safeParse(definition);
    if (!checked.success) {
      for (const issue of checked.error.issues) {
        const field = String(issue.path[0] ?? '');
        if (!field || field === 'authType') continue;
        // zod reports a bad map key as "Invalid key in record"; the key's own rule says what is wrong.
        const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
        problems.push({ path: field, message: inner ? `entry “${String(issue.path[1])}” ${inner}` : issue.message });
      }
    }
    const targets: ConnectionFormOutput['targets'] = [];
    const targetErrors: Record<number, { remoteName: { type: string; message: string } }> = {};
    form.targets.forEach((row, index) => {
      if (!row.selected) return;
      const name = row.remoteName.trim();
      if (name) {
        const ok = ConnectionNameSchema.safeParse(name);
        if (!ok.success)
          targetErrors[index] = { remoteName: { type: 'validation', message: ok.error.issues[0]?.message ?? 'is not valid' } };
      }
      targets.push({ workspaceId: row.workspaceId, remoteName: name || null });
    });
    if (problems.length || Object.keys(targetErrors).length) {
      const values: Record<string, { type: string; message: string }> = {};
      for (const problem of problems) values[problem.path] ??= { type: 'validation', message: problem.message };
      const errors = { ...(problems.length ? { values } : {}), ...(Object.keys(targetErrors).length ? { targets: targetErrors } : {}) };
      return { values: {}, errors: errors as unknown as FieldErrors<ConnectionFormValues> } as ResolverResult<
        ConnectionFormValues,
        ConnectionFormOutput
      >;
    }
    return { values: { definition: checked.data as DefinitionRequest, targets }, errors: {} };
  };
}
