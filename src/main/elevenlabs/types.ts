import type { Dependant } from '../../shared/schemas/inventory';

/** A secret as the API lists it, mapped out of the SDK's types. It never has a value. */
export interface RemoteSecret {
  secretId: string;
  name: string;
  dependants: Dependant[];
  /** Lists the API cut short (`*_has_more`). */
  truncated: { tools: boolean; agents: boolean; phoneNumbers: boolean };
}

export type DependencyResourceType = 'tools' | 'agents' | 'phone_numbers';

export interface RemoteAuthConnection {
  connectionId: string;
  name: string;
  authType: string;
  provider: string | null;
  status: string | null;
  statusDetail: string | null;
  details: Record<string, string | number | boolean | string[]>;
  usedBy: {
    tools: { id: string; name: string | null }[];
    mcpServers: { id: string; name: string | null }[];
    integrationConnections: { id: string; name: string | null }[];
  };
}

export interface RemoteUser {
  workspaceId: string;
  firstName: string | null;
  planTier: string | null;
  seatType: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Where and as whom an operation runs. The key travels only between the app's own processes. */
export interface ApiTarget {
  baseUrl: string;
  apiKey: string;
}

/** How the API host calls ElevenLabs. */
export interface ApiSettings {
  /** Per attempt. The SDK's default (240 s) is far too long for someone waiting on a dialog. */
  timeoutSeconds: number;
  /** Retries of a read after 429 or 5xx; writes are never retried. */
  maxRetries: number;
  /** A 429 asking to wait longer than this is reported at once instead of waited out. */
  maxRetryWaitSeconds: number;
  /**
   * Dependants per secret in list pages (the API's maximum is 100), so a secret used by
   * thousands of agents cannot bloat a page; the rest is paged from the dependencies route.
   */
  dependencyLimit: number;
}

export const defaultApiSettings: ApiSettings = { timeoutSeconds: 30, maxRetries: 2, maxRetryWaitSeconds: 20, dependencyLimit: 100 };

/**
 * The longest one call may take before main gives up on it (and on a stream, the longest between
 * two pages): every attempt timing out, every retry waiting its longest, and a margin.
 */
export function callDeadlineMs(settings: ApiSettings): number {
  return (settings.timeoutSeconds * (settings.maxRetries + 1) + settings.maxRetryWaitSeconds * settings.maxRetries + 5) * 1000;
}

/** A retry the host is waiting out, reported so the user sees why nothing seems to happen. */
export interface RetryNotice {
  /** 1 for the first retry. */
  attempt: number;
  /** What went wrong (`rate_limited`, `server_error`). */
  code: string;
  waitSeconds: number;
}

/** The three kinds of environment variable the API has (a value of each kind, per environment). */
export type EnvironmentVariableKind = 'string' | 'secret' | 'auth_connection';

/**
 * One environment's value as the API listed it. A string that looks like a credential never
 * leaves the API host: `value` is null and `withheld` says why (environment-variables/credential-shape.ts).
 */
export type RemoteVariableValue =
  | { kind: 'string'; value: string; withheld: null }
  | {
      kind: 'string';
      value: null;
      withheld: { reason: 'key_prefix' | 'high_entropy'; hint: string; length: number };
    }
  | { kind: 'secret'; secretId: string }
  | { kind: 'auth_connection'; authConnectionId: string };

/** An environment variable as the API lists it: a label and one value per environment. */
export interface RemoteEnvironmentVariable {
  variableId: string;
  label: string;
  /** 'string', 'secret' or 'auth_connection'; another type the API adds is kept as sent. */
  type: string;
  createdAtUnix: number | null;
  updatedAtUnix: number | null;
  /** By environment name; `production` is always there. */
  values: Record<string, RemoteVariableValue>;
}

/** A value to send: a string, or a reference to a secret or an auth connection of the same workspace. */
export type EnvironmentValueInput =
  { kind: 'string'; value: string } | { kind: 'secret'; secretId: string } | { kind: 'auth_connection'; authConnectionId: string };
