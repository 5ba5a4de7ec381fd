import { DensityToggle } from '../../components/DensityToggle';
import { ScopeSwitch } from '../../components/ScopeSwitch';
import { SearchBox } from '../../components/SearchBox';
import { plural, quoted } from '../../lib/format';
import { useSecretHead } from '../../queries/inventory';
import { useActiveWorkspaceId } from '../../queries/workspaces';
import { useBrowse } from '../../stores/browse';
import { isFiltered, useSecretQuestion, type CurrentQuestion } from './question';
import { SecretDetailPane } from './SecretDetailPane';
import { SecretFilters } from './SecretFilters';
import { LIST_ID, SecretList } from './SecretList';

/** The default view: every cached secret, searchable offline, and who uses the one selected. */
export function SecretsView() {
  const current = useSecretQuestion();
  const query = useBrowse((s) => s.filters.query);
  const setFilters = useBrowse((s) => s.setFilters);
  const activeId = useActiveWorkspaceId();
  const head = useSecretHead(current.question);
  const total = head.isPlaceholderData ? null : (head.data?.total ?? null);

  const moveIntoList = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    const { selection, select } = useBrowse.getState();
    if (total) select(current.key, selection?.question === current.key ? selection.index : 0);
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
            resetKey={activeId}
          />
          <ScopeSwitch />
        </div>
        <SecretFilters workspaceId={current.question.workspaceId} />
        <div className="result-bar">
          <ResultCount current={current} />
          <ClearFilters current={current} />
          <DensityToggle />
        </div>
        <SecretList current={current} />
      </div>
      <SecretDetailPane />
    </div>
  );
}

function ClearFilters({ current }: { current: CurrentQuestion }) {
  const resetFilters = useBrowse((s) => s.resetFilters);
  if (!isFiltered(current.question)) return null;
  return (
    <button type="button" className="button button-ghost button-small" onClick={resetFilters}>
      Clear filters
    </button>
  );
}

function ResultCount({ current }: { current: CurrentQuestion }) {
  const head = useSecretHead(current.question);
  const total = head.isPlaceholderData ? null : (head.data?.total ?? null);
  let text: string;
  if (head.isError && !head.data) text = 'The saved inventory could not be read';
  else if (total === null) text = 'Searching…';
  else if (total === 0 && current.question.query) text = `No secrets match ${quoted(current.question.query)}`;
  else if (total === 0 && isFiltered(current.question)) text = 'No secrets match these filters';
  else if (total === 0) text = 'No secrets';
  else text = plural(total, 'secret');
  return (
    <p className="result-count" aria-live="polite">
      {text}
    </p>
  );
}
