import type { BackupProgress, RestoreAction } from '../../../../shared/schemas/backup';
import type { IpcError } from '../../../../shared/errors';
import { plural } from '../../lib/format';

/** What a long step is doing, in words (the key derivation takes about a second). */
export function progressText(progress: BackupProgress | null, operation: BackupProgress['operation']): string {
  const fallback = operation === 'backup' ? 'Starting the backup…' : 'Opening the backup…';
  if (!progress || progress.operation !== operation) return fallback;
  const count = progress.total !== null && progress.done !== null ? ` (${progress.done} of ${progress.total})` : '';
  switch (progress.phase) {
    case 'reading_keychain':
      return `Reading the values from the keychain${count}…`;
    case 'deriving_key':
      return 'Deriving the key from the passphrase (about a second)…';
    case 'encrypting':
      return 'Encrypting…';
    case 'writing':
      return 'Writing the file…';
    case 'verifying':
      return 'Reading the file back and checking it…';
    case 'decrypting':
      return 'Decrypting…';
    case 'validating':
      return 'Checking every part of the backup…';
    case 'planning':
      return 'Comparing the backup with what is on this computer…';
    case 'safety_backup':
      return 'Taking a safety backup of this computer first…';
    case 'writing_keychain':
      return `Writing the values to the keychain and reading each back${count}…`;
    case 'committing':
      return 'Saving the records…';
  }
}

/** A heading for each refusal a person can act on; main's message says what to do. */
export function refusalTitle(error: IpcError): string {
  switch (error.code) {
    case 'backup_wrong_passphrase':
      return 'Wrong passphrase or recovery key';
    case 'backup_not_a_backup':
      return 'Not an Agent Keyring backup';
    case 'backup_damaged':
      return 'Damaged or incomplete backup';
    case 'backup_too_new':
      return 'Made by a newer version';
    case 'backup_work_factor':
      return 'Refused before opening';
    default:
      return 'The backup could not be opened';
  }
}

export const actionLabels: Record<RestoreAction, string> = {
  add: 'Add',
  unchanged: 'Unchanged',
  conflict: 'Conflict',
  only_here: 'Only here',
};

/** "3 to add, 1 unchanged, 1 conflict, 2 only here". */
export function actionSummary(actions: Record<RestoreAction, number>): string {
  const parts = [
    actions.add ? `${plural(actions.add, 'item')} to add` : '',
    actions.unchanged ? `${actions.unchanged} unchanged` : '',
    actions.conflict ? plural(actions.conflict, 'conflict') : '',
    actions.only_here ? `${actions.only_here} only here` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'nothing in it';
}
