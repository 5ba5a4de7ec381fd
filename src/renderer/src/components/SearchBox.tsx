import { useEffect, useRef, useState } from 'react';
import { useDebouncedCallback } from '../hooks/useDebouncedCallback';
import { ariaCombo, comboOf, displayCombo } from '../lib/shortcuts';
import { useIsMac } from '../queries/workspaces';
import { useUi } from '../stores/ui';

export interface SearchBoxProps {
  /** The accessible name ("Search secrets"). */
  label: string;
  placeholder: string;
  value: string;
  onSearch(value: string): void;
  /** Keys that move into the list below (ArrowDown). */
  onKeyDown?: (event: React.KeyboardEvent<HTMLInputElement>) => void;
  controls?: string;
  /** When this changes (another workspace), whatever was typed and not yet searched is dropped. */
  resetKey?: string | null;
}

/** A search field that commits ~120 ms after typing stops and takes focus on Ctrl/⌘+F or "/". */
export function SearchBox({ label, placeholder, value, onSearch, onKeyDown, controls, resetKey }: SearchBoxProps) {
  const [text, setText] = useState(value);
  const inputRef = useRef<HTMLInputElement>(null);
  const focusRequest = useUi((s) => s.searchFocusRequest);
  const isMac = useIsMac();
  const committed = useRef(value);
  const { debounced, flush, cancel } = useDebouncedCallback((next: string) => {
    committed.current = next;
    onSearch(next);
  }, 120);
  const lastFocusRequest = useRef(focusRequest);

  // Someone else changed the query (e.g. "Clear filters"): show it, and drop a search still
  // waiting to be committed, which belonged to the old question.
  useEffect(() => {
    if (value !== committed.current) {
      cancel();
      committed.current = value;
      setText(value);
    }
  }, [value, cancel]);

  const lastResetKey = useRef(resetKey);
  useEffect(() => {
    if (resetKey === lastResetKey.current) return;
    lastResetKey.current = resetKey;
    cancel();
    committed.current = value;
    setText(value);
  }, [resetKey, value, cancel]);

  useEffect(() => {
    if (focusRequest === lastFocusRequest.current) return;
    lastFocusRequest.current = focusRequest;
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [focusRequest]);

  return (
    <div className="search">
      <svg className="search-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <circle cx="11" cy="11" r="6.5" />
        <path d="M16 16l4.5 4.5" />
      </svg>
      <input
        ref={inputRef}
        type="search"
        className="input search-input"
        aria-label={label}
        aria-controls={controls}
        aria-keyshortcuts={`${ariaCombo(comboOf('focus-search'), isMac)} /`}
        placeholder={placeholder}
        value={text}
        maxLength={200}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value === '') flush('');
          else debounced(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') flush(text);
          onKeyDown?.(e);
        }}
      />
      {text === '' ? (
        <kbd className="search-kbd" aria-hidden="true">
          {displayCombo(comboOf('focus-search'), isMac)}
        </kbd>
      ) : null}
    </div>
  );
}
