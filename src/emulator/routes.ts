// The /v1 routes: what each needs (permission, query, body) and what it answers. HTTP plumbing,
// auth and faults live in server.ts.
import { parseCreateAuthConnection, parseUpdateAuthConnection } from './auth-connections';
import { ENVIRONMENT_PATTERN, VARIABLE_TYPES, type VariableType, parseCreateVariable, parseUpdateVariable } from './environment-variables';
import { apiError } from './errors';
import type { EmulatorPermission } from './types';
import { subscriptionBody, userBody } from './user';
import {
  type FieldSpecs,
  type ValidationIssue,
  ValidationError,
  intQueryParam,
  issues,
  requireObjectBody,
  validateFields,
} from './validation';
import { DEPENDENCY_RESOURCE_TYPES, type DependencyResourceType, type WorkspaceState } from './workspace-state';

export interface RouteRequest {
  state: WorkspaceState;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body; undefined when there was none. */
  body: unknown;
  now: Date;
}

export interface Reply {
  status: number;
  /** undefined: no body (204). */
  body?: unknown;
}

export interface Route {
  method: string;
  /** e.g. '/v1/convai/secrets/{secret_id}'; also the key in stats().byRoute (with the method). */
  pattern: string;
  permission: EmulatorPermission;
  handle(request: RouteRequest): Reply;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

const PAGE_SIZE_BOUNDS = { min: 1, max: 100 };
const SECRET_NAME_MAX = 100;
const SECRET_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';
const DEFAULT_DEPENDENCY_PAGE_SIZE = 20;
const DEFAULT_VARIABLE_PAGE_SIZE = 100;

function secretBodySpecs(type: 'new' | 'update'): FieldSpecs {
  return {
    type: { kind: { literal: type }, required: true },
    // The app's own rule for secret names (README: Known unknowns): the live API's is not published.
    name: { kind: 'string', required: true, minLength: 1, maxLength: SECRET_NAME_MAX, pattern: SECRET_NAME_PATTERN },
    value: { kind: 'string', required: true, minLength: 1 },
  };
}

function parseSecretBody(body: unknown, type: 'new' | 'update'): { name: string; value: string } {
  const { name, value } = validateFields(requireObjectBody(body), secretBodySpecs(type), ['body']);
  return { name: String(name), value: String(value) };
}

function optionalQuery(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

function throwIfAny(found: ValidationIssue[]): void {
  if (found.length > 0) throw new ValidationError(found);
}

function listSecrets({ state, query }: RouteRequest): Reply {
  const found: ValidationIssue[] = [];
  const pageSize = intQueryParam(query, 'page_size', PAGE_SIZE_BOUNDS, found);
  const dependencyLimit = intQueryParam(query, 'dependency_limit', PAGE_SIZE_BOUNDS, found);
  throwIfAny(found);
  return ok(
    state.listSecrets({
      pageSize,
      dependencyLimit,
      cursor: optionalQuery(query, 'cursor'),
      search: query.get('search') ?? '',
    }),
  );
}

function isDependencyResourceType(value: string): value is DependencyResourceType {
  return (DEPENDENCY_RESOURCE_TYPES as readonly string[]).includes(value);
}

function secretDependencies({ state, params, query }: RouteRequest): Reply {
  const found: ValidationIssue[] = [];
  const resourceType = params.resource_type ?? '';
  if (!isDependencyResourceType(resourceType)) {
    found.push(issues.enumError(['path', 'resource_type'], resourceType, DEPENDENCY_RESOURCE_TYPES));
  }
  const pageSize = intQueryParam(query, 'page_size', PAGE_SIZE_BOUNDS, found);
  throwIfAny(found);
  return ok(
    state.secretDependencies(
      params.secret_id ?? '',
      resourceType as DependencyResourceType,
      pageSize ?? DEFAULT_DEPENDENCY_PAGE_SIZE,
      optionalQuery(query, 'cursor'),
    ),
  );
}

/** The variables list: page_size 1–100 (default 100), exact label, environment and type filters. */
function listVariables({ state, query }: RouteRequest): Reply {
  const found: ValidationIssue[] = [];
  const pageSize = intQueryParam(query, 'page_size', PAGE_SIZE_BOUNDS, found);
  const type = optionalQuery(query, 'type');
  if (type !== undefined && !(VARIABLE_TYPES as readonly string[]).includes(type)) {
    found.push(issues.enumError(['query', 'type'], type, VARIABLE_TYPES));
  }
  throwIfAny(found);
  const environment = optionalQuery(query, 'environment');
  if (environment !== undefined && !ENVIRONMENT_PATTERN.test(environment)) {
    throw apiError(400, 'invalid_environment', `Environment filter ${JSON.stringify(environment)} is not a valid environment name.`);
  }
  return ok(
    state.listVariables({
      pageSize: pageSize ?? DEFAULT_VARIABLE_PAGE_SIZE,
      cursor: optionalQuery(query, 'cursor'),
      label: optionalQuery(query, 'label'),
      environment,
      type: type as VariableType | undefined,
    }),
  );
}

export const ROUTES: Route[] = [
  { method: 'GET', pattern: '/v1/convai/secrets', permission: 'convai_read', handle: listSecrets },
  {
    method: 'POST',
    pattern: '/v1/convai/secrets',
    permission: 'convai_write',
    handle: ({ state, body }) => {
      const { name, value } = parseSecretBody(body, 'new');
      return ok(state.createSecret(name, value));
    },
  },
  {
    method: 'GET',
    pattern: '/v1/convai/secrets/{secret_id}',
    permission: 'convai_read',
    handle: ({ state, params }) => ok(state.getSecret(params.secret_id ?? '')),
  },
  {
    method: 'PATCH',
    pattern: '/v1/convai/secrets/{secret_id}',
    permission: 'convai_write',
    handle: ({ state, params, body }) => {
      const { name, value } = parseSecretBody(body, 'update');
      return ok(state.updateSecret(params.secret_id ?? '', name, value));
    },
  },
  {
    method: 'DELETE',
    pattern: '/v1/convai/secrets/{secret_id}',
    permission: 'convai_write',
    handle: ({ state, params }) => {
      state.deleteSecret(params.secret_id ?? '');
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    pattern: '/v1/convai/secrets/{secret_id}/dependencies/{resource_type}',
    permission: 'convai_read',
    handle: secretDependencies,
  },
  {
    method: 'GET',
    pattern: '/v1/workspace/auth-connections',
    permission: 'workspace_read',
    handle: ({ state }) => ok(state.listAuthConnections()),
  },
  {
    method: 'POST',
    pattern: '/v1/workspace/auth-connections',
    permission: 'workspace_write',
    handle: ({ state, body, now }) => ok(state.createAuthConnection(parseCreateAuthConnection(body), now)),
  },
  {
    method: 'PATCH',
    pattern: '/v1/workspace/auth-connections/{auth_connection_id}',
    permission: 'workspace_write',
    handle: ({ state, params, body, now }) =>
      ok(state.updateAuthConnection(params.auth_connection_id ?? '', parseUpdateAuthConnection(body), now)),
  },
  {
    method: 'DELETE',
    pattern: '/v1/workspace/auth-connections/{auth_connection_id}',
    permission: 'workspace_write',
    handle: ({ state, params }) => {
      state.deleteAuthConnection(params.auth_connection_id ?? '');
      return ok({ status: 'ok' });
    },
  },
  { method: 'GET', pattern: '/v1/convai/environment-variables', permission: 'convai_read', handle: listVariables },
  {
    method: 'POST',
    pattern: '/v1/convai/environment-variables',
    permission: 'convai_write',
    handle: ({ state, body, now }) => ok(state.createVariable(parseCreateVariable(body), now)),
  },
  {
    method: 'GET',
    pattern: '/v1/convai/environment-variables/{env_var_id}',
    permission: 'convai_read',
    handle: ({ state, params }) => ok(state.getVariable(params.env_var_id ?? '')),
  },
  {
    method: 'PATCH',
    pattern: '/v1/convai/environment-variables/{env_var_id}',
    permission: 'convai_write',
    handle: ({ state, params, body, now }) => ok(state.updateVariable(params.env_var_id ?? '', parseUpdateVariable(body), now)),
  },
  { method: 'GET', pattern: '/v1/user', permission: 'user_read', handle: ({ state }) => ok(userBody(state.profile)) },
  {
    method: 'GET',
    pattern: '/v1/user/subscription',
    permission: 'user_read',
    handle: ({ state }) => ok(subscriptionBody(state.profile)),
  },
];

export type RouteMatch =
  { kind: 'route'; route: Route; params: Record<string, string> } | { kind: 'wrong_method'; allowed: string[] } | { kind: 'none' };

/** Path params arrive percent-encoded (README: Requests and replies); bad encodings match nothing. */
function matchPattern(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] as string;
    const segment = segments[i] as string;
    if (part.startsWith('{')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

export function matchRoute(method: string, pathname: string): RouteMatch {
  const segments = pathname.split('/');
  const allowed: string[] = [];
  for (const route of ROUTES) {
    const params = matchPattern(route.pattern, segments);
    if (params === undefined) continue;
    if (route.method === method) return { kind: 'route', route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'wrong_method', allowed } : { kind: 'none' };
}
