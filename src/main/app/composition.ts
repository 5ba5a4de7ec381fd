import path from 'node:path';
import { openDatabase, WalCheckpointer, type Database } from '../db/database';
import { createDemoBackend, type DemoBackend } from '../demo/demo-backend';
import { codeCacheDirIn, type HostLauncher } from '../elevenlabs/api-host/protocol';
import { createRemoteGateway, nodeHostLauncher } from '../elevenlabs/api-host/remote-gateway';
import { defaultApiSettings, type ApiSettings } from '../elevenlabs/types';
import { InventoryQueries } from '../inventory/inventory-queries';
import { InventoryWriter } from '../inventory/inventory-writer';
import { SecretSearchIndex } from '../inventory/secret-search-index';
import { SyncService } from '../inventory/sync-service';
import { createDispatcher, type Dispatch } from '../ipc/dispatcher';
import { createHandlers } from '../ipc/handlers';
import { createFileLogger, type Logger } from '../logging/logger';
import { Redactor } from '../logging/redactor';
import { CredentialStore } from '../vault/credential-store';
import type { Keychain } from '../vault/keychain';
import { createKeytarKeychain } from '../vault/keytar-keychain';
import { WorkspaceAccess } from '../workspaces/workspace-access';
import { WorkspaceRepository } from '../workspaces/workspace-repository';
import { WorkspaceService } from '../workspaces/workspace-service';
import { AuthConnectionStore } from '../auth-connections/auth-connection-store';
import { VariableRepository } from '../environment-variables/variable-repository';
import { VariableQueries } from '../environment-variables/variable-queries';
import { keptCredentialKinds } from '../auth-connections/kept-connection-definition';
import { KeptConnectionRepository } from '../auth-connections/kept-connection-repository';
import { KeptConnectionService } from '../auth-connections/kept-connection-service';
import { EventBus } from '../events/event-bus';
import { printingBrowser, type BrowserOpener } from '../ports/browser';
import { systemClock, type Clock } from '../ports/clock';
import { CredentialOwners } from '../vault/credential-kinds';
import { ActivityLog } from '../activity/activity-log';
import { exportFile, saveExport } from '../activity/export-file';
import { exportInventory } from '../inventory/inventory-export';
import { EnvImport } from '../local-secrets/env-import';
import { Fingerprinter } from '../local-secrets/fingerprints';
import { LocalSecretRepository } from '../local-secrets/local-secret-repository';
import { LocalSecretService } from '../local-secrets/local-secret-service';
import { memoryClipboard, type Clipboard } from '../ports/clipboard';
import { folderFileSaver, type FileSaver } from '../ports/file-saver';
import { PlanStore } from '../push/plan-store';
import { PushService } from '../push/push-service';
import { ReviewService } from '../review/review-service';
import { AppSettings } from '../settings/app-settings';
import { SecretClipboard } from '../clipboard/secret-clipboard';
import { AccountRepository } from '../oauth/account-repository';
import { AccountService } from '../oauth/account-service';
import type { ActivityEntry } from '../../shared/schemas/activity';
import { BackupDesk, BackupService } from '../backup';
import { folderFileChooser, type FileChooser } from '../ports/file-chooser';
import { BrokerService } from '../broker/broker-service';

export const DEFAULT_KEYCHAIN_SERVICE = 'Agent Keyring';

