import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { SecretRow } from '../../../../shared/schemas/inventory';
import { EmptyState } from '../../components/EmptyState';
import { dependantsSummary, quoted } from '../../lib/format';
import { syncActive, syncAll } from '../../stores/actions';
import { hasActiveFilters, PAGE_SIZE, useInventory } from '../../stores/inventory';
import { useSync } from '../../stores/sync';
import { useActiveWorkspace, useWorkspaces } from '../../stores/workspaces';

export const LIST_ID = 'secrets-list';
const ROW_HEIGHT = 56;

const optionId = (index: number) => `secret-option-${index}`;

/**
 * The secrets of the current question, virtualized: only the rows on screen exist, and pages
 * of 200 are read from SQLite as they scroll into view.
 */
export function SecretList() {
  const total = useInventory((s) => s.total);
  const status = useInventory((s) => s.status);
  const error = useInventory((s) => s.error);
  const pages = useInventory((s) => s.pages);
  const generation = useInventory((s) => s.generation);
  const revision = useInventory((s) => s.revision);
  const selectedIndex = useInventory((s) => s.selectedIndex);
  const openSecret = useInventory((s) => s.openSecret);
  const allScope = useInventory((s) => s.workspaceId === null);
  const workspaces = useWorkspaces((s) => s.workspaces);
  const scrollRef = useRef<HTMLDivElement>(null);

  const count = total ?? 0;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  // Read the pages the visible rows need.
  useEffect(() => {
    if (total === null || total === 0) return;
    const { ensurePage } = useInventory.getState();
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) ensurePage(page);
  }, [first, last, total, generation, revision]);

  // A new question starts at the top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [generation]);

  // Keep the keyboard selection on screen.
  useEffect(() => {
    if (selectedIndex !== null && selectedIndex < count) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, count, virtualizer]);

  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  const rowAt = (index: number): SecretRow | undefined => pages[Math.floor(index / PAGE_SIZE)]?.items[index % PAGE_SIZE];

  const openAt = (index: number) => {
    const row = rowAt(index);
    if (row) useInventory.getState().open({ workspaceId: row.workspaceId, secretId: row.secretId });
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (!count) return;
    const { select } = useInventory.getState();
    const current = selectedIndex ?? -1;
    const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    let next: number | null = null;
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
        if (selectedIndex !== null) {
          event.preventDefault();
          openAt(selectedIndex);
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    select(next);
  };

  const onFocus = () => {
    const state = useInventory.getState();
    if (state.selectedIndex === null && count) state.select(0);
  };

  const activeDescendant =
    selectedIndex !== null && items.some((item) => item.index === selectedIndex) ? optionId(selectedIndex) : undefined;

  if (status === 'error' && error) {
    return (
      <div className="list-frame">
        <EmptyState title="The saved inventory could not be read" icon="!" tone="error">
          <p>{error.message}</p>
          <button type="button" className="button" onClick={() => useInventory.getState().refresh()}>
            Try again
          </button>
        </EmptyState>
      </div>
    );
  }

  return (
    <div className="list-frame">
      <div
        ref={scrollRef}
        id={LIST_ID}
        className="secret-list"
        role="listbox"
        aria-label="Secrets"
        aria-activedescendant={activeDescendant}
        aria-busy={total === null || undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      >
        {total === null ? (
          <LoadingRows />
        ) : (
          <div className="secret-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = rowAt(item.index);
              const selected = item.index === selectedIndex;
              const open = Boolean(row && openSecret && row.workspaceId === openSecret.workspaceId && row.secretId === openSecret.secretId);
              return (
                <div
                  key={item.key}
                  id={optionId(item.index)}
                  role="option"
                  aria-selected={selected}
                  aria-current={open ? 'true' : undefined}
                  aria-setsize={count}
                  aria-posinset={item.index + 1}
                  aria-labelledby={row ? `${optionId(item.index)}-name` : undefined}
                  aria-describedby={row ? `${optionId(item.index)}-meta` : undefined}
                  aria-label={row ? undefined : 'Loading…'}
                  className={`secret-row${selected ? ' is-selected' : ''}${open ? ' is-open' : ''}${row?.removedRemotelyAt ? ' is-removed' : ''}`}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onClick={() => {
                    useInventory.getState().select(item.index);
                    openAt(item.index);
                  }}
                >
                  {row ? <RowContent row={row} id={optionId(item.index)} workspaceLabel={allScope ? labelOf(row.workspaceId) : null} /> : <Placeholder />}
                </div>
              );
            })}
          </div>
        )}
      </div>
      {total === 0 ? <ListEmpty /> : null}
    </div>
  );
}

function RowContent({ row, id, workspaceLabel }: { row: SecretRow; id: string; workspaceLabel: string | null }) {
  const summary = dependantsSummary(row.counts);
  return (
    <>
      <div className="secret-row-line">
        <span className="secret-name mono" id={`${id}-name`}>
          {row.name}
        </span>
        {row.removedRemotelyAt ? <span className="badge badge-warn">Removed remotely</span> : null}
      </div>
      <div className="secret-row-meta" id={`${id}-meta`}>
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

function LoadingRows() {
  return (
    <div className="loading-rows">
      <span className="visually-hidden">Loading secrets…</span>
      {Array.from({ length: 8 }, (_, i) => (
        <div key={i} className="secret-row static">
          <Placeholder />
        </div>
      ))}
    </div>
  );
}

/** Why there is nothing to list, and what to do about it. */
function ListEmpty() {
  const filters = useInventory((s) => s.filters);
  const resetFilters = useInventory((s) => s.resetFilters);
  const allScope = useInventory((s) => s.workspaceId === null);
  const active = useActiveWorkspace();
  const workspaces = useWorkspaces((s) => s.workspaces);
  const syncing = useSync((s) => Object.keys(s.running).length > 0);

  if (hasActiveFilters(filters)) {
    return (
      <div className="list-overlay">
        <EmptyState title={filters.query.trim() ? `No secrets match ${quoted(filters.query.trim())}` : 'No secrets match these filters'} icon="⌕">
          <p>Try another name, or clear the filters to see every secret.</p>
          <button type="button" className="button" onClick={resetFilters}>
            Clear filters
          </button>
        </EmptyState>
      </div>
    );
  }
  const neverSynced = allScope ? workspaces.every((w) => w.sync.lastSuccessAt === null) : active?.sync.lastSuccessAt === null;
  if (neverSynced) {
    return (
      <div className="list-overlay">
        <EmptyState title={allScope ? 'No inventory saved yet' : `Nothing saved for ${quoted(active?.label ?? '')} yet`} icon="↻">
          <p>Sync to save the list of secrets and who uses them on this computer; after that it can be reviewed offline.</p>
          <button type="button" className="button button-primary" disabled={syncing} onClick={allScope ? syncAll : syncActive}>
            {syncing ? 'Syncing…' : allScope ? 'Sync every workspace' : 'Sync this workspace'}
          </button>
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
