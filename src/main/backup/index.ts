// Backup and restore (issue 13): the one module the IPC handlers and the composition root import.
export { BackupService, type BackupServiceDeps, type ProgressListener, type RestoredRecords } from './backup-service';
export { generatePassphrase, generateRecoveryKey, recoverySheet, MIN_WORDS, type RecoverySheetFacts } from './passphrase';
export { SCRYPT_WORK_FACTOR, MAX_READ_WORK_FACTOR } from './age-file';
export { FORMAT_NAME, FORMAT_VERSION, READER_VERSION } from './format';
export { BackupDesk, type BackupDeskDeps } from './backup-desk';
