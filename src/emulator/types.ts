// Public API of the ElevenLabs API emulator. Other parts of the app, tests and benchmarks code
// against exactly these names.

/** bench:N has N secrets (and 12 environment variables); bench:N:V has V variables. */
export type EmulatorSeed = 'demo' | 'empty' | `bench:${number}` | `bench:${number}:${number}`;

export type EmulatorPermission = 'convai_read' | 'convai_write' | 'user_read' | 'workspace_read' | 'workspace_write';

export const EMULATOR_PERMISSIONS: readonly EmulatorPermission[] = [
  'convai_read',
  'convai_write',
  'user_read',
  'workspace_read',
  'workspace_write',
];

/** One API key = one workspace. No `permissions` means all of them. */
export interface EmulatorKey {
  key: string;
  permissions?: EmulatorPermission[];
  seed?: EmulatorSeed;
}

/** Fields of a log line: names, routes and statuses only, never request data. */
export type EmulatorLogFields = Record<string, string | number | boolean>;

export type EmulatorLog = (message: string, fields?: EmulatorLogFields) => void;

export interface EmulatorOptions {
  /** Default 0 (ephemeral). */
  port?: number;
  /** Default '127.0.0.1'; anything that is not a loopback address is refused. */
  host?: string;
  /** Seed for keys without their own; default 'demo'. */
  seed?: EmulatorSeed;
  keys?: EmulatorKey[];
  /** Prefix search on secret names; default true. */
  caseSensitiveSearch?: boolean;
  /** Status for refusing to delete an in-use secret; default 400. */
  inUseDeleteStatus?: number;
  /**
   * Serve the /_emulator/* control endpoints; default true (CLI, tests). When false every
   * /_emulator path is 404: the in-process demo must not take orders over HTTP.
   */
  controlEndpoints?: boolean;
  /** Reports unexpected errors (error name, route, status); default: one line on stderr. */
  log?: EmulatorLog;
}

export interface FaultSpec {
  /** e.g. 401, 429, 500, 503. */
  status?: number;
  /** Retry-After header value (sent only if given). */
  retryAfter?: number | string;
  /** X-RateLimit-Reset unix seconds (sent only if given). */
  rateLimitReset?: number;
  /** Delay before answering; combinable with a status. */
  delayMs?: number;
  /** 200 with a body that breaks the SDK's response schema. */
  malformed?: boolean;
  /**
   * Handle the request first, then answer with the fault's status instead of the reply: a write
   * that landed although the client was told it failed (the case that makes blind retries create
   * duplicates).
   */
  afterHandling?: boolean;
  /** How many matching requests it applies to; default: until cleared. */
  count?: number;
  /** Let this many matching requests through first (e.g. fail page 2 of a sync). */
  skip?: number;
  /** Default '/v1/'. */
  pathPrefix?: string;
  /** Default: any method. */
  method?: string;
  /** Only for this api key; default: any key. */
  key?: string;
}

export interface EmulatorStats {
  requests: number;
  byRoute: Record<string, number>;
}

export interface AuthConnectionUser {
  authConnectionId: string;
  kind: 'tool' | 'mcp_server';
  name: string;
  /** false: listed as `{type:"unknown", id}` (the key's user cannot see it). Default true. */
  accessible?: boolean;
}

export interface AuthConnectionStatusChange {
  authConnectionId: string;
  status: 'active' | 'refresh_failed' | 'revoked' | 'credential_invalid';
  statusDetail?: string;
}

export interface RunningEmulator {
  /** 'http://127.0.0.1:PORT' */
  url: string;
  port: number;
  /** Adds a workspace with its own copy of its seed; re-adding an existing key is a no-op. */
  addKey(key: EmulatorKey): void;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Counts /v1 requests (for retry assertions). */
  stats(): EmulatorStats;
  /** The secrets of a key's workspace: id, name and value length, never a value (in-process only). */
  secretsOf(key: string): { id: string; name: string; valueLength: number }[];
  /** Adds a tool or MCP server that uses an auth connection (no API route can); returns its id. */
  addAuthConnectionUser(key: string, user: AuthConnectionUser): string;
  /** Sets a connection's `status` (and `status_detail`), as ElevenLabs' token refreshes and tool runs do. */
  setAuthConnectionStatus(key: string, change: AuthConnectionStatusChange): void;
  /** SHA-256 (hex) of each write-only field last sent for a connection, by wire name: never a value. */
  authConnectionCredentials(key: string, authConnectionId: string): Record<string, string>;
  /** Closes the server and all keep-alive sockets. */
  close(): Promise<void>;
}
