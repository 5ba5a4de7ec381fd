import { z } from 'zod';
import { LIMITS } from '../limits';
import { IdSchema, TimestampSchema } from './common';

/** Auth connection types the API can create and update; others come from the dashboard and are read-only here. */
export const creatableAuthTypes = [
  'oauth2_client_credentials',
  'custom_header_auth',
  'basic_auth',
  'bearer_auth',
  'oauth2_jwt',
  'private_key_jwt',
  'mtls',
] as const;

export const ConnectionDetailValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

const NamedRefSchema = z.object({ id: z.string(), name: z.string().nullable() });

/** One workspace auth connection as cached in SQLite: settings only, never a secret field. */
export const AuthConnectionRowSchema = z.object({
  workspaceId: IdSchema,
  connectionId: z.string(),
  name: z.string(),
  authType: z.string(),
  provider: z.string().nullable(),
  status: z.string().nullable(),
  statusDetail: z.string().nullable(),
  /** The non-sensitive settings the API returned (client id, token URL, scopes...). */
  details: z.record(z.string(), ConnectionDetailValueSchema),
  /** When its token expires (integration OAuth connections), if the API says. */
  expiresAt: TimestampSchema.nullable(),
  usedBy: z.object({
    tools: z.array(NamedRefSchema),
    mcpServers: z.array(NamedRefSchema),
    integrationConnections: z.array(NamedRefSchema),
  }),
  /** Created in the dashboard or by an integration: the API cannot edit it. */
  readOnly: z.boolean(),
  firstSeenAt: TimestampSchema,
  removedRemotelyAt: TimestampSchema.nullable(),
});
export type AuthConnectionRow = z.infer<typeof AuthConnectionRowSchema>;

export const ListAuthConnectionsRequestSchema = z.strictObject({
  /** Null lists every workspace. */
  workspaceId: IdSchema.nullable(),
  /** Matches anywhere in the name, ignoring case and treating `_`, `-` and spaces alike. */
  query: z.string().max(LIMITS.searchQuery, `must be at most ${LIMITS.searchQuery} characters`),
});

export const ListAuthConnectionsReplySchema = z.object({
  connections: z.array(AuthConnectionRowSchema),
  /** Workspaces in scope whose key may not list auth connections: their list is unknown, not empty. */
  unreadable: z.array(z.object({ workspaceId: IdSchema, permission: z.string().nullable() })),
});
export type ListAuthConnectionsReply = z.infer<typeof ListAuthConnectionsReplySchema>;
