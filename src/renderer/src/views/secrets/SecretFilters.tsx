import type { SearchSecretsRequest, UsedByFilter } from '../../../../shared/schemas/inventory';
import { useBrowse } from '../../stores/browse';
import { UsedByCombobox } from './UsedByCombobox';

export function SecretFilters({ workspaceId }: { workspaceId: string | null }) {
  const filters = useBrowse((s) => s.filters);
  const setFilters = useBrowse((s) => s.setFilters);
  // A "used by" chosen in another workspace does not apply here (see question.ts).
  const usedBy: UsedByFilter | null =
    filters.usedBy && (workspaceId === null || filters.usedBy.workspaceId === workspaceId) ? filters.usedBy : null;

  return (
    <div className="filters">
      <label className="filter">
        <span className="filter-label">Usage</span>
        <select
          className="select"
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
          value={filters.presence}
          onChange={(e) => setFilters({ presence: e.target.value as SearchSecretsRequest['presence'] })}
        >
          <option value="present">Present</option>
          <option value="removed">Removed remotely</option>
          <option value="all">All</option>
        </select>
      </label>
      <UsedByCombobox workspaceId={workspaceId} value={usedBy} onChange={(next) => setFilters({ usedBy: next })} />
    </div>
  );
}
