import { useUi } from '../stores/ui';
import { useActiveWorkspace } from '../queries/workspaces';

/** "This workspace" / "All workspaces": segmented buttons shared by the inventory views. */
export function ScopeSwitch() {
  const scope = useUi((s) => s.scope);
  const setScope = useUi((s) => s.setScope);
  const active = useActiveWorkspace();
  return (
    <div className="segmented" role="group" aria-label="Scope">
      <button
        type="button"
        aria-pressed={scope === 'workspace'}
        onClick={() => setScope('workspace')}
        title={active ? `Only “${active.label}”` : undefined}
      >
        This workspace
      </button>
      <button type="button" aria-pressed={scope === 'all'} onClick={() => setScope('all')}>
        All workspaces
      </button>
    </div>
  );
}
