import { z } from 'zod';
import type { ChannelName, EventName } from './channel-names';
import { appCommandNames, type AppCommand } from './commands';
import { EmptyRequestSchema } from './schemas/common';
import {
  ActiveWorkspaceReplySchema,
  AddWorkspaceRequestSchema,
  KeyOutcomeSchema,
  RemoveWorkspaceReplySchema,
  RenameWorkspaceRequestSchema,
  ReplaceKeyRequestSchema,
  WorkspaceIdRequestSchema,
  WorkspaceListSchema,
  WorkspaceSummarySchema,
} from './schemas/workspaces';
import { ListAuthConnectionsReplySchema, ListAuthConnectionsRequestSchema } from './schemas/auth-connections';
import {
  GetSecretRequestSchema,
  ListDependantsReplySchema,
  ListDependantsRequestSchema,
  SearchSecretsReplySchema,
  SearchSecretsRequestSchema,
  SecretDetailSchema,
  SyncProgressSchema,
  SyncReplySchema,
  SyncRequestSchema,
} from './schemas/inventory';

interface ChannelSpec {
  request: z.ZodType;
  reply: z.ZodType;
  /**
   * The credentials a request carries (an API key being added...). Main's redactor learns them
   * before the handler runs, so no reply, event or log line of the operation can repeat them.
   */
  credentials?: (request: never) => string[];
}

type AddWorkspaceRequestParsed = z.output<typeof AddWorkspaceRequestSchema>;
type ReplaceKeyRequestParsed = z.output<typeof ReplaceKeyRequestSchema>;

/**
 * The whole IPC contract. Each channel is `namespace:method`; the preload exposes it as
 * `keyring.namespace.method(request)`. Main validates every request against `request` before
 * anything runs, and every reply against `reply` (which also strips undeclared fields).
 */
export const channels = {
  'app:getInfo': {
    request: EmptyRequestSchema,
    reply: z.object({
      version: z.string(),
      platform: z.string(),
      /** How this process reaches the renderer: the Electron app, or the browser preview. */
      transport: z.enum(['electron', 'preview']),
      /** Which OS keychain holds the credentials, for the settings screen. */
      keychain: z.string(),
    }),
  },

  'workspaces:list': { request: EmptyRequestSchema, reply: WorkspaceListSchema },
  'workspaces:add': {
    request: AddWorkspaceRequestSchema,
    reply: KeyOutcomeSchema,
    credentials: (request: AddWorkspaceRequestParsed) => [request.apiKey],
  },
  'workspaces:addDemo': { request: EmptyRequestSchema, reply: WorkspaceSummarySchema },
  'workspaces:rename': { request: RenameWorkspaceRequestSchema, reply: WorkspaceSummarySchema },
  'workspaces:replaceKey': {
    request: ReplaceKeyRequestSchema,
    reply: KeyOutcomeSchema,
    credentials: (request: ReplaceKeyRequestParsed) => [request.apiKey],
  },
  /** Stops the key check of an add or replace-key in progress (its dialog was cancelled). */
  'workspaces:cancelKeyCheck': { request: EmptyRequestSchema, reply: z.object({ cancelled: z.number().int() }) },
  'workspaces:remove': { request: WorkspaceIdRequestSchema, reply: RemoveWorkspaceReplySchema },
  'workspaces:setActive': { request: WorkspaceIdRequestSchema, reply: ActiveWorkspaceReplySchema },

  'inventory:sync': { request: SyncRequestSchema, reply: SyncReplySchema },
  'inventory:cancelSync': { request: EmptyRequestSchema, reply: z.object({ cancelled: z.number().int() }) },
  'inventory:searchSecrets': { request: SearchSecretsRequestSchema, reply: SearchSecretsReplySchema },
  'inventory:getSecret': { request: GetSecretRequestSchema, reply: SecretDetailSchema },
  'inventory:listDependants': { request: ListDependantsRequestSchema, reply: ListDependantsReplySchema },

  'authConnections:list': { request: ListAuthConnectionsRequestSchema, reply: ListAuthConnectionsReplySchema },
} as const satisfies Record<ChannelName, ChannelSpec>;

/** Events main pushes to the renderer. */
export const events = {
  'sync:progress': SyncProgressSchema,
  'workspaces:changed': z.object({}),
  /** A menu item was chosen (the renderer binds the same keys itself; see commands.ts). */
  'app:menuCommand': z.object({ command: z.enum(appCommandNames as [AppCommand, ...AppCommand[]]) }),
} as const satisfies Record<EventName, z.ZodType>;

export type Channels = typeof channels;
export type { ChannelName, EventName };
export type RequestOf<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequestOf<C extends ChannelName> = z.output<Channels[C]['request']>;
export type ReplyOf<C extends ChannelName> = z.output<Channels[C]['reply']>;

export type Events = typeof events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export type MenuCommand = AppCommand;

export { channelNames, eventNames, EVENT_CHANNEL } from './channel-names';
