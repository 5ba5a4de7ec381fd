import { tickNow } from '../hooks/useNow';
import { onEvent } from '../keyring';
import { runMenuCommand } from '../stores/actions';
import { applyFlowEvent, invalidateAccounts, invalidateBoundSecrets } from './accounts';
import { queryClient, queryKeys } from './client';
import { applyPushProgress } from './pushProgress';
import { applySyncProgress } from './syncActivity';
import { brokerStateQuery } from './broker';
import { useUi } from '../stores/ui';

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
    void queryClient.invalidateQueries({ queryKey: queryKeys.keptConnections });
    // Targets' states, the review and the activity log name workspaces and read their inventory.
    invalidateLocal();
  });
  onEvent('sync:progress', (progress) => {
    applySyncProgress(progress);
    if (progress.phase === 'done') {
      void queryClient.invalidateQueries({ queryKey: queryKeys.inventory });
      void queryClient.invalidateQueries({ queryKey: queryKeys.authConnections });
      // Kept connections' target states are computed from the last sync.
      void queryClient.invalidateQueries({ queryKey: queryKeys.keptConnections });
      invalidateLocal();
    }
  });
  // A local secret was made, changed, pushed or deleted (here, by an import, or by a refresh).
  onEvent('localSecrets:changed', invalidateLocal);
  onEvent('push:progress', applyPushProgress);
  onEvent('app:menuCommand', ({ command }) => runMenuCommand(command));
  // Linked accounts: an account changed (linked, refreshed, bound, unlinked); a sign-in moved on;
  // a bound secret's push landed.
  onEvent('accounts:changed', () => {
    tickNow();
    invalidateAccounts();
    // Providers added and removed are in the activity log.
    void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
  });
  onEvent('accounts:flow', applyFlowEvent);
  // A connection kept here was made, changed, adopted, copied or deleted.
  onEvent('keptConnections:changed', () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.keptConnections });
    void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
    // Review lists kept connections (certificates ending, missing in a target, changed remotely).
    void queryClient.invalidateQueries({ queryKey: queryKeys.reviewAll });
  });
  onEvent('localSecrets:changed', invalidateBoundSecrets);
  // akr: a terminal asks to pair or for access (answered in Settings › Command line); a grant changed.
  onEvent('broker:changed', () => {
    void queryClient.invalidateQueries({ queryKey: brokerStateQuery.queryKey });
    void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
  });
  onEvent('broker:request', (request) => {
    const who =
      request.kind === 'pair'
        ? `Terminal “${request.label}” asks to pair`
        : `“${request.clientLabel}” asks for ${request.names.join(', ')}`;
    useUi.getState().notify('info', `${who}: answer in Settings › Command line.`);
  });
}

/** Everything computed from the local secrets and the inventory together. */
function invalidateLocal(): void {
  void queryClient.invalidateQueries({ queryKey: queryKeys.localSecrets });
  void queryClient.invalidateQueries({ queryKey: queryKeys.reviewAll });
  void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
}
