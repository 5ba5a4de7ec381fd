import type { ParsedRequestOf, ReplyOf } from '../../shared/contract';
import type { SecretClipboard } from '../clipboard/secret-clipboard';
import type { EventBus } from '../events/event-bus';
import { BACKUP_EXTENSION, type FileChooser } from '../ports/file-chooser';
import type { Clock } from '../ports/clock';
import type { BackupService, ProgressListener } from './backup-service';
import { generatePassphrase, generateRecoveryKey, recoverySheet } from './passphrase';

export interface BackupDeskDeps {
  service: BackupService;
  /** Where a backup is saved and which one is read: main's dialogs, never a path from the renderer. */
  files: FileChooser;
  events: EventBus;
  clipboard: SecretClipboard;
  clock: Clock;
}

/**
 * The backup channels (backup:*) over the service: asks where to save, says how a long step goes
 * as `backup:progress` events, and copies a passphrase from main. The work is BackupService's.
 */
export class BackupDesk {
  constructor(private readonly deps: BackupDeskDeps) {}

  readonly #progress: ProgressListener = (progress) => this.deps.events.emit('backup:progress', progress);

  generatePassphrase(): ReplyOf<'backup:generatePassphrase'> {
    return generatePassphrase();
  }

  generateRecoveryKey(): Promise<ReplyOf<'backup:generateRecoveryKey'>> {
    return generateRecoveryKey();
  }

  recoverySheet(request: ParsedRequestOf<'backup:recoverySheet'>): ReplyOf<'backup:recoverySheet'> {
    return recoverySheet(request);
  }

  copySecret(request: ParsedRequestOf<'backup:copySecret'>): ReplyOf<'backup:copySecret'> {
    return this.deps.clipboard.copy(request.secret);
  }

  async create(request: ParsedRequestOf<'backup:create'>): Promise<ReplyOf<'backup:create'>> {
    const day = new Date(this.deps.clock.now()).toISOString().slice(0, 10);
    const file = await this.deps.files.chooseSave(`agent-keyring-backup-${day}${BACKUP_EXTENSION}`);
    if (file === null) return { saved: false };
    const receipt = await this.deps.service.backup(
      request.key,
      { file, includeRefreshTokens: request.includeRefreshTokens },
      this.#progress,
    );
    return { saved: true, receipt };
  }

  async chooseFile(): Promise<ReplyOf<'backup:chooseFile'>> {
    return { file: await this.deps.files.chooseOpen() };
  }

  verify(request: ParsedRequestOf<'backup:verify'>): Promise<ReplyOf<'backup:verify'>> {
    return this.deps.service.verify(request.file, request.key, this.#progress);
  }

  readAndPlan(request: ParsedRequestOf<'backup:readAndPlan'>): Promise<ReplyOf<'backup:readAndPlan'>> {
    return this.deps.service.readAndPlan(request.file, request.key, this.#progress);
  }

  applyRestore(request: ParsedRequestOf<'backup:applyRestore'>): Promise<ReplyOf<'backup:applyRestore'>> {
    return this.deps.service.applyRestore(request.planId, request.mode, { confirmReplace: request.confirmReplace }, this.#progress);
  }

  lastVerified(): ReplyOf<'backup:lastVerified'> {
    return { backup: this.deps.service.lastVerifiedBackup() };
  }
}