export interface DomainOptions {
  /** Folder for the database and logs (the app's userData folder, or a temp folder in tests). */
  dataDir: string;
  transport: 'electron' | 'preview';
  version: string;
  /** Keychain service name; tests use their own so they never touch real entries. */
  keychainService?: string;
  /** Replaces keytar (only for unit tests of logic around the keychain). */
  keychain?: Keychain;
  /** better-sqlite3 addon for this runtime (Electron's build). */
  nativeBinding?: string;
  api?: Partial<ApiSettings>;
  /**
   * Starts the API host process that owns the SDK. Electron passes a utility process; the
   * default forks a Node child running the TypeScript source (preview, tests, tools).
   */
  apiHost?: HostLauncher;
  /** How long the API host may sit unused before it stops (default a minute; the benchmark shortens it). */
  apiHostIdleStopMs?: number;
  /** Time and timers (tests may run on a clock of their own). */
  clock?: Clock;
  /** The system browser, for OAuth sign-in pages (Electron: shell.openExternal). */
  browser?: BrowserOpener;
  /** The system clipboard, for "copy value" (Electron: its clipboard; elsewhere one in memory). */
  clipboard?: Clipboard;
  /** How long an OAuth sign-in may wait for the browser (default 5 minutes; tests shorten it). */
  oauthFlowTimeoutMs?: number;
  /** Where exports are saved (Electron: its Save dialog; elsewhere the data folder's `exports`). */
  fileSaver?: FileSaver;
  /** Where backups are saved and read from (Electron: its Save and Open dialogs; elsewhere the data folder's `backups`). */
  backupFiles?: FileChooser;
  /** Tests only: a scrypt work factor below 2^18 for backups, so each test file costs milliseconds (readers warn). */
  testOnlyBackupWorkFactor?: number;
}

export interface Domain {
  dispatch: Dispatch;
  events: EventBus;
  log: Logger;
  db: Database;
  clock: Clock;
  browser: BrowserOpener;
  clipboard: Clipboard;
  paths: { dataDir: string; database: string; log: string };
  /** Backup and restore (issue 13); its channels are `backup:*`. */
  backup: BackupService;
  /** The app's side of `akr` (issue 15); src/main/broker/server.ts puts it on the local socket. */
  broker: BrokerService;
  /** Every value, key and token the app has read, scrubbed from what leaves it (the broker's replies to errors). */
  redactor: Redactor;
  /** Settles after the credential journal has been replayed (runs in the background at start). */
  reconciled: Promise<unknown>;
  /** The user is back (the window gained focus): the API host gets ready, if there is a workspace to reach. */
  warmUp(): void;
  close(): Promise<void>;
}

/**
 * The composition root: builds every domain service from its real dependencies. The Electron
 * main process and the browser preview both use this; neither has its own implementation.
 * Nothing here reads the keychain.
 */
