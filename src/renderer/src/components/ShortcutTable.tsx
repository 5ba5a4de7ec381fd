import { displayCombo, shortcutList } from '../lib/shortcuts';

/** Every shortcut, from the shared command table (the menu shows the same keys). */
export function ShortcutTable({ isMac }: { isMac: boolean }) {
  return (
    <dl className="shortcut-table">
      {shortcutList.map((s) => (
        <div key={s.combo} className="shortcut-row">
          <dt>
            <kbd>{displayCombo(s.combo, isMac)}</kbd>
          </dt>
          <dd>{s.description}</dd>
        </div>
      ))}
    </dl>
  );
}
