import { useEffect } from 'react';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { SearchBox } from '../../components/SearchBox';
import { plural, quoted } from '../../lib/format';
import { hasActiveFilters, useInventory } from '../../stores/inventory';
import { useUi } from '../../stores/ui';
import { useWorkspaces } from '../../stores/workspaces';
import { SecretDetailPane } from './SecretDetailPane';
import { SecretFilters } from './SecretFilters';
import { LIST_ID, SecretList } from './SecretList';

/** The default view: every cached secret, searchable offline, and who uses the one selected. */
export function SecretsView() {
  const scope = useUi((s) => s.scope);
  const activeId = useWorkspaces((s) => s.activeWorkspaceId);
  const changeCount = useWorkspaces((s) => s.changeCount);
  const query = useInventory((s) => s.filters.query);
  const setFilters = useInventory((s) => s.setFilters);
  const setScope = useInventory((s) => s.setScope);
  const refresh = useInventory((s) => s.refresh);

  useEffect(() => {
    setScope(scope === 'all' ? null : activeId);
  }, [scope, activeId, setScope]);

  // A sync finished, a workspace was renamed or removed: re-read what is on screen.
  useEffect(() => {
    if (changeCount > 0) refresh();
  }, [changeCount, refresh]);

  const moveIntoList = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    const { total, selectedIndex, select } = useInventory.getState();
    if (total) select(selectedIndex ?? 0);
    document.getElementById(LIST_ID)?.focus();
  };

  return (
    <div className="secrets-layout">
      <div className="secrets-main">
        <div className="toolbar">
          <SearchBox
            label="Search secrets"
            placeholder="Search secrets by name"
            value={query}
            onSearch={(q) => setFilters({ query: q })}
            onKeyDown={moveIntoList}
            controls={LIST_ID}
          />
          <ScopeSwitch />
        </div>
        <SecretFilters />
        <ResultCount />
        <SecretList />
      </div>
      <SecretDetailPane />
    </div>
  );
}

function ResultCount() {
  const total = useInventory((s) => s.total);
  const status = useInventory((s) => s.status);
  const filters = useInventory((s) => s.filters);
  let text: string;
  if (status === 'error') text = 'The saved inventory could not be read';
  else if (total === null) text = 'Searching…';
  else if (total === 0 && filters.query.trim()) text = `No secrets match ${quoted(filters.query.trim())}`;
  else if (total === 0 && hasActiveFilters(filters)) text = 'No secrets match these filters';
  else if (total === 0) text = 'No secrets';
  else text = plural(total, 'secret');
  return (
    <p className="result-count" aria-live="polite">
      {text}
    </p>
  );
}
