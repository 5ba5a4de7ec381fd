import { tickNow } from '../hooks/useNow';
import { onEvent } from '../keyring';
import { runMenuCommand } from '../stores/actions';
import { queryClient, queryKeys } from './client';
import { applySyncProgress } from './syncActivity';

let listening = false;

/**
 * Keeps the cache in step with main, once for the life of the page: a finished sync makes the
 * inventory stale, and any change to the workspaces (added, renamed, removed, synced, failed)
 * makes everything read from them stale. Stale queries on screen are re-read in place; what
 * they showed stays until the new answer arrives.
 */
export function listenToMain(): void {
  if (listening) return;
  listening = true;
  onEvent('workspaces:changed', () => {
    tickNow();
    void queryClient.invalidateQueries({ queryKey: queryKeys.workspaces });
    void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
    void queryClient.invalidateQueries({ queryKey: queryKeys.authConnections });
  });
  onEvent('sync:progress', (progress) => {
    applySyncProgress(progress);
    if (progress.phase === 'done') {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: queryKeys.authConnections });
    }
  });
  onEvent('app:menuCommand', ({ command }) => runMenuCommand(command));
}
