import { useUi } from '../stores/ui';

/** Compact rows fit twice as many secrets on screen; the choice is kept on this computer. */
export function DensityToggle() {
  const density = useUi((s) => s.density);
  const setDensity = useUi((s) => s.setDensity);
  const compact = density === 'compact';
  return (
    <button
      type="button"
      className="button density-toggle"
      aria-pressed={compact}
      title={compact ? 'Show roomier rows' : 'Fit more rows on screen'}
      onClick={() => setDensity(compact ? 'comfortable' : 'compact')}
    >
      <svg className="button-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        {compact ? <path d="M4 6h16M4 10h16M4 14h16M4 18h16" /> : <path d="M4 7h16M4 12h16M4 17h16" />}
      </svg>
      Compact rows
    </button>
  );
}
