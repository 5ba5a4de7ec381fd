import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { SecretRow } from '../../../../shared/schemas/inventory';
import { EmptyState } from '../../components/EmptyState';
import { Highlight } from '../../components/Highlight';
import { toIpcError } from '../../keyring';
import { dependantsSummary, quoted } from '../../lib/format';
import { PAGE_SIZE, useSecretHead, useSecretResults } from '../../queries/inventory';
import { useAnySyncing } from '../../queries/syncActivity';
import { secretsDenied, useActiveWorkspace, useWorkspaceList } from '../../queries/workspaces';
import { syncWorkspaces } from '../../stores/actions';
import { useBrowse } from '../../stores/browse';
import { useUi } from '../../stores/ui';
import { isFiltered, useOpenSecret, useSelectedIndex, type CurrentQuestion } from './question';

export const LIST_ID = 'secrets-list';
const ROW_HEIGHT = { comfortable: 56, compact: 26 } as const;

const optionId = (index: number) => `secret-option-${index}`;

/**
 * The secrets of the current question, virtualized: only the rows on screen exist, and pages
 * of 200 are read from SQLite as they scroll into view.
 */
export function SecretList({ current }: { current: CurrentQuestion }) {
  const { question, key } = current;
  const density = useUi((s) => s.density);
  const rowHeight = ROW_HEIGHT[density];
  const head = useSecretHead(question);
  const selectedIndex = useSelectedIndex(key);
  const openSecret = useOpenSecret();
  const workspaces = useWorkspaceList();
  const scrollRef = useRef<HTMLDivElement>(null);

  const total = head.data?.total ?? null;
  const count = total ?? 0;
  // The React Compiler leaves this component unmemoised because of the virtualizer, as TanStack
  // Virtual requires; the list re-renders on scroll by design.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const visiblePages: number[] = [];
  for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) visiblePages.push(page);
  const results = useSecretResults(question, visiblePages);
  const selected = selectedIndex !== null && selectedIndex < count ? selectedIndex : null;

  // Row height follows the density.
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  // A new question starts at the top. Only when scrolled (as the virtualizer last saw it): a
  // scrollTo forces a layout on every keystroke of a search, ~4 ms of each at 100,000 secrets.
  useEffect(() => {
    if ((virtualizer.scrollOffset ?? 0) > 0) scrollRef.current?.scrollTo({ top: 0 });
  }, [key, virtualizer]);

  // Keep the keyboard selection on screen.
  useEffect(() => {
    if (selected !== null) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [selected, virtualizer]);

  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  const allScope = question.workspaceId === null;

  const openAt = (index: number) => {
    const row = results.rowAt(index);
    if (row) useBrowse.getState().open({ workspaceId: row.workspaceId, secretId: row.secretId });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (!count) return;
    const current = selected ?? -1;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 1);
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = Math.min(count - 1, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current - 1);
        break;
      case 'PageDown':
        next = Math.min(count - 1, current + pageRows);
        break;
      case 'PageUp':
        next = Math.max(0, current - pageRows);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      case 'Enter':
      case ' ':
        if (selected !== null) {
          event.preventDefault();
          openAt(selected);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    useBrowse.getState().select(key, next);
  };

  // One handler for every row (rows come and go as the list scrolls).
  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    const index = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset['index'];
    if (index === undefined) return;
    useBrowse.getState().select(key, Number(index));
    openAt(Number(index));
  };

  // Tabbing in puts the cursor on the first row; a click chooses its own row instead.
  const onFocus = (event: React.FocusEvent<HTMLDivElement>) => {
    if (selected === null && count && event.target === event.currentTarget && event.currentTarget.matches(':focus-visible')) {
      useBrowse.getState().select(key, 0);
    }
  };

  const activeDescendant = selected !== null && items.some((item) => item.index === selected) ? optionId(selected) : undefined;

  if (results.error && !head.data) {
    return (
      <div className="list-frame">
        <EmptyState title="The saved inventory could not be read" icon="!" tone="error">
          <p>{toIpcError(results.error).message}</p>
          <button type="button" className="button" onClick={results.refetch}>
            Try again
          </button>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className={`list-frame${results.stale ? ' is-stale' : ''}`}>
      <div
        ref={scrollRef}
        id={LIST_ID}
        className="secret-list"
        role="listbox"
        aria-label="Secrets"
        aria-activedescendant={activeDescendant}
        aria-busy={total === null || results.stale || undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onClick={onClick}
      >
        {total === null ? (
          <LoadingRows height={rowHeight} />
        ) : (
          <div className="secret-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = results.rowAt(item.index);
              const isSelected = item.index === selected;
              const open = Boolean(row && openSecret && row.workspaceId === openSecret.workspaceId && row.secretId === openSecret.secretId);
              return (
                <div
                  key={item.key}
                  id={optionId(item.index)}
                  role="option"
                  aria-selected={isSelected}
                  aria-current={open ? 'true' : undefined}
                  aria-setsize={count}
                  aria-posinset={item.index + 1}
                  aria-describedby={row ? `${optionId(item.index)}-meta` : undefined}
                  aria-label={row ? undefined : 'Loading…'}
                  className={`secret-row${isSelected ? ' is-selected' : ''}${open ? ' is-open' : ''}${row?.removedRemotelyAt ? ' is-removed' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: rowHeight }}
                  data-index={item.index}
                >
                  {row ? (
                    <RowContent
                      row={row}
                      id={optionId(item.index)}
                      query={question.query}
                      workspaceLabel={allScope ? labelOf(row.workspaceId) : null}
                    />
                  ) : (
                    <Placeholder />
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
      {total === 0 && !results.stale ? <ListEmpty current={current} /> : null}
    </div>
  );
}

function RowContent({ row, id, query, workspaceLabel }: { row: SecretRow; id: string; query: string; workspaceLabel: string | null }) {
  const summary = dependantsSummary(row.counts);
  return (
    <>
      <div className="secret-row-line">
        <span className="secret-name mono" id={`${id}-name`}>
          <Highlight text={row.name} query={query} />
        </span>
        {row.removedRemotelyAt ? (
          <span className="badge badge-warn" aria-hidden="true">
            Removed remotely
          </span>
        ) : null}
      </div>
      {/* The row's name is its secret's name, what is seen and said to pick it (WCAG 2.5.3); the rest
          is read once, as its description. */}
      <div className="secret-row-meta" id={`${id}-meta`} aria-hidden="true">
        {workspaceLabel ? <span className="chip">{workspaceLabel}</span> : null}
        <span className={row.dependantCount === 0 ? 'unused' : undefined}>
          {summary}
          {row.dependantsTruncated ? ' (may be incomplete)' : ''}
        </span>
        {row.removedRemotelyAt ? <span className="visually-hidden">, removed remotely</span> : null}
      </div>
    </>
  );
}

function Placeholder() {
  return (
    <div className="placeholder" aria-hidden="true">
      <span className="skeleton skeleton-name" />
      <span className="skeleton skeleton-meta" />
    </div>
  );
}

function LoadingRows({ height }: { height: number }) {
  return (
    <div className="loading-rows">
      <span className="visually-hidden">Loading secrets…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="secret-row static" style={{ height }}>
          <Placeholder />
        </div>
      ))}
    </div>
  );
}

/** What a narrowed list came back empty for, and the advice that fits it. */
function filteredAdvice(question: CurrentQuestion['question'], where: string): { title: string; advice: string } {
  if (question.query) {
    return {
      title: `No secrets match ${quoted(question.query)}`,
      advice: 'Try another part of the name: case, spaces, “-” and “_” do not matter. Or clear the filters to see every secret.',
    };
  }
  if (question.usedBy) {
    return {
      title: 'Nothing it uses matches these filters',
      advice: 'It uses no secret that also passes the other filters. Clear “Used by” (×) or the filters to see every secret.',
    };
  }
  if (question.presence === 'removed') {
    return {
      title: `No secret has been removed remotely ${where}`,
      advice: 'Secrets deleted in ElevenLabs are listed here after a sync finds them gone, so you can see what still refers to them.',
    };
  }
  if (question.usage === 'unused') {
    return {
      title: `Every secret ${where} is in use`,
      advice: 'Each one is used by at least one agent, tool, phone number or MCP server.',
    };
  }
  if (question.usage === 'used') {
    return { title: `No secret ${where} is in use`, advice: 'No agent, tool, phone number or MCP server uses any of them.' };
  }
  return { title: 'No secrets match these filters', advice: 'Clear the filters to see every secret.' };
}

/** Why there is nothing to list, and what to do about it. */
function ListEmpty({ current }: { current: CurrentQuestion }) {
  const resetFilters = useBrowse((s) => s.resetFilters);
  const active = useActiveWorkspace();
  const workspaces = useWorkspaceList();
  const syncing = useAnySyncing();
  const { question } = current;
  const allScope = question.workspaceId === null;
  const where = allScope ? 'in any workspace' : `in ${quoted(active?.label ?? '')}`;

  if (isFiltered(question)) {
    const { title, advice } = filteredAdvice(question, where);
    return (
      <div className="list-overlay">
        <EmptyState title={title} icon="⌕">
          <p>{advice}</p>
          <button
            type="button"
            className="button"
            onClick={() => {
              resetFilters();
              // This advice and its button go once the list fills: focus goes to the list.
              document.getElementById(LIST_ID)?.focus();
            }}
          >
            Clear filters
          </button>
        </EmptyState>
      </div>
    );
  }
  const shown = allScope ? workspaces : active ? [active] : [];
  const syncable = shown.filter((w) => !secretsDenied(w));
  const neverSynced = shown.every((w) => w.sync.lastSuccessAt === null);
  if (neverSynced) {
    return (
      <div className="list-overlay">
        <EmptyState title={allScope ? 'No inventory saved yet' : `Nothing saved for ${quoted(active?.label ?? '')} yet`} icon="↻">
          {syncable.length ? (
            <>
              <p>Sync to save the list of secrets and who uses them on this computer; after that it can be reviewed offline.</p>
              <button
                type="button"
                className="button button-primary"
                disabled={syncing}
                onClick={() => void syncWorkspaces(syncable.map((w) => w.id))}
              >
                {syncing ? 'Syncing…' : allScope ? 'Sync every workspace' : 'Sync this workspace'}
              </button>
            </>
          ) : (
            <p>
              Its key cannot read secrets, so there is nothing to sync yet. Replace the key with one that has the ElevenLabs Agents read
              permission.
            </p>
          )}
        </EmptyState>
      </div>
    );
  }
  return (
    <div className="list-overlay">
      <EmptyState title={allScope ? 'No secrets in any workspace' : `${quoted(active?.label ?? '')} has no secrets`} icon="○">
        <p>Secrets created in ElevenLabs appear here after the next sync.</p>
      </EmptyState>
    </div>
  );
}
