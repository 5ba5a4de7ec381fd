// Workspace environment variables (README: Environment variables): request validation for create
// and update, and the reply shape. A variable is a label with one value per environment
// (`production` always); every value is of the variable's type: a string, a secret reference or
// an auth connection reference. Written from the README (the published spec), not from the app.
import { apiError } from './errors';
import { type Loc, type ValidationIssue, ValidationError, discriminator, isPlainObject, issues, requireObjectBody } from './validation';

export const VARIABLE_TYPES = ['string', 'secret', 'auth_connection'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

export const PRODUCTION = 'production';

/** The emulator's own label rule (README: Known unknowns): what `{{system_env__<label>}}` can hold. */
export const LABEL_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const LABEL_MAX = 100;
/** The emulator's own rule for environment names (README: Known unknowns). */
export const ENVIRONMENT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,49}$/;

/** A value as kept and returned (wire form). */
export type StoredValue = string | { secret_id: string } | { auth_connection_id: string };

export interface StoredVariable {
  id: string;
  label: string;
  type: VariableType;
  values: Map<string, StoredValue>;
  createdAtUnixSecs: number;
  updatedAtUnixSecs: number;
  createdByUserId: string | null;
}

export interface NewVariable {
  type: VariableType;
  label: string;
  values: Map<string, StoredValue>;
}

/** null removes that environment. */
export type VariableChanges = Map<string, StoredValue | null>;

const REFERENCE_FIELD: Record<Exclude<VariableType, 'string'>, 'secret_id' | 'auth_connection_id'> = {
  secret: 'secret_id',
  auth_connection: 'auth_connection_id',
};

/** One value of a given type, checked as pydantic would (string minLength 1, or {secret_id} / {auth_connection_id}). */
function checkValue(type: VariableType, value: unknown, loc: Loc, found: ValidationIssue[]): StoredValue | undefined {
  if (type === 'string') {
    if (typeof value !== 'string') found.push(issues.stringType(loc, value));
    else if (value.length < 1) found.push(issues.stringTooShort(loc, value, 1));
    else return value;
    return undefined;
  }
  const field = REFERENCE_FIELD[type];
  if (!isPlainObject(value)) {
    found.push(issues.modelAttributesType(loc, value));
    return undefined;
  }
  const id = value[field];
  if (id === undefined) found.push(issues.missing([...loc, field], value));
  else if (typeof id !== 'string') found.push(issues.stringType([...loc, field], id));
  else return (type === 'secret' ? { secret_id: id } : { auth_connection_id: id }) as StoredValue;
  return undefined;
}

/** What kind a patch value is, from its shape (the update body is an untagged union). */
function kindOfValue(value: unknown): VariableType | undefined {
  if (typeof value === 'string') return 'string';
  if (!isPlainObject(value)) return undefined;
  if ('secret_id' in value) return 'secret';
  if ('auth_connection_id' in value) return 'auth_connection';
  return undefined;
}

function checkEnvironmentNames(names: string[]): void {
  const bad = names.find((name) => !ENVIRONMENT_PATTERN.test(name));
  if (bad !== undefined) {
    throw apiError(
      400,
      'invalid_environment',
      `Environment name ${JSON.stringify(bad)} is not valid: use 1 to 50 lower-case letters, digits, '_' or '-', starting with a letter or digit.`,
    );
  }
}

export function parseCreateVariable(body: unknown): NewVariable {
  const input = requireObjectBody(body);
  const type = discriminator(input, 'type', VARIABLE_TYPES);
  const loc: Loc = ['body', type];
  const found: ValidationIssue[] = [];
  const label = input.label;
  if (label === undefined) found.push(issues.missing([...loc, 'label'], input));
  else if (typeof label !== 'string') found.push(issues.stringType([...loc, 'label'], label));
  else if (label.length < 1) found.push(issues.stringTooShort([...loc, 'label'], label, 1));
  else if (label.length > LABEL_MAX) found.push(issues.stringTooLong([...loc, 'label'], label, LABEL_MAX));
  else if (!new RegExp(LABEL_PATTERN).test(label)) found.push(issues.stringPattern([...loc, 'label'], label, LABEL_PATTERN));
  const values = new Map<string, StoredValue>();
  const rawValues = input.values;
  if (rawValues === undefined) found.push(issues.missing([...loc, 'values'], input));
  else if (!isPlainObject(rawValues)) found.push(issues.dictType([...loc, 'values'], rawValues));
  else {
    for (const [environment, raw] of Object.entries(rawValues)) {
      const value = checkValue(type, raw, [...loc, 'values', environment], found);
      if (value !== undefined) values.set(environment, value);
    }
  }
  if (found.length > 0) throw new ValidationError(found);
  checkEnvironmentNames([...values.keys()]);
  if (!values.has(PRODUCTION)) {
    throw apiError(400, 'production_value_required', "values must include 'production': every variable has a production value.");
  }
  return { type, label: label as string, values };
}

/** The update body: `{values}`, each a string (min 1), a reference, or null. Kinds are checked against the variable later. */
export function parseUpdateVariable(body: unknown): VariableChanges {
  const input = requireObjectBody(body);
  const found: ValidationIssue[] = [];
  const changes: VariableChanges = new Map();
  const rawValues = input.values;
  if (rawValues === undefined) found.push(issues.missing(['body', 'values'], input));
  else if (!isPlainObject(rawValues)) found.push(issues.dictType(['body', 'values'], rawValues));
  else {
    for (const [environment, raw] of Object.entries(rawValues)) {
      const loc: Loc = ['body', 'values', environment];
      if (raw === null) {
        changes.set(environment, null);
        continue;
      }
      const kind = kindOfValue(raw);
      if (kind === undefined) {
        found.push(issues.modelAttributesType(loc, raw));
        continue;
      }
      const value = checkValue(kind, raw, loc, found);
      if (value !== undefined) changes.set(environment, value);
    }
  }
  if (found.length > 0) throw new ValidationError(found);
  checkEnvironmentNames([...changes.keys()]);
  if (changes.get(PRODUCTION) === null) {
    throw apiError(400, 'production_value_required', "The 'production' value cannot be removed; set another value instead.");
  }
  return changes;
}

export function valueType(value: StoredValue): VariableType {
  if (typeof value === 'string') return 'string';
  return 'secret_id' in value ? 'secret' : 'auth_connection';
}

/** The reply shape; with `environment`, only that environment's value (the list's filter). */
export function variableView(variable: StoredVariable, workspaceId: string, environment?: string): Record<string, unknown> {
  const entries = [...variable.values.entries()].filter(([name]) => environment === undefined || name === environment);
  return {
    id: variable.id,
    label: variable.label,
    type: variable.type,
    workspace_id: workspaceId,
    values: Object.fromEntries(entries.map(([name, value]) => [name, typeof value === 'string' ? value : { ...value }])),
    created_at_unix_secs: variable.createdAtUnixSecs,
    updated_at_unix_secs: variable.updatedAtUnixSecs,
    created_by_user_id: variable.createdByUserId,
  };
}
