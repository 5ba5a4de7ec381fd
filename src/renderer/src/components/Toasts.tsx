import { useEffect, useRef, useState } from 'react';
import { useUi, type Toast } from '../stores/ui';

const AUTO_DISMISS_MS = 6_000;

/**
 * Notifications. Information lives in a polite status region and goes away after 6 s (paused
 * while pointed at or focused); errors are alerts and stay until dismissed.
 */
export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const errors = toasts.filter((t) => t.tone === 'error');
  const others = toasts.filter((t) => t.tone !== 'error');
  return (
    <div className="toasts">
      <div role="status" aria-live="polite" aria-label="Notifications" className="toast-stack">
        {others.map((toast) => (
          <ToastItem key={toast.id} toast={toast} />
        ))}
      </div>
      <div className="toast-stack">
        {errors.map((toast) => (
          <ToastItem key={toast.id} toast={toast} />
        ))}
      </div>
    </div>
  );
}

const toneGlyph: Record<Toast['tone'], string> = { success: '✓', info: 'i', warning: '!', error: '!' };

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useUi((s) => s.dismiss);
  const [paused, setPaused] = useState(false);
  const remaining = useRef(AUTO_DISMISS_MS);

  useEffect(() => {
    if (toast.tone === 'error' || paused) return;
    const started = Date.now();
    const timer = setTimeout(() => dismiss(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(1_500, remaining.current - (Date.now() - started));
    };
  }, [toast, paused, dismiss]);

  return (
    <div
      className={`toast toast-${toast.tone}`}
      role={toast.tone === 'error' ? 'alert' : undefined}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
    >
      <span className="toast-glyph" aria-hidden="true">
        {toneGlyph[toast.tone]}
      </span>
      <p className="toast-message">{toast.message}</p>
      <button type="button" className="icon-button" aria-label="Dismiss notification" title="Dismiss" onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  );
}