export function createDomain(options: DomainOptions): Domain {
  const clock = options.clock ?? systemClock;
  const now = clock.now;
  const browser = options.browser ?? printingBrowser;
  const clipboard = options.clipboard ?? memoryClipboard();
  const fileSaver = options.fileSaver ?? folderFileSaver(path.join(options.dataDir, 'exports'));
  const paths = {
    dataDir: options.dataDir,
    database: path.join(options.dataDir, 'agent-keyring.sqlite'),
    log: path.join(options.dataDir, 'logs', 'main.log'),
  };
  const redactor = new Redactor();
  const log = createFileLogger({ file: paths.log, redactor });
  const db = openDatabase({ file: paths.database, nativeBinding: options.nativeBinding });
  const events = new EventBus({ redactor, log });

  const repository = new WorkspaceRepository(db, redactor);
  const keychain = options.keychain ?? createKeytarKeychain(options.keychainService ?? DEFAULT_KEYCHAIN_SERVICE);
  // Each feature tells the vault which of its rows own which keychain entries.
  const owners = new CredentialOwners();
  owners.register('workspace-api-key', (ref) => repository.isKeyRefUsed(ref));
  const credentials = new CredentialStore(db, redactingKeychain(keychain, redactor), owners, log, now);
  // Options left undefined (a CLI flag not given) keep their defaults.
  const given = Object.fromEntries(Object.entries(options.api ?? {}).filter(([, value]) => value !== undefined));
  const apiSettings: ApiSettings = { ...defaultApiSettings, ...given };
  const launcher = options.apiHost ?? nodeHostLauncher({ codeCacheDir: codeCacheDirIn(options.dataDir) });
  const remote = createRemoteGateway(launcher, apiSettings, log, { idleStopMs: options.apiHostIdleStopMs });
  const demo: DemoBackend = createDemoBackend(log);
  const access = new WorkspaceAccess(remote, credentials, demo, repository, now);
  const searchIndex = new SecretSearchIndex(db);
  const authConnectionStore = new AuthConnectionStore(db, repository);
  const variables = new VariableRepository(db);
  const checkpointer = new WalCheckpointer(db);
  const onInventoryChanged = () => {
    searchIndex.invalidate();
    checkpointer.schedule();
  };

  const activity = new ActivityLog(db, redactor, clock);
  const workspaces = new WorkspaceService({ db, repository, credentials, access, events, log, activity, now, onInventoryChanged });
  const sync = new SyncService({
    repository,
    access,
    writer: new InventoryWriter(db, repository, authConnectionStore),
    events,
    log,
    activity,
    now,
    onInventoryChanged,
    variables,
  });
  const inventory = new InventoryQueries(db, searchIndex);

  const settings = new AppSettings(db, activity);
  const secretClipboard = new SecretClipboard(clipboard, clock, () => settings.get().clipboardClearSeconds);
  const localRepository = new LocalSecretRepository(db);
  const fingerprints = new Fingerprinter(db, credentials);
  owners.register('local-secret-value', (ref) => localRepository.ownsRef(ref));
  owners.register('fingerprint-key', (ref) => fingerprints.ownsRef(ref));
  const localSecrets = new LocalSecretService({
    db,
    repository: localRepository,
    workspaces: repository,
    credentials,
    fingerprints,
    activity,
    events,
    clipboard: secretClipboard,
    clock,
  });
  const keptRepository = new KeptConnectionRepository(db);
  for (const kind of keptCredentialKinds) owners.register(kind, (ref) => keptRepository.ownsRef(ref));
  const keptConnections = new KeptConnectionService({
    db,
    repository: keptRepository,
    workspaces: repository,
    credentials,
    fingerprints,
    activity,
    events,
    clock,
    redactor,
    log,
  });
  const envImport = new EnvImport({ repository: localRepository, localSecrets, fingerprints, activity, redactor });
  const push = new PushService({
    db,
    plans: new PlanStore(db, redactor),
    localRepository,
    localSecrets,
    keptRepository,
    keptConnections,
    variables,
    workspaces: repository,
    access,
    inventory,
    sync,
    activity,
    events,
    clock,
    log,
  });
  const accountRepository = new AccountRepository(db);
  // Review asks the backup service (made below) which local values no verified backup holds.
  const review = new ReviewService(db, localRepository, accountRepository, clock, {
    needsBackup: () => backup.needsBackup(),
    lastVerifiedBackup: () => backup.lastVerifiedBackup(),
  });
  owners.register('oauth-access-token', (ref) => accountRepository.ownsTokenRef(ref));
  owners.register('oauth-refresh-token', (ref) => accountRepository.ownsTokenRef(ref));
  owners.register('oauth-client-secret', (ref) => accountRepository.ownsClientSecretRef(ref));
  const accounts = new AccountService({
    db,
    accounts: accountRepository,
    credentials,
    localSecrets,
    localRepository,
    push,
    activity,
    events,
    browser,
    clock,
    redactor,
    log,
    clipboard: secretClipboard,
    flowTimeoutMs: options.oauthFlowTimeoutMs,
  });
  // Refreshes are scheduled from SQLite; no token is read until one is due.
  accounts.start();

  const backup = new BackupService({
    db,
    credentials,
    owners,
    fingerprints,
    activity,
    redactor,
    log,
    clock,
    appVersion: options.version,
    dataDir: options.dataDir,
    nativeBinding: options.nativeBinding,
    testOnlyScryptWorkFactor: options.testOnlyBackupWorkFactor,
  });
  // After a restore: the views re-read; restored keys are re-checked against ElevenLabs by a sync
  // (in the background, so the restore's answer does not wait on the network); restored accounts
  // with a refresh token get their refresh scheduled (those without say "needs reconnect").
  backup.onRestored((restored) => {
    for (const event of ['workspaces:changed', 'localSecrets:changed', 'keptConnections:changed'] as const) events.emit(event, {});
    accounts.resume(restored.linkedAccountIds);
    if (restored.workspaceIds.length > 0) {
      void sync.sync(restored.workspaceIds).catch((error: unknown) => log.warn('sync after restore failed', { reason: String(error) }));
    }
  });
  const backupDesk = new BackupDesk({
    service: backup,
    files: options.backupFiles ?? folderFileChooser(path.join(options.dataDir, 'backups')),
    events,
    clipboard: secretClipboard,
    clock,
  });

  const broker = new BrokerService({
    db,
    workspaces: repository,
    credentials,
    demo,
    localRepository,
    accounts,
    activity,
    events,
    clock,
    log,
    dataDir: options.dataDir,
    version: options.version,
    transport: options.transport,
    // Through the dispatcher, so the key is checked by the channel's schema and taught to the redactor.
    addWorkspace: (request) => dispatch('workspaces:add', request),
  });

  const dispatch = createDispatcher(
    createHandlers({
      appInfo: () => ({
        version: options.version,
        platform: process.platform,
        transport: options.transport,
        keychain: keychain.description,
      }),
      workspaces,
      sync,
      inventory,
      authConnections: authConnectionStore,
      keptConnections,
      localSecrets,
      envImport,
      push,
      review,
      activity,
      settings,
      accounts,
      exportActivity: (format, filter) =>
        saveExport(
          exportFile('agent-keyring-activity', format, activityColumns, activity.all(filter).map(toActivityRow), clock.now()),
          'activity log',
          fileSaver,
          activity,
        ),
      exportInventory: (format, workspaceId) =>
        saveExport(exportInventory(db, workspaceId, format, clock.now()), 'inventory', fileSaver, activity),
      backup: backupDesk,
      variables: new VariableQueries(variables),
      broker,
    }),
    { log, redactor },
  );

  const reconciled = credentials.reconcile().catch((error: unknown) => {
    log.warn('credential journal not reconciled; will retry at next start', { reason: (error as Error).message });
  });
  log.info('domain started', { transport: options.transport, version: options.version });

  return {
    dispatch,
    events,
    log,
    db,
    clock,
    browser,
    clipboard,
    paths,
    backup,
    broker,
    redactor,
    reconciled,
    warmUp() {
      if (repository.all().length > 0) access.warmUp();
    },
    async close() {
      broker.close();
      backup.close();
      // A copied value does not outlive the app on the clipboard.
      secretClipboard.clear();
      await accounts.stop();
      await sync.stop();
      await reconciled;
      remote.close();
      await demo.close();
      checkpointer.flush();
      db.close();
    },
  };
}

/** Every value that passes through the keychain is also taught to the redactor. */
function redactingKeychain(keychain: Keychain, redactor: Redactor): Keychain {
  return {
    description: keychain.description,
    async get(ref) {
      const value = await keychain.get(ref);
      if (value !== null) redactor.add(value);
      return value;
    },
    async set(ref, value) {
      redactor.add(value);
      await keychain.set(ref, value);
    },
    delete: (ref) => keychain.delete(ref),
  };
}

const activityColumns = ['time', 'workspace', 'subject', 'action', 'result', 'detail'] as const;

function toActivityRow(entry: ActivityEntry): Record<(typeof activityColumns)[number], string | null> {
  return {
    time: new Date(entry.at).toISOString(),
    workspace: entry.workspaceLabel,
    subject: entry.subject,
    action: entry.action,
    result: entry.result,
    detail: entry.detail,
  };
}
