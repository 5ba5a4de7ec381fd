import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useUi, type Toast } from '../stores/ui';

const AUTO_DISMISS_MS = 6_000;

/**
 * Notifications. Information lives in a polite status region and goes away after 6 s (paused
 * while pointed at or focused); errors are alerts and stay until dismissed (× or Escape). They
 * sit under the content column, in room the layout keeps free for them (--toast-space), so they
 * never cover a control such as Sync or the detail pane.
 */
export function Toasts() {
  const toasts = useUi((s) => s.toasts);
  const errors = toasts.filter((t) => t.tone === 'error');
  const others = toasts.filter((t) => t.tone !== 'error');
  const region = useReservedSpace(toasts.length > 0);
  return (
    <div className="toasts" ref={region}>
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

/** Keeps the content column's bottom padding equal to the notifications' height (and its gap). */
function useReservedSpace(any: boolean) {
  const region = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const root = document.documentElement;
    const element = region.current;
    if (!any || !element) {
      root.style.setProperty('--toast-space', '0px');
      return;
    }
    const reserve = () => root.style.setProperty('--toast-space', `${Math.ceil(element.getBoundingClientRect().height) + 16}px`);
    reserve();
    const observer = new ResizeObserver(reserve);
    observer.observe(element);
    return () => observer.disconnect();
  }, [any]);
  return region;
}

const toneGlyph: Record<Toast['tone'], string> = { success: '✓', info: 'i', warning: '!', error: '!' };

function ToastItem({ toast }: { toast: Toast }) {
  const dismiss = useUi((s) => s.dismiss);
  const [paused, setPaused] = useState(false);
  const remaining = useRef(AUTO_DISMISS_MS);
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (toast.tone === 'error' || paused) return;
    const started = Date.now();
    const timer = setTimeout(() => dismiss(toast.id), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(1_500, remaining.current - (Date.now() - started));
    };
  }, [toast, paused, dismiss]);

  /** Dismissed from the keyboard: focus goes to the next notification, else to the view's heading, never to <body>. */
  const close = () => {
    const hadFocus = element.current?.contains(document.activeElement) ?? false;
    const dismissButtons = [...document.querySelectorAll<HTMLButtonElement>('.toast .toast-dismiss')];
    const next = dismissButtons.find((button) => !element.current?.contains(button));
    dismiss(toast.id);
    if (hadFocus) (next ?? document.getElementById('main-heading'))?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    close();
  };

  return (
    <div
      ref={element}
      className={`toast toast-${toast.tone}`}
      role={toast.tone === 'error' ? 'alert' : undefined}
      onMouseEnter={() => setPaused(true)}
      onMouseLeave={() => setPaused(false)}
      onFocus={() => setPaused(true)}
      onBlur={() => setPaused(false)}
      onKeyDown={onKeyDown}
    >
      <span className="toast-glyph" aria-hidden="true">
        {toneGlyph[toast.tone]}
      </span>
      <p className="toast-message">{toast.message}</p>
      <button
        type="button"
        className="icon-button toast-dismiss"
        aria-label="Dismiss notification"
        aria-keyshortcuts="Escape"
        title="Dismiss (Escape)"
        onClick={close}
      >
        ×
      </button>
    </div>
  );
}
