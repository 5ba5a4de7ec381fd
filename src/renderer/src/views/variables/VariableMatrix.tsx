import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { EnvironmentVariable, VariableValue } from '../../../../shared/schemas/environment-variables';
import { showRemoteSecret } from '../../stores/local-secret-actions';
import { useVariablesUi } from '../../stores/variables';
import { showConnection } from '../connections/show-connection';
import { kindLabel } from './variable-labels';

/** Rows drawn beyond those on screen, so arrow keys rarely wait for a row to be made. */
const OVERSCAN = 8;
const ROW_HEIGHT = 38;
/** Rows a Page Up or Page Down moves. */
const PAGE_ROWS = 10;

interface Position {
  row: number;
  col: number;
}

/**
 * One workspace's variables as a grid: rows are labels, columns environments (production
 * first). Virtualized (only the rows near the screen exist) and one tab stop: the arrow keys,
 * Home/End (with Ctrl: the first/last row) and Page Up/Down move between cells; a cell that
 * names a secret or connection holds a link to it, which Enter follows.
 */
export function VariableMatrix({
  workspaceId,
  workspaceLabel,
  variables,
  environments,
}: {
  workspaceId: string;
  workspaceLabel: string;
  variables: EnvironmentVariable[];
  environments: string[];
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLTableElement>(null);
  const [active, setActive] = useState<Position>({ row: 0, col: 0 });
  const pendingFocus = useRef(false);
  const focus = useVariablesUi((s) => s.focus);
  const focusVariable = useVariablesUi((s) => s.focusVariable);
  const columns = environments.length + 1;

  // The React Compiler leaves this component unmemoised because of the virtualizer, as TanStack
  // Virtual requires.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: variables.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    useFlushSync: false,
  });
  const items = virtualizer.getVirtualItems();

  // Keep the active cell inside the grid when filters shrink it.
  const row = Math.min(active.row, Math.max(0, variables.length - 1));
  const col = Math.min(active.col, columns - 1);

  const moveTo = (next: Position) => {
    const clamped = { row: Math.max(0, Math.min(variables.length - 1, next.row)), col: Math.max(0, Math.min(columns - 1, next.col)) };
    pendingFocus.current = true;
    setActive(clamped);
    virtualizer.scrollToIndex(clamped.row, { align: 'auto' });
  };

  // A variable asked for from elsewhere (a search hit, Review): scrolled to and focused.
  useEffect(() => {
    if (!focus || focus.workspaceId !== workspaceId) return;
    const index = variables.findIndex((v) => v.label === focus.label);
    if (index < 0) return;
    focusVariable(null);
    moveTo({ row: index, col: 0 });
    // moveTo is remade each render; the request is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus, workspaceId, variables]);

  // After a move, focus follows once the row exists (it may have just been drawn).
  useEffect(() => {
    if (!pendingFocus.current) return;
    const target = gridRef.current?.querySelector<HTMLElement>(`[data-cell="${row}:${col}"]`);
    if (!target) return;
    pendingFocus.current = false;
    (target.querySelector<HTMLElement>('[data-cell-link]') ?? target).focus();
  });

  const onKeyDown = (event: React.KeyboardEvent<HTMLTableElement>) => {
    const moves: Record<string, Position | undefined> = {
      ArrowDown: { row: row + 1, col },
      ArrowUp: { row: row - 1, col },
      ArrowRight: { row, col: col + 1 },
      ArrowLeft: { row, col: col - 1 },
      PageDown: { row: row + PAGE_ROWS, col },
      PageUp: { row: row - PAGE_ROWS, col },
      Home: event.ctrlKey || event.metaKey ? { row: 0, col: 0 } : { row, col: 0 },
      End: event.ctrlKey || event.metaKey ? { row: variables.length - 1, col: columns - 1 } : { row, col: columns - 1 },
    };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    moveTo(next);
  };

  const first = items[0];
  const last = items[items.length - 1];
  const padTop = first ? first.start : 0;
  const padBottom = last ? virtualizer.getTotalSize() - last.end : 0;
  const tabbable = (r: number, c: number) => r === row && c === col;

  return (
    <div ref={scrollRef} className="matrix-scroll">
      <table
        ref={gridRef}
        className="matrix"
        role="grid"
        aria-label={`Environment variables of ${workspaceLabel}`}
        aria-rowcount={variables.length + 1}
        aria-colcount={columns}
        onKeyDown={onKeyDown}
      >
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" aria-colindex={1}>
              Variable
            </th>
            {environments.map((environment, index) => (
              <th key={environment} scope="col" aria-colindex={index + 2}>
                {environment}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 ? (
            <tr aria-hidden="true" className="matrix-pad">
              <td colSpan={columns} style={{ height: padTop }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const variable = variables[item.index]!;
            const byEnvironment = new Map(variable.values.map((value) => [value.environment, value]));
            return (
              <tr key={variable.variableId} ref={virtualizer.measureElement} data-index={item.index} aria-rowindex={item.index + 2}>
                <th
                  scope="row"
                  aria-colindex={1}
                  data-cell={`${item.index}:0`}
                  tabIndex={tabbable(item.index, 0) ? 0 : -1}
                  onFocus={() => setActive({ row: item.index, col: 0 })}
                  className="matrix-label"
                >
                  <span className="mono">{variable.label}</span>
                  <span className="matrix-kind">{kindLabel(variable.type)}</span>
                </th>
                {environments.map((environment, index) => (
                  <MatrixCell
                    key={environment}
                    workspaceId={workspaceId}
                    value={byEnvironment.get(environment) ?? null}
                    position={{ row: item.index, col: index + 1 }}
                    tabbable={tabbable(item.index, index + 1)}
                    onFocus={() => setActive({ row: item.index, col: index + 1 })}
                  />
                ))}
              </tr>
            );
          })}
          {padBottom > 0 ? (
            <tr aria-hidden="true" className="matrix-pad">
              <td colSpan={columns} style={{ height: padBottom }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function MatrixCell({
  workspaceId,
  value,
  position,
  tabbable,
  onFocus,
}: {
  workspaceId: string;
  value: VariableValue | null;
  position: Position;
  tabbable: boolean;
  onFocus(): void;
}) {
  const cell = `${position.row}:${position.col}`;
  const reference = value?.reference ?? null;
  const linked = reference !== null && reference.state !== 'unknown' && reference.name !== null;
  // A cell with a link is reached through the link; the others take focus themselves.
  const common = { 'aria-colindex': position.col + 1, 'data-cell': cell, onFocus };
  if (linked && value && reference) {
    const removed = reference.state === 'removed';
    const open = () => (value.kind === 'secret' ? void showRemoteSecret(workspaceId, reference.id) : showConnection(reference.name!));
    // Its name is what it shows ("Secret STRIPE_KEY"); the grid's headers say which variable and environment.
    return (
      <td {...common} className={`matrix-cell matrix-ref${removed ? ' is-removed' : ''}`}>
        <button type="button" className="link-button matrix-link" data-cell-link="" tabIndex={tabbable ? 0 : -1} onClick={open}>
          {value.kind === 'secret' ? 'Secret' : 'Connection'} {reference.name}
        </button>
        {removed ? <span className="badge badge-warn">Removed remotely</span> : null}
      </td>
    );
  }
  let content: React.ReactNode;
  if (value === null) {
    content = <span className="matrix-missing">missing</span>;
  } else if (value.withheld) {
    content = <span className="badge badge-warn">Looks like a key: not shown</span>;
  } else if (reference) {
    content = (
      <span className="matrix-unknown">
        Unknown {value.kind === 'secret' ? 'secret' : 'auth connection'} <span className="mono">{reference.id}</span>
      </span>
    );
  } else {
    content = <span className="mono matrix-string">{value.value}</span>;
  }
  return (
    <td {...common} className={`matrix-cell${value === null ? ' is-missing' : ''}`} tabIndex={tabbable ? 0 : -1}>
      {content}
    </td>
  );
}
