import { z } from 'zod';
import type { ChannelName, EventName } from './channel-names';
import { appCommandNames, type AppCommand } from './commands';
import {
  AccountIdRequestSchema,
  BindAccountRequestSchema,
  DynamicVariablesReplySchema,
  PersonIdRequestSchema,
  CopyDynamicVariablesRequestSchema,
  CopyDynamicVariablesReplySchema,
  LinkedAccountSchema,
  LinkFlowEventSchema,
  ListAccountsReplySchema,
  ProviderSchema,
  SaveProviderRequestSchema,
  StartLinkReplySchema,
  StartLinkRequestSchema,
} from './schemas/accounts';
import { EmptyRequestSchema, IdSchema } from './schemas/common';
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
import {
  ExportActivityRequestSchema,
  ExportInventoryRequestSchema,
  ExportReplySchema,
  ListActivityReplySchema,
  ListActivityRequestSchema,
} from './schemas/activity';
import { ListAuthConnectionsReplySchema, ListAuthConnectionsRequestSchema } from './schemas/auth-connections';
import { CheckReportSchema } from './schemas/connection-definitions';
import {
  AdoptConnectionRequestSchema,
  CheckKeptConnectionRequestSchema,
  CopyKeptTargetRequestSchema,
  CreateKeptConnectionRequestSchema,
  DeleteKeptConnectionReplySchema,
  KeptConnectionIdRequestSchema,
  KeptConnectionSchema,
  ListKeptConnectionsReplySchema,
  ListKeptConnectionsRequestSchema,
  SetKeptTargetsRequestSchema,
  UpdateKeptConnectionRequestSchema,
  sensitiveTextOf,
  type DefinitionEdit,
  type DefinitionRequest,
} from './schemas/kept-connections';
import {
  AdoptRemoteSecretRequestSchema,
  CopyReplySchema,
  CreateLocalSecretRequestSchema,
  DeleteLocalSecretReplySchema,
  ImportApplyReplySchema,
  ImportApplyRequestSchema,
  ImportPreviewReplySchema,
  ImportPreviewRequestSchema,
  ListLocalSecretsReplySchema,
  ListLocalSecretsRequestSchema,
  LocalSecretIdRequestSchema,
  LocalSecretSchema,
  RevealReplySchema,
  RevealRequestSchema,
  RotateLocalSecretRequestSchema,
  SetTargetsRequestSchema,
  UpdateLocalSecretRequestSchema,
} from './schemas/local-secrets';
import { ApplyRequestSchema, LatestPlanReplySchema, PlanRequestSchema, PlanSchema, PushProgressSchema } from './schemas/push';
import { ReviewReplySchema, ReviewRequestSchema } from './schemas/review';
import {
  ListVariablesReplySchema,
  ListVariablesRequestSchema,
  SearchVariablesReplySchema,
  SearchVariablesRequestSchema,
  VariablesReferringReplySchema,
  VariablesReferringRequestSchema,
} from './schemas/environment-variables';
import {
  ApplyRestoreRequestSchema,
  BackupProgressSchema,
  ChooseBackupFileReplySchema,
  CopyBackupSecretReplySchema,
  CopyBackupSecretRequestSchema,
  CreateBackupReplySchema,
  CreateBackupRequestSchema,
  GeneratedPassphraseSchema,
  LastVerifiedBackupSchema,
  ReadAndPlanRequestSchema,
  RecoveryKeySchema,
  RecoverySheetRequestSchema,
  RecoverySheetSchema,
  RestorePlanSchema,
  RestoreResultSchema,
  VerifyReplySchema,
  VerifyRequestSchema,
  type BackupKey,
  type OpenKey,
} from './schemas/backup';
import { AppSettingsSchema, UpdateSettingsRequestSchema } from './schemas/settings';
import {
  BrokerAnswerRequestSchema,
  BrokerClientIdRequestSchema,
  BrokerGrantIdRequestSchema,
  BrokerPendingSchema,
  BrokerStateSchema,
} from './schemas/broker';
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
  /**
   * The reply is an explicit reveal: it carries a value on purpose, so it is not scrubbed (it is
   * still checked against its schema, and never logged).
   */
  revealsValue?: true;
}

type AddWorkspaceRequestParsed = z.output<typeof AddWorkspaceRequestSchema>;
type WithValue = { value: string };
type ReplaceKeyRequestParsed = z.output<typeof ReplaceKeyRequestSchema>;

