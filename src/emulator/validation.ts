// Pydantic v2 / FastAPI style 422 bodies (README: Error bodies): items are
// {type, loc, msg, input[, ctx]} with no `url`.
import { ApiError } from './errors';

export type Loc = (string | number)[];

export interface ValidationIssue {
  type: string;
  loc: Loc;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

export class ValidationError extends ApiError {
  constructor(readonly issues: ValidationIssue[]) {
    super(422, issues);
    this.name = 'ValidationError';
  }
}

/** Pydantic's way of listing choices: 'a', 'b' or 'c'. */
function quotedChoices(values: readonly string[]): string {
  const quoted = values.map((value) => `'${value}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

export const issues = {
  missing: (loc: Loc, input: unknown): ValidationIssue => ({ type: 'missing', loc, msg: 'Field required', input }),
  stringType: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'string_type',
    loc,
    msg: 'Input should be a valid string',
    input,
  }),
  stringTooShort: (loc: Loc, input: unknown, minLength: number): ValidationIssue => ({
    type: 'string_too_short',
    loc,
    msg: `String should have at least ${minLength} character${minLength === 1 ? '' : 's'}`,
    input,
    ctx: { min_length: minLength },
  }),
  stringPattern: (loc: Loc, input: unknown, pattern: string): ValidationIssue => ({
    type: 'string_pattern_mismatch',
    loc,
    msg: `String should match pattern '${pattern}'`,
    input,
    ctx: { pattern },
  }),
  stringTooLong: (loc: Loc, input: unknown, maxLength: number): ValidationIssue => ({
    type: 'string_too_long',
    loc,
    msg: `String should have at most ${maxLength} characters`,
    input,
    ctx: { max_length: maxLength },
  }),
  boolType: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'bool_type',
    loc,
    msg: 'Input should be a valid boolean',
    input,
  }),
  intType: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'int_type',
    loc,
    msg: 'Input should be a valid integer',
    input,
  }),
  intFromFloat: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'int_from_float',
    loc,
    msg: 'Input should be a valid integer, got a number with a fractional part',
    input,
  }),
  intParsing: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'int_parsing',
    loc,
    msg: 'Input should be a valid integer, unable to parse string as an integer',
    input,
  }),
  greaterThanEqual: (loc: Loc, input: unknown, ge: number): ValidationIssue => ({
    type: 'greater_than_equal',
    loc,
    msg: `Input should be greater than or equal to ${ge}`,
    input,
    ctx: { ge },
  }),
  lessThanEqual: (loc: Loc, input: unknown, le: number): ValidationIssue => ({
    type: 'less_than_equal',
    loc,
    msg: `Input should be less than or equal to ${le}`,
    input,
    ctx: { le },
  }),
  listType: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'list_type',
    loc,
    msg: 'Input should be a valid list',
    input,
  }),
  dictType: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'dict_type',
    loc,
    msg: 'Input should be a valid dictionary',
    input,
  }),
  literalError: (loc: Loc, input: unknown, expected: string): ValidationIssue => ({
    type: 'literal_error',
    loc,
    msg: `Input should be ${quotedChoices([expected])}`,
    input,
    ctx: { expected: quotedChoices([expected]) },
  }),
  enumError: (loc: Loc, input: unknown, choices: readonly string[]): ValidationIssue => ({
    type: 'enum',
    loc,
    msg: `Input should be ${quotedChoices(choices)}`,
    input,
    ctx: { expected: quotedChoices(choices) },
  }),
  modelAttributesType: (loc: Loc, input: unknown): ValidationIssue => ({
    type: 'model_attributes_type',
    loc,
    msg: 'Input should be a valid dictionary or object to extract fields from',
    input,
  }),
  jsonInvalid: (error: string): ValidationIssue => ({
    type: 'json_invalid',
    loc: ['body', 0],
    msg: 'JSON decode error',
    input: {},
    ctx: { error },
  }),
};

export type FieldKind = 'string' | 'boolean' | 'integer' | 'stringList' | 'stringMap' | { literal: string } | { oneOf: readonly string[] };

export interface FieldSpec {
  kind: FieldKind;
  required?: boolean;
  /** Accepted on input, never stored or returned. */
  writeOnly?: boolean;
  minLength?: number;
  maxLength?: number;
  /** A regular expression the whole string must match. */
  pattern?: string;
  /** Bounds of an integer (pydantic `ge`/`le`). */
  minimum?: number;
  maximum?: number;
}

export type FieldSpecs = Record<string, FieldSpec>;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body must be a JSON object; FastAPI reports an absent body as a missing `body`. */
export function requireObjectBody(body: unknown): Record<string, unknown> {
  if (body === undefined) throw new ValidationError([issues.missing(['body'], null)]);
  if (!isPlainObject(body)) throw new ValidationError([issues.modelAttributesType(['body'], body)]);
  return body;
}

function checkStringMap(value: unknown, loc: Loc, found: ValidationIssue[]): void {
  if (!isPlainObject(value)) {
    found.push(issues.dictType(loc, value));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') found.push(issues.stringType([...loc, key], item));
  }
}

function checkValue(value: unknown, spec: FieldSpec, loc: Loc, found: ValidationIssue[]): void {
  const { kind } = spec;
  if (kind === 'string') {
    if (typeof value !== 'string') found.push(issues.stringType(loc, value));
    else if (spec.minLength !== undefined && value.length < spec.minLength) {
      found.push(issues.stringTooShort(loc, value, spec.minLength));
    } else if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      found.push(issues.stringTooLong(loc, value, spec.maxLength));
    } else if (spec.pattern !== undefined && !new RegExp(spec.pattern).test(value)) {
      found.push(issues.stringPattern(loc, value, spec.pattern));
    }
  } else if (kind === 'boolean') {
    if (typeof value !== 'boolean') found.push(issues.boolType(loc, value));
  } else if (kind === 'integer') {
    if (typeof value !== 'number') found.push(issues.intType(loc, value));
    else if (!Number.isInteger(value)) found.push(issues.intFromFloat(loc, value));
    else if (spec.minimum !== undefined && value < spec.minimum) found.push(issues.greaterThanEqual(loc, value, spec.minimum));
    else if (spec.maximum !== undefined && value > spec.maximum) found.push(issues.lessThanEqual(loc, value, spec.maximum));
  } else if (kind === 'stringList') {
    if (!Array.isArray(value)) found.push(issues.listType(loc, value));
    else value.forEach((item, index) => typeof item !== 'string' && found.push(issues.stringType([...loc, index], item)));
  } else if (kind === 'stringMap') {
    checkStringMap(value, loc, found);
  } else if ('literal' in kind) {
    if (value !== kind.literal) found.push(issues.literalError(loc, value, kind.literal));
  } else if (typeof value !== 'string' || !kind.oneOf.includes(value)) {
    found.push(issues.enumError(loc, value, kind.oneOf));
  }
}

/**
 * Checks `input` against `specs` and returns only the declared fields. Unknown fields are
 * ignored (pydantic's default); an optional field sent as null counts as absent.
 */
export function validateFields(input: Record<string, unknown>, specs: FieldSpecs, loc: Loc): Record<string, unknown> {
  const found: ValidationIssue[] = [];
  const values: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(specs)) {
    const value = input[field];
    if (value === undefined || (value === null && !spec.required)) {
      if (spec.required) found.push(issues.missing([...loc, field], input));
      continue;
    }
    checkValue(value, spec, [...loc, field], found);
    values[field] = value;
  }
  if (found.length > 0) throw new ValidationError(found);
  return values;
}

/** Integer query parameter in [min, max]; undefined when absent. */
export function intQueryParam(
  query: URLSearchParams,
  name: string,
  bounds: { min: number; max: number },
  found: ValidationIssue[],
): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const loc = ['query', name];
  if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
    found.push(issues.intParsing(loc, raw));
    return undefined;
  }
  const value = Number.parseInt(raw, 10);
  if (value < bounds.min) found.push(issues.greaterThanEqual(loc, raw, bounds.min));
  else if (value > bounds.max) found.push(issues.lessThanEqual(loc, raw, bounds.max));
  else return value;
  return undefined;
}

/** The tag of a pydantic discriminated union, with pydantic's errors for a missing or unknown one. */
export function discriminator<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const tag = body[field];
  if (tag === undefined) {
    throw new ValidationError([
      {
        type: 'union_tag_not_found',
        loc: ['body'],
        msg: `Unable to extract tag using discriminator '${field}'`,
        input: body,
        ctx: { discriminator: `'${field}'` },
      },
    ]);
  }
  if (typeof tag === 'string' && (allowed as readonly string[]).includes(tag)) return tag as T;
  const expected = allowed.map((allowedTag) => `'${allowedTag}'`).join(', ');
  throw new ValidationError([
    {
      type: 'union_tag_invalid',
      loc: ['body'],
      msg: `Input tag '${String(tag)}' found using '${field}' does not match any of the expected tags: ${expected}`,
      input: body,
      ctx: { discriminator: `'${field}'`, tag: String(tag), expected_tags: expected },
    },
  ]);
}
