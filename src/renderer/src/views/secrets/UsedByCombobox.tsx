import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { DependantOption, UsedByFilter } from '../../../../shared/schemas/inventory';
import { foldForSearch } from '../../../../shared/search';
import { plural } from '../../lib/format';
import { dependantsQuery } from '../../queries/inventory';
import { useWorkspaceList } from '../../queries/workspaces';
import { sameUsedBy } from '../../stores/browse';

type Kind = DependantOption['kind'];

const groups: { kind: Kind; title: string; noun: string }[] = [
  { kind: 'agent', title: 'Agents', noun: 'Agent' },
  { kind: 'tool', title: 'Tools', noun: 'Tool' },
  { kind: 'phone_number', title: 'Phone numbers', noun: 'Phone number' },
  { kind: 'mcp_server', title: 'MCP servers', noun: 'MCP server' },
];

/** Options drawn at once; typing narrows the rest down. */
const MAX_SHOWN = 150;

/** "agent_ab12…": the id's prefix and enough of the rest to tell two apart. */
function shortId(id: string): string {
  const prefix = /^[a-z]{1,12}_/i.exec(id)?.[0] ?? '';
  return id.length > prefix.length + 6 ? `${id.slice(0, prefix.length + 4)}…` : id;
}

/** How an option reads: its name, the number for a phone line, or what the key cannot see. */
export function dependantLabel(option: Pick<DependantOption, 'kind' | 'dependantId' | 'name' | 'detail'>): string {
  const noun = groups.find((g) => g.kind === option.kind)?.noun ?? 'Resource';
  if (option.kind === 'phone_number') {
    if (option.name && option.detail && option.name !== option.detail) return `${option.name} (${option.detail})`;
    if (option.name ?? option.detail) return (option.name ?? option.detail)!;
  }
  return option.name ?? `${noun} you cannot access (${shortId(option.dependantId)})`;
}

interface Entry {
  value: UsedByFilter | null;
  label: string;
  secondary: string;
  kind: Kind | null;
  id: string;
}

/**
 * "Used by": a searchable combobox (ARIA 1.2 combobox with a listbox popup) over every agent,
 * tool, phone number and MCP server of the scope, which can run to hundreds.
 */
