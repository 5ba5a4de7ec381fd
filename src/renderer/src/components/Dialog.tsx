import { useEffect, useId, useLayoutEffect, useRef, type ReactNode, type RefObject } from 'react';

// A <details>' summary is focusable too: Tab must reach collapsed sections inside a dialog.
const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), details > summary:first-of-type, [tabindex]:not([tabindex="-1"])';

export interface DialogProps {
  title: string;
  role?: 'dialog' | 'alertdialog';
  onClose(): void;
  children: ReactNode;
  /** Takes focus when the dialog opens; otherwise its first focusable element does. */
  initialFocusRef?: RefObject<HTMLElement | null>;
  /** Where focus goes on closing if what had it before is gone (say, a deleted row's button); the main heading otherwise. */
  fallbackFocus?(): HTMLElement | null;
  /** Id of the text that explains the dialog (alert dialogs). */
  describedBy?: string;
  size?: 'small' | 'medium' | 'large';
  busy?: boolean;
}

/**
 * A modal dialog: traps Tab inside, closes on Escape, and gives focus back to whatever had it
 * before (the rest of the app is made inert while it is open, see App).
 */
export function Dialog({
  title,
  role = 'dialog',
  onClose,
  children,
  initialFocusRef,
  fallbackFocus,
  describedBy,
  size = 'medium',
  busy,
}: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  // The latest onClose, for the document's key handler (registered once).
  const onCloseRef = useRef(onClose);
  const fallbackRef = useRef(fallbackFocus);
  useLayoutEffect(() => {
    onCloseRef.current = onClose;
    fallbackRef.current = fallbackFocus;
  });

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const target = initialFocusRef?.current ?? ref.current?.querySelector<HTMLElement>(FOCUSABLE) ?? ref.current;
    target?.focus();
    return () => {
      // Give focus back; if that element is gone (its workspace was removed), to the main heading.
      queueMicrotask(() => {
        if (previous && previous.isConnected && !previous.closest('[inert]')) previous.focus();
        else (fallbackRef.current?.() ?? document.getElementById('main-heading'))?.focus();
      });
    };
    // Once per opening (the ref object never changes): focus is not taken back later.
  }, [initialFocusRef]);

  // Escape and Tab are handled for the whole document: a control disabled while busy drops
  // focus to <body>, and the dialog must still close and keep Tab inside.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const dialog = ref.current;
      if (!dialog || event.defaultPrevented) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        onCloseRef.current();
        return;
      }
      if (event.key !== 'Tab') return;
      const focusable = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
      if (focusable.length === 0) {
        event.preventDefault();
        dialog.focus();
        return;
      }
      const first = focusable[0]!;
      const last = focusable[focusable.length - 1]!;
      const inside = dialog.contains(document.activeElement) && document.activeElement !== dialog;
      if (event.shiftKey && (!inside || document.activeElement === first)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
        event.preventDefault();
        first.focus();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  // While busy its controls are disabled, and a step that replaces the button that led to it
  // removes that button: keep focus on the dialog rather than <body> (a step may then focus its own start).
  useEffect(() => {
    const lost = busy || document.activeElement === document.body || document.activeElement === null;
    if (lost && ref.current && !ref.current.contains(document.activeElement)) ref.current.focus();
  });

  return (
    <div className="dialog-backdrop">
      <div
        ref={ref}
        className={`dialog dialog-${size}`}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        aria-busy={busy || undefined}
        tabIndex={-1}
      >
        <h2 id={titleId} className="dialog-title">
          {title}
        </h2>
        {children}
      </div>
    </div>
  );
}

/** A form dialog's Cancel and submit buttons; the submit says what is happening while pending. */
export function FormActions({
  onCancel,
  pending,
  submitLabel,
  pendingLabel,
}: {
  onCancel(): void;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </div>
  );
}
