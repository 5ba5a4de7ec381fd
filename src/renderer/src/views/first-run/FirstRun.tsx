import { useState } from 'react';
import { Logo } from '../../components/Logo';
import { toIpcError } from '../../keyring';
import { addDemoWorkspace, openAddWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';

/** No workspace yet: what the app does, and three ways in (the demo, a workspace, a backup from another computer). */
export function FirstRun() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const openDialog = useUi((s) => s.openDialog);

  const tryDemo = async () => {
    setBusy(true);
    setError(null);
    try {
      await addDemoWorkspace();
    } catch (caught) {
      setError(toIpcError(caught).message);
      setBusy(false);
    }
  };

  return (
    <div className="first-run">
      <div className="first-run-card">
        <Logo size={48} />
        <h1 id="main-heading" tabIndex={-1}>
          Welcome to Agent Keyring
        </h1>
        <p className="first-run-lead">
          Agent Keyring keeps your ElevenLabs API keys in this computer’s system keychain and saves an inventory of each workspace’s secrets
          and auth connections, so you can see which agents, tools and phone numbers use what, even offline.
        </p>
        <div className="first-run-actions">
          <button
            type="button"
            className="button button-primary button-large"
            onClick={() => void tryDemo()}
            disabled={busy}
            aria-busy={busy || undefined}
          >
            {busy ? 'Setting up the demo…' : 'Try the demo workspace'}
          </button>
          <button type="button" className="button button-large" onClick={openAddWorkspace} disabled={busy}>
            Add an ElevenLabs workspace
          </button>
          <button type="button" className="button button-large" onClick={() => openDialog({ kind: 'restoreBackup' })} disabled={busy}>
            Restore from a backup
          </button>
        </div>
        <p className="first-run-note">
          The demo needs no ElevenLabs account or API key: it runs a built-in copy of the ElevenLabs API on this computer, with sample
          agents, tools and secrets. Moving from another computer? Restore the backup you made there: its workspaces, values and connections
          come back after you have seen what would be restored.
        </p>
        {busy ? (
          <p className="first-run-progress" role="status">
            <span className="spinner" aria-hidden="true" /> Starting the demo workspace and checking its key…
          </p>
        ) : null}
        {error ? (
          <div className="callout callout-error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
    </div>
  );
}
