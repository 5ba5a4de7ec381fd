import type { DependantOption, SearchSecretsRequest } from '../../../../shared/schemas/inventory';
import { plural } from '../../lib/format';
import { hasActiveFilters, sameUsedBy, useInventory } from '../../stores/inventory';
import { useWorkspaces } from '../../stores/workspaces';

/** The "Used by" option values carry workspace, kind and id. */
function encode(option: Pick<DependantOption, 'workspaceId' | 'kind' | 'dependantId'>): string {
  return JSON.stringify([option.workspaceId, option.kind, option.dependantId]);
}

export function SecretFilters() {
  const filters = useInventory((s) => s.filters);
  const setFilters = useInventory((s) => s.setFilters);
  const resetFilters = useInventory((s) => s.resetFilters);
  const dependants = useInventory((s) => s.dependants);
  const allScope = useInventory((s) => s.workspaceId === null);
  const workspaces = useWorkspaces((s) => s.workspaces);
  const label = (id: string) => workspaces.find((w) => w.id === id)?.label ?? '';

  const agents = dependants.options.filter((o) => o.kind === 'agent');
  const tools = dependants.options.filter((o) => o.kind === 'tool');
  const optionText = (o: DependantOption) =>
    `${o.name ?? o.dependantId}${allScope ? ` · ${label(o.workspaceId)}` : ''} (${plural(o.secretCount, 'secret')})`;
  const usedByValue = filters.usedBy ? encode(filters.usedBy) : '';
  // Keep the chosen option listed while the options reload.
  const usedByKnown = !filters.usedBy || dependants.options.some((o) => sameUsedBy(o, filters.usedBy!));

  return (
    <div className="filters">
      <label className="filter">
        <span className="filter-label">Usage</span>
        <select
          className="select"
          aria-label="Usage"
          value={filters.usage}
          onChange={(e) => setFilters({ usage: e.target.value as SearchSecretsRequest['usage'] })}
        >
          <option value="any">All</option>
          <option value="unused">Unused</option>
          <option value="used">Used</option>
        </select>
      </label>
      <label className="filter">
        <span className="filter-label">Presence</span>
        <select
          className="select"
          aria-label="Presence"
          value={filters.presence}
          onChange={(e) => setFilters({ presence: e.target.value as SearchSecretsRequest['presence'] })}
        >
          <option value="present">Present</option>
          <option value="removed">Removed remotely</option>
          <option value="all">All</option>
        </select>
      </label>
      <label className="filter filter-grow">
        <span className="filter-label">Used by</span>
        <select
          className="select"
          aria-label="Used by"
          value={usedByValue}
          onChange={(e) => {
            if (!e.target.value) return setFilters({ usedBy: null });
            const [workspaceId, kind, dependantId] = JSON.parse(e.target.value) as [string, 'agent' | 'tool', string];
            setFilters({ usedBy: { workspaceId, kind, dependantId } });
          }}
        >
          <option value="">Anyone</option>
          {!usedByKnown && filters.usedBy ? <option value={usedByValue}>{filters.usedBy.dependantId}</option> : null}
          {agents.length ? (
            <optgroup label="Agents">
              {agents.map((o) => (
                <option key={encode(o)} value={encode(o)}>
                  {optionText(o)}
                </option>
              ))}
            </optgroup>
          ) : null}
          {tools.length ? (
            <optgroup label="Tools">
              {tools.map((o) => (
                <option key={encode(o)} value={encode(o)}>
                  {optionText(o)}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
      {hasActiveFilters(filters) ? (
        <button type="button" className="button button-ghost button-small" onClick={resetFilters}>
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
