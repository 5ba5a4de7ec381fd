import { switchToWorkspace } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { useVariablesUi } from '../../stores/variables';

/** Shows a variable in the matrix of its workspace (from a secret's detail, a connection's card, Review). */
export async function showVariable(workspaceId: string, label: string): Promise<void> {
  const ui = useUi.getState();
  ui.setScope('workspace');
  await switchToWorkspace(workspaceId);
  useVariablesUi.getState().setKind(null);
  useVariablesUi.getState().setEnvironment(null);
  useVariablesUi.getState().focusVariable({ workspaceId, label });
  ui.setView('variables');
}