/** The secret half of a backup key: a passphrase or a recovery key (a recipient is public). */
function keySecrets(key: BackupKey | OpenKey): string[] {
  if ('passphrase' in key) return [key.passphrase];
  return 'identity' in key ? [key.identity] : [];
}
function secretOf(secret: { passphrase: string } | { identity: string }): string {
  return 'passphrase' in secret ? secret.passphrase : secret.identity;
}

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

  'keptConnections:list': { request: ListKeptConnectionsRequestSchema, reply: ListKeptConnectionsReplySchema },
  'keptConnections:get': { request: KeptConnectionIdRequestSchema, reply: KeptConnectionSchema },
  'keptConnections:create': {
    request: CreateKeptConnectionRequestSchema,
    reply: KeptConnectionSchema,
    credentials: (r: { definition: DefinitionRequest }) => sensitiveTextOf(r.definition),
  },
  /** Sensitive parts left out stay as they are; null removes an optional one. */
  'keptConnections:update': {
    request: UpdateKeptConnectionRequestSchema,
    reply: KeptConnectionSchema,
    credentials: (r: { definition: DefinitionEdit }) => sensitiveTextOf(r.definition),
  },
  /** Forgets the definition and its keychain entries; connections in workspaces stay (deleting them is a plan). */
  'keptConnections:delete': { request: KeptConnectionIdRequestSchema, reply: DeleteKeptConnectionReplySchema },
  'keptConnections:setTargets': { request: SetKeptTargetsRequestSchema, reply: KeptConnectionSchema },
  'keptConnections:adopt': {
    request: AdoptConnectionRequestSchema,
    reply: KeptConnectionSchema,
    credentials: (r: { definition?: DefinitionRequest }) => sensitiveTextOf(r.definition),
  },
  'keptConnections:copyTarget': { request: CopyKeptTargetRequestSchema, reply: KeptConnectionSchema },
  /** Checks a kept connection from main; the report is scrubbed of every credential. */
  'keptConnections:check': { request: CheckKeptConnectionRequestSchema, reply: CheckReportSchema },

  'localSecrets:list': { request: ListLocalSecretsRequestSchema, reply: ListLocalSecretsReplySchema },
  'localSecrets:get': { request: LocalSecretIdRequestSchema, reply: LocalSecretSchema },
  'localSecrets:create': { request: CreateLocalSecretRequestSchema, reply: LocalSecretSchema, credentials: (r: WithValue) => [r.value] },
  'localSecrets:update': { request: UpdateLocalSecretRequestSchema, reply: LocalSecretSchema },
  'localSecrets:rotate': { request: RotateLocalSecretRequestSchema, reply: LocalSecretSchema, credentials: (r: WithValue) => [r.value] },
  'localSecrets:restorePrevious': { request: LocalSecretIdRequestSchema, reply: LocalSecretSchema },
  'localSecrets:delete': { request: LocalSecretIdRequestSchema, reply: DeleteLocalSecretReplySchema },
  'localSecrets:setTargets': { request: SetTargetsRequestSchema, reply: LocalSecretSchema },
  'localSecrets:adopt': { request: AdoptRemoteSecretRequestSchema, reply: LocalSecretSchema, credentials: (r: WithValue) => [r.value] },
  /** The explicit reveal: the one reply that carries a value. */
  'localSecrets:reveal': { request: RevealRequestSchema, reply: RevealReplySchema, revealsValue: true },
  /** Main copies the value to the system clipboard itself and clears it later; the value never comes back. */
  'localSecrets:copy': { request: RevealRequestSchema, reply: CopyReplySchema },
  'localSecrets:importPreview': { request: ImportPreviewRequestSchema, reply: ImportPreviewReplySchema },
  'localSecrets:importApply': { request: ImportApplyRequestSchema, reply: ImportApplyReplySchema },

  'push:plan': { request: PlanRequestSchema, reply: PlanSchema },
  'push:apply': { request: ApplyRequestSchema, reply: PlanSchema },
  'push:latest': { request: EmptyRequestSchema, reply: LatestPlanReplySchema },

  'review:list': { request: ReviewRequestSchema, reply: ReviewReplySchema },

  'activity:list': { request: ListActivityRequestSchema, reply: ListActivityReplySchema },
  'activity:export': { request: ExportActivityRequestSchema, reply: ExportReplySchema },
  'inventory:export': { request: ExportInventoryRequestSchema, reply: ExportReplySchema },

  'accounts:list': { request: EmptyRequestSchema, reply: ListAccountsReplySchema },
  'accounts:saveProvider': {
    request: SaveProviderRequestSchema,
    reply: ProviderSchema,
    credentials: (r: { clientSecret?: string | null }) => (r.clientSecret ? [r.clientSecret] : []),
  },
  /** Forgets a provider and its client secret; refused while accounts are linked through it. */
  'accounts:removeProvider': { request: z.strictObject({ providerId: IdSchema }), reply: z.object({ removedId: IdSchema }) },
  /** Opens the provider's sign-in in the system browser; the outcome comes as `accounts:flow` events. */
  'accounts:startLink': { request: StartLinkRequestSchema, reply: StartLinkReplySchema },
  'accounts:cancelLink': { request: EmptyRequestSchema, reply: z.object({ cancelled: z.number().int() }) },
  'accounts:refresh': { request: AccountIdRequestSchema, reply: LinkedAccountSchema },
  'accounts:bind': { request: BindAccountRequestSchema, reply: LinkedAccountSchema },
  'accounts:unlink': { request: AccountIdRequestSchema, reply: z.object({ unlinkedId: IdSchema, revoked: z.boolean() }) },
  /** The explicit copy of a person's dynamic variables: a reply that carries tokens on purpose. */
  'accounts:dynamicVariables': { request: PersonIdRequestSchema, reply: DynamicVariablesReplySchema },
  /** Copies a person's dynamic variables (fresh tokens) as JSON or an SDK snippet, from main. */
  'accounts:copyDynamicVariables': { request: CopyDynamicVariablesRequestSchema, reply: CopyDynamicVariablesReplySchema },

  'settings:get': { request: EmptyRequestSchema, reply: AppSettingsSchema },
  'settings:update': { request: UpdateSettingsRequestSchema, reply: AppSettingsSchema },

  /** A passphrase of six or more words, shown once: a reply that carries a secret on purpose. */
  'backup:generatePassphrase': { request: EmptyRequestSchema, reply: GeneratedPassphraseSchema, revealsValue: true },
  /** A recovery key (age X25519): its private half is shown once, for the sheet; the app keeps neither. */
  'backup:generateRecoveryKey': { request: EmptyRequestSchema, reply: RecoveryKeySchema, revealsValue: true },
  /** The printable sheet for a backup just made: it holds the passphrase or recovery key on purpose. */
  'backup:recoverySheet': {
    request: RecoverySheetRequestSchema,
    reply: RecoverySheetSchema,
    revealsValue: true,
    credentials: (r: { secret: { passphrase: string } | { identity: string } }) => [secretOf(r.secret)],
  },
  /** Main puts the passphrase or recovery key on the clipboard and clears it later, as for a copied value. */
  'backup:copySecret': {
    request: CopyBackupSecretRequestSchema,
    reply: CopyBackupSecretReplySchema,
    credentials: (r: { secret: string }) => [r.secret],
  },
  /** Main asks where to save (its Save dialog), writes, reads back and checks; progress comes as `backup:progress`. */
  'backup:create': {
    request: CreateBackupRequestSchema,
    reply: CreateBackupReplySchema,
    credentials: (r: { key: BackupKey }) => keySecrets(r.key),
  },
  /** Main's Open dialog: the backup file to verify or restore. */
  'backup:chooseFile': { request: EmptyRequestSchema, reply: ChooseBackupFileReplySchema },
  'backup:verify': { request: VerifyRequestSchema, reply: VerifyReplySchema, credentials: (r: { key: OpenKey }) => keySecrets(r.key) },
  /** Decrypts and checks the whole file, then plans against what is here. Writes nothing; no value comes back. */
  'backup:readAndPlan': {
    request: ReadAndPlanRequestSchema,
    reply: RestorePlanSchema,
    credentials: (r: { key: OpenKey }) => keySecrets(r.key),
  },
  /** Merge, or replace (confirmed; after an automatic safety backup). */
  'backup:applyRestore': { request: ApplyRestoreRequestSchema, reply: RestoreResultSchema },
  'backup:lastVerified': { request: EmptyRequestSchema, reply: z.object({ backup: LastVerifiedBackupSchema }) },

  /** One workspace's environment variables from its last sync (offline); a string that looks like a key is never in it. */
  'variables:list': { request: ListVariablesRequestSchema, reply: ListVariablesReplySchema },
  /** Labels across every workspace. */
  'variables:search': { request: SearchVariablesRequestSchema, reply: SearchVariablesReplySchema },
  /** The variables whose values name one secret or auth connection. */
  'variables:referring': { request: VariablesReferringRequestSchema, reply: VariablesReferringReplySchema },
  /** Settings › Command line: the socket, paired terminals, live grants and requests waiting for an answer. */
  'broker:state': { request: EmptyRequestSchema, reply: BrokerStateSchema },
  /** Approves or refuses a pairing or an access request from `akr`. */
  'broker:answer': { request: BrokerAnswerRequestSchema, reply: z.object({}) },
  'broker:revokeGrant': { request: BrokerGrantIdRequestSchema, reply: z.object({}) },
  /** Forgets a paired terminal; its grants end and its key opens nothing. */
  'broker:unpair': { request: BrokerClientIdRequestSchema, reply: z.object({}) },
} as const satisfies Record<ChannelName, ChannelSpec>;

/** Events main pushes to the renderer. */
export const events = {
  'sync:progress': SyncProgressSchema,
  'workspaces:changed': z.object({}),
  'localSecrets:changed': z.object({}),
  'keptConnections:changed': z.object({}),
  'push:progress': PushProgressSchema,
  'accounts:changed': z.object({}),
  'accounts:flow': LinkFlowEventSchema,
  /** A menu item was chosen (the renderer binds the same keys itself; see commands.ts). */
  'app:menuCommand': z.object({ command: z.enum(appCommandNames as [AppCommand, ...AppCommand[]]) }),
  /** A backup, verify or restore moving on (the key derivation takes about a second). */
  'backup:progress': BackupProgressSchema,
  /** Something in Settings › Command line changed (a request, a grant, a pairing). */
  'broker:changed': z.object({}),
  /** A terminal asks to pair or for access: the window shows it to approve or refuse. */
  'broker:request': BrokerPendingSchema,
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
