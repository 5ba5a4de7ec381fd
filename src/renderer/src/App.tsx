import { useQuery } from '@tanstack/react-query';
import { ContentHeader } from './components/ContentHeader';
import { DialogHost } from './components/DialogHost';
import { EmptyState } from './components/EmptyState';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { SyncProgress } from './components/SyncProgress';
import { Toasts } from './components/Toasts';
import { useShortcuts } from './hooks/useShortcuts';
import { toIpcError } from './keyring';
import { appInfoQuery, workspacesQuery } from './queries/workspaces';
import { useUi, type View } from './stores/ui';
import { AccountsView } from './views/accounts/AccountsView';
import { ActivityView } from './views/activity/ActivityView';
import { AuthConnectionsView } from './views/connections/AuthConnectionsView';
import { LocalSecretsView } from './views/local-secrets/LocalSecretsView';
import { ReviewView } from './views/review/ReviewView';
import { SettingsView } from './views/settings/SettingsView';
import { FirstRun } from './views/first-run/FirstRun';
import { SecretsView } from './views/secrets/SecretsView';
import { WorkspacesView } from './views/workspaces/WorkspacesView';
import { EnvironmentVariablesView } from './views/variables/EnvironmentVariablesView';

export function App() {
  useShortcuts();
  // Platform (for ⌘ or Ctrl) and version; read once.
  useQuery(appInfoQuery);
  const dialogOpen = useUi((s) => s.dialog !== null);
  const density = useUi((s) => s.density);

  return (
    <>
      <div className={`app density-${density}`} inert={dialogOpen || undefined}>
        {/* The first stop of Tab: past the sidebar's workspaces and sections, to the view itself. */}
        <a
          href="#main-heading"
          className="skip-link"
          onClick={(event) => {
            event.preventDefault();
            document.getElementById('main-heading')?.focus();
          }}
        >
          Skip to content
        </a>
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

/** One entry per view; each view lives in its own folder under views/. */
function CurrentView({ view }: { view: View }) {
  switch (view) {
    case 'secrets':
      return <SecretsView />;
    case 'connections':
      return <AuthConnectionsView />;
    case 'local-secrets':
      return <LocalSecretsView />;
    case 'accounts':
      return <AccountsView />;
    case 'review':
      return <ReviewView />;
    case 'activity':
      return <ActivityView />;
    case 'settings':
      return <SettingsView />;
    case 'workspaces':
      return <WorkspacesView />;
    case 'variables':
      return <EnvironmentVariablesView />;
  }
}

function Main() {
  const workspaces = useQuery(workspacesQuery);
  const view = useUi((s) => s.view);

  if (workspaces.isPending) {
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
  // Only a first failure replaces the app; later ones keep what was read before.
  if (workspaces.isError && !workspaces.data) {
    return (
      <div className="app-loading">
        <h1 id="main-heading" className="visually-hidden" tabIndex={-1}>
          Agent Keyring
        </h1>
        <EmptyState title="Your workspaces could not be read" icon="!" tone="error">
          <p>{toIpcError(workspaces.error).message}</p>
          <button type="button" className="button button-primary" onClick={() => void workspaces.refetch()}>
            Try again
          </button>
        </EmptyState>
      </div>
    );
  }
  if (!workspaces.data?.workspaces.length) return <FirstRun />;

  return (
    <>
      <ContentHeader />
      <StatusBar />
      <SyncProgress />
      <div className="view">
        <CurrentView view={view} />
      </div>
    </>
  );
}