export function UsedByCombobox({
  workspaceId,
  value,
  onChange,
}: {
  workspaceId: string | null;
  value: UsedByFilter | null;
  onChange(value: UsedByFilter | null): void;
}) {
  const baseId = useId();
  const inputId = `${baseId}-input`;
  const listId = `${baseId}-list`;
  const options = useQuery(dependantsQuery(workspaceId));
  const workspaces = useWorkspaceList();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState<string | null>(null);
  /** The option the arrow keys are on; -1 for none (typing does not pick one). */
  const [activeIndex, setActiveIndex] = useState(-1);
  const listRef = useRef<HTMLDivElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const entries = useMemo((): Entry[] => {
    const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? '';
    const dependants = options.data?.dependants ?? [];
    // Across workspaces, a name two workspaces both use says which one it is: in the list, and in
    // the field once chosen.
    const workspacesOfName = new Map<string, Set<string>>();
    for (const o of dependants) {
      const key = `${o.kind}:${dependantLabel(o)}`;
      workspacesOfName.set(key, (workspacesOfName.get(key) ?? new Set()).add(o.workspaceId));
    }
    const all = dependants.map((o) => {
      const label = dependantLabel(o);
      const shared = workspaceId === null && (workspacesOfName.get(`${o.kind}:${label}`)?.size ?? 0) > 1;
      return {
        value: { workspaceId: o.workspaceId, kind: o.kind, dependantId: o.dependantId },
        label: shared ? `${label} (${labelOf(o.workspaceId)})` : label,
        secondary: `${plural(o.secretCount, 'secret')}${workspaceId === null && !shared ? ` · ${labelOf(o.workspaceId)}` : ''}`,
        kind: o.kind,
        id: `${o.workspaceId}:${o.kind}:${o.dependantId}`,
      };
    });
    return groups.flatMap((g) => all.filter((e) => e.kind === g.kind));
  }, [options.data, workspaces, workspaceId]);

  const selected = value ? entries.find((e) => e.value && sameUsedBy(e.value, value)) : undefined;
  const selectedLabel = value
    ? (selected?.label ?? dependantLabel({ kind: value.kind, dependantId: value.dependantId, name: null, detail: null }))
    : '';
  const typed = text ?? '';
  const filter = foldForSearch(typed.trim());
  const matching = filter
    ? entries.filter((e) => foldForSearch(`${e.label} ${e.secondary} ${e.value?.dependantId ?? ''}`).includes(filter))
    : entries;
  const shown = matching.slice(0, MAX_SHOWN);
  const anyone: Entry = { value: null, label: 'Anyone', secondary: '', kind: null, id: 'anyone' };
  // While a search is typed, only what matches it (the × button clears the choice).
  const flat = filter ? shown : [anyone, ...shown];
  const active = Math.min(activeIndex, flat.length - 1);
  const optionDomId = (index: number) => `${baseId}-option-${index}`;

  useEffect(() => {
    if (!open) return;
    listRef.current?.querySelector(`[data-index="${active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [open, active]);

  const choose = (entry: Entry) => {
    onChange(entry.value);
    setText(null);
    setOpen(false);
  };
  const close = () => {
    setOpen(false);
    setText(null);
  };
  const openAt = (index: number) => {
    setOpen(true);
    setActiveIndex(index);
  };

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open)
          openAt(
            event.altKey
              ? -1
              : Math.max(
                  0,
                  flat.findIndex((e) => (e.value && value ? sameUsedBy(e.value, value) : e.value === value)),
                ),
          );
        else setActiveIndex(Math.min(flat.length - 1, active + 1));
        return;
      case 'ArrowUp':
        event.preventDefault();
        if (!open) openAt(flat.length - 1);
        else setActiveIndex(Math.max(0, active - 1));
        return;
      case 'PageDown':
        if (open) {
          event.preventDefault();
          setActiveIndex(Math.min(flat.length - 1, active + 10));
        }
        return;
      case 'PageUp':
        if (open) {
          event.preventDefault();
          setActiveIndex(Math.max(0, active - 10));
        }
        return;
      case 'Enter':
        if (open) {
          event.preventDefault();
          // Nothing picked with the arrows: the first match.
          const entry = flat[active] ?? (filter ? flat[0] : undefined);
          if (entry) choose(entry);
        }
        return;
      case 'Escape':
        // Closing the list is this key's whole job: the app must not also clear its selection.
        if (open || text !== null) {
          event.preventDefault();
          close();
        }
        return;
      case 'Tab':
        if (open) close();
        return;
      default:
        return;
    }
  };

  const renderOption = (entry: Entry, index: number) => {
    const isSelected = entry.value && value ? sameUsedBy(entry.value, value) : entry.value === value;
    return (
      <div
        key={entry.id}
        role="option"
        id={optionDomId(index)}
        data-index={index}
        aria-selected={isSelected}
        className={`combobox-option${index === active ? ' is-active' : ''}`}
      >
        <span className="combobox-option-label">{entry.label}</span>
        {entry.secondary ? <span className="combobox-option-meta">{entry.secondary}</span> : null}
      </div>
    );
  };
  // Options keep one index across the groups, for the keyboard.
  const grouped = groups
    .map((group) => ({ group, members: flat.map((entry, index) => ({ entry, index })).filter(({ entry }) => entry.kind === group.kind) }))
    .filter(({ members }) => members.length > 0);

  return (
    <div className="filter filter-grow combobox">
      <label htmlFor={inputId} className="filter-label">
        Used by
      </label>
      <div className="combobox-field">
        <input
          ref={inputRef}
          id={inputId}
          className="input combobox-input"
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && active >= 0 ? optionDomId(active) : undefined}
          aria-describedby={`${baseId}-hint`}
          autoComplete="off"
          spellCheck={false}
          placeholder="Anyone"
          value={text ?? selectedLabel}
          onChange={(e) => {
            setText(e.target.value);
            openAt(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={close}
          onClick={() => (open ? close() : openAt(-1))}
        />
        <span id={`${baseId}-hint`} className="visually-hidden">
          Type to find an agent, tool, phone number or MCP server; arrow keys to choose.
        </span>
        {value ? (
          <button
            type="button"
            className="icon-button combobox-clear"
            aria-label="Show secrets used by anyone"
            title="Clear"
            onMouseDown={(e) => e.preventDefault()}
            // This button goes away with the choice: the field keeps focus rather than <body>.
            onClick={() => {
              choose(anyone);
              inputRef.current?.focus();
            }}
          >
            ×
          </button>
        ) : null}
      </div>
      {/* Kept in the page while closed so aria-controls always points somewhere. */}
      <div className="combobox-popup" hidden={!open}>
        <div
          ref={listRef}
          id={listId}
          role="listbox"
          aria-label="Used by"
          className="combobox-list"
          tabIndex={-1}
          // Chosen on press: the input keeps focus (no blur that would close the list first).
          onMouseDown={(event) => {
            event.preventDefault();
            const index = (event.target as HTMLElement).closest<HTMLElement>('[data-index]')?.dataset['index'];
            const entry = index === undefined ? undefined : flat[Number(index)];
            if (entry) choose(entry);
          }}
        >
          {open ? (
            <>
              {filter ? null : renderOption(anyone, 0)}
              {grouped.map(({ group, members }) => (
                <div key={group.kind} role="group" aria-labelledby={`${baseId}-group-${group.kind}`}>
                  <div role="presentation" id={`${baseId}-group-${group.kind}`} className="combobox-group-label">
                    {group.title}
                  </div>
                  {members.map(({ entry, index }) => renderOption(entry, index))}
                </div>
              ))}
            </>
          ) : null}
        </div>
        {open && matching.length > shown.length ? (
          <p className="combobox-more">
            Showing {shown.length} of {matching.length}: type to narrow down.
          </p>
        ) : null}
        {open && options.data && matching.length === 0 ? <p className="combobox-more">Nothing matches {`“${typed.trim()}”`}.</p> : null}
      </div>
    </div>
  );
}
