import { type VariableKind, variableKinds } from '../../../../shared/schemas/environment-variables';
import type { WorkspaceSummary } from '../../../../shared/schemas/workspaces';
import { EmptyState } from '../../components/EmptyState';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { ScrollRegion } from '../../components/ScrollRegion';
import { SearchBox } from '../../components/SearchBox';
import { toIpcError } from '../../keyring';
import { formatNumber, plural, quoted } from '../../lib/format';
import { useAnySyncing } from '../../queries/syncActivity';
import { useVariableSearch, useVariables } from '../../queries/variables';
import { secretsDenied, useActiveWorkspace, useWorkspaceList } from '../../queries/workspaces';
import { syncWorkspaces } from '../../stores/actions';
import { useUi } from '../../stores/ui';
import { useVariablesUi } from '../../stores/variables';
import { kindLabel } from './variable-labels';
import { showVariable } from './show-variable';
import { VariableChangeToolbar } from './VariableChanges';
import { VariableMatrix } from './VariableMatrix';

const SEARCH_RESULTS_ID = 'variable-search-results';

/**
 * Each workspace's environment variables as the matrix they are (offline, from the last sync):
 * rows are labels, columns environments. Filters narrow the rows; the search finds labels in
 * every workspace.
 */
export function EnvironmentVariablesView() {
  const scope = useUi((s) => s.scope);
  const active = useActiveWorkspace();
  const workspaces = useWorkspaceList();
  const query = useVariablesUi((s) => s.query);
  const setQuery = useVariablesUi((s) => s.setQuery);
  const shown = scope === 'all' ? workspaces : active ? [active] : [];

  return (
    <ScrollRegion className="variables-view" label="Environment variables by environment, as last synced">
      <div className="toolbar">
        <SearchBox
          label="Search variable labels in every workspace"
          placeholder="Find a variable by label, in every workspace"
          value={query}
          onSearch={setQuery}
          controls={query.trim() ? SEARCH_RESULTS_ID : undefined}
        />
        <ScopeSwitch />
      </div>
      <SearchResults query={query} />
      <VariableChangeToolbar />
      {shown.map((workspace) => (
        <WorkspaceVariables key={workspace.id} workspace={workspace} titled={shown.length > 1} />
      ))}
    </ScrollRegion>
  );
}

function SearchResults({ query }: { query: string }) {
  const result = useVariableSearch(query);
  const workspaces = useWorkspaceList();
  if (query.trim() === '') return null;
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  if (result.isError && !result.data) {
    return (
      <p className="result-count" role="alert">
        The search could not be made: {toIpcError(result.error).message}
      </p>
    );
  }
  const hits = result.data?.hits ?? null;
  return (
    <section className="variable-search" id={SEARCH_RESULTS_ID} aria-label="Variables found in every workspace">
      <p className="result-count" aria-live="polite">
        {hits === null
          ? 'Searching…'
          : hits.length === 0
            ? `No variable label matches ${quoted(query.trim())} in any workspace`
            : `${plural(hits.length, 'variable')} ${hits.length === 1 ? 'matches' : 'match'} ${quoted(query.trim())}`}
      </p>
      {hits && hits.length > 0 ? (
        <ul className="variable-hits" aria-label="Matching variables">
          {hits.map((hit) => (
            <li key={`${hit.workspaceId}:${hit.variableId}`} className="variable-hit">
              <button type="button" className="link-button mono" onClick={() => void showVariable(hit.workspaceId, hit.label)}>
                {hit.label}
              </button>
              <span className="chip">{labelOf(hit.workspaceId)}</span>
              <span className="muted">
                {kindLabel(hit.type)} · {hit.environments.join(', ')}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function WorkspaceVariables({ workspace, titled }: { workspace: WorkspaceSummary; titled: boolean }) {
  const kind = useVariablesUi((s) => s.kind);
  const environment = useVariablesUi((s) => s.environment);
  const result = useVariables(workspace.id, kind, environment);
  const syncing = useAnySyncing();
  const headingId = `variables-of-${workspace.id}`;

  let body: React.ReactNode;
  if (result.isError && !result.data) {
    body = (
      <EmptyState title="The saved variables could not be read" icon="!" tone="error">
        <p>{toIpcError(result.error).message}</p>
        <button type="button" className="button" onClick={() => void result.refetch()}>
          Try again
        </button>
      </EmptyState>
    );
  } else if (!result.data) {
    body = (
      <div className="card card-skeleton" aria-busy="true">
        <span className="visually-hidden">Loading environment variables…</span>
        <span className="skeleton skeleton-title" aria-hidden="true" />
      </div>
    );
  } else {
    const { variables, environments, total, access } = result.data;
    const filtered = kind !== null || environment !== null;
    const denied =
      access?.state === 'denied' ? (
        <div className="callout callout-warn">
          <p>
            <strong>This key cannot list environment variables{access.permission ? ` (it lacks ${access.permission})` : ''}.</strong>
          </p>
          <p>{total ? 'These are the ones saved before.' : 'So they are unknown here, not absent.'}</p>
        </div>
      ) : null;
    if (total === 0) {
      const neverSynced = access === null;
      body = (
        <>
          {denied}
          {access?.state === 'denied' ? null : (
            <EmptyState title="No environment variables in this workspace." icon="○">
              {neverSynced && !secretsDenied(workspace) ? (
                <>
                  <p>Nothing has been synced since Agent Keyring knows them. Sync to save them on this computer.</p>
                  <button
                    type="button"
                    className="button button-primary"
                    disabled={syncing}
                    onClick={() => void syncWorkspaces([workspace.id])}
                  >
                    {syncing ? 'Syncing…' : 'Sync this workspace'}
                  </button>
                </>
              ) : (
                <p>Variables made in the ElevenLabs dashboard or through the API appear here after a sync.</p>
              )}
            </EmptyState>
          )}
        </>
      );
    } else {
      body = (
        <>
          {denied}
          <VariableFilters environments={environments} />
          <p className="result-count" aria-live="polite">
            {filtered ? `${formatNumber(variables.length)} of ${plural(total, 'variable')}` : plural(total, 'variable')} ·{' '}
            {plural(environments.length, 'environment')}
          </p>
          {variables.length === 0 ? (
            <p className="muted">No variable matches these filters.</p>
          ) : (
            <VariableMatrix workspaceId={workspace.id} workspaceLabel={workspace.label} variables={variables} environments={environments} />
          )}
        </>
      );
    }
  }
  return (
    <section
      className="variables-workspace"
      aria-labelledby={titled ? headingId : undefined}
      aria-label={titled ? undefined : workspace.label}
    >
      {titled ? (
        <h2 id={headingId} className="variables-workspace-title">
          {workspace.label}
        </h2>
      ) : null}
      {body}
    </section>
  );
}

function VariableFilters({ environments }: { environments: string[] }) {
  const kind = useVariablesUi((s) => s.kind);
  const environment = useVariablesUi((s) => s.environment);
  const setKind = useVariablesUi((s) => s.setKind);
  const setEnvironment = useVariablesUi((s) => s.setEnvironment);
  return (
    <div className="filters">
      <label className="filter">
        <span className="filter-label">Type</span>
        <select className="select" value={kind ?? ''} onChange={(e) => setKind((e.target.value || null) as VariableKind | null)}>
          <option value="">All types</option>
          {variableKinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel(k)}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Has environment</span>
        <select className="select" value={environment ?? ''} onChange={(e) => setEnvironment(e.target.value || null)}>
          <option value="">Any environment</option>
          {environments.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {kind !== null || environment !== null ? (
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => {
            setKind(null);
            setEnvironment(null);
          }}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
