import { ContentHeader } from './components/ContentHeader';
import { DialogHost } from './components/DialogHost';
import { EmptyState } from './components/EmptyState';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { SyncProgress } from './components/SyncProgress';
import { Toasts } from './components/Toasts';
import { useAppEvents } from './hooks/useAppEvents';
import { useShortcuts } from './hooks/useShortcuts';
import { useUi } from './stores/ui';
import { useWorkspaces } from './stores/workspaces';
import { AuthConnectionsView } from './views/connections/AuthConnectionsView';
import { FirstRun } from './views/first-run/FirstRun';
import { SecretsView } from './views/secrets/SecretsView';
import { WorkspacesView } from './views/workspaces/WorkspacesView';

export function App() {
  useAppEvents();
  useShortcuts();
  const dialogOpen = useUi((s) => s.dialog !== null);

  return (
    <>
      <div className="app" inert={dialogOpen || undefined}>
        <Sidebar />
        <main className="content" aria-labelledby="main-heading">
          <Main />
        </main>
      </div>
      <DialogHost />
      <Toasts />
    </>
  );
}

function Main() {
  const status = useWorkspaces((s) => s.status);
  const error = useWorkspaces((s) => s.error);
  const count = useWorkspaces((s) => s.workspaces.length);
  const view = useUi((s) => s.view);

  if (status === 'loading') {
    return (
      <div className="app-loading" aria-busy="true">
        <h1 id="main-heading" className="visually-hidden" tabIndex={-1}>
          Agent Keyring
        </h1>
        <span className="spinner" aria-hidden="true" />
        <span>Opening your workspaces…</span>
      </div>
    );
  }
  if (status === 'error' && error) {
    return (
      <div className="app-loading">
        <h1 id="main-heading" className="visually-hidden" tabIndex={-1}>
          Agent Keyring
        </h1>
        <EmptyState title="Your workspaces could not be read" icon="!" tone="error">
          <p>{error.message}</p>
          <button type="button" className="button button-primary" onClick={() => void useWorkspaces.getState().load()}>
            Try again
          </button>
        </EmptyState>
      </div>
    );
  }
  if (count === 0) return <FirstRun />;

  return (
    <>
      <ContentHeader />
      <StatusBar />
      <SyncProgress />
      <div className="view">
        {view === 'secrets' ? <SecretsView /> : view === 'connections' ? <AuthConnectionsView /> : <WorkspacesView />}
      </div>
    </>
  );
}
