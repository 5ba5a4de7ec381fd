import { useEffect } from 'react';
import { call, onEvent } from '../keyring';
import { runMenuCommand } from '../stores/actions';
import { useSync } from '../stores/sync';
import { useUi } from '../stores/ui';
import { useWorkspaces } from '../stores/workspaces';
import { tickNow } from './useNow';

/** Loads the first data and keeps the stores in step with main's events and the network state. */
export function useAppEvents(): void {
  useEffect(() => {
    void useWorkspaces.getState().load();
    call((api) => api.app.getInfo({}))
      .then((info) => useUi.getState().setAppInfo(info))
      .catch(() => undefined);

    const unsubscribe = [
      onEvent('workspaces:changed', () => {
        tickNow();
        void useWorkspaces.getState().changed();
      }),
      onEvent('sync:progress', (progress) => useSync.getState().applyProgress(progress)),
      onEvent('app:menuCommand', ({ command }) => runMenuCommand(command)),
    ];

    const online = () => {
      useUi.getState().setOnline(true);
      void useWorkspaces.getState().load();
    };
    const offline = () => useUi.getState().setOnline(false);
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      for (const off of unsubscribe) off();
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  }, []);
}
