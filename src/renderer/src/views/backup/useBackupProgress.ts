import { useEffect, useState } from 'react';
import type { BackupProgress } from '../../../../shared/schemas/backup';
import { onEvent } from '../../keyring';

/** The latest `backup:progress` event while `active` (a backup, verify or restore running); null otherwise. */
export function useBackupProgress(active: boolean): BackupProgress | null {
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  useEffect(() => {
    if (!active) return;
    const stop = onEvent('backup:progress', setProgress);
    return () => {
      stop();
      setProgress(null);
    };
  }, [active]);
  return active ? progress : null;
}
