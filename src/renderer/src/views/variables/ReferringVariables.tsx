import type { VariableReferral } from '../../../../shared/schemas/environment-variables';
import { useVariablesReferring } from '../../queries/variables';
import { showVariable } from './show-variable';

/** "Environment variables that refer to it": a secret's detail and a connection's card list them. */
export function ReferringVariables({
  workspaceId,
  kind,
  id,
  variant,
}: {
  workspaceId: string;
  kind: 'secret' | 'auth_connection';
  id: string;
  /** A secret's detail pane titles its sections; a connection's card labels its facts. */
  variant: 'detail' | 'card';
}) {
  const result = useVariablesReferring(workspaceId, kind, id);
  const variables: VariableReferral[] = result.data?.variables ?? [];
  if (variables.length === 0) return null;
  return (
    <div className="referring-variables">
      {variant === 'detail' ? (
        <h3 className="detail-section-title">Environment variables</h3>
      ) : (
        <div className="facts-label">Environment variables</div>
      )}
      <ul className="user-list" aria-label="Environment variables that refer to it">
        {variables.map((variable) => (
          <li key={variable.variableId}>
            <button type="button" className="link-button mono" onClick={() => void showVariable(workspaceId, variable.label)}>
              {variable.label}
            </button>{' '}
            <span className="muted">in {variable.environments.join(', ')}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
