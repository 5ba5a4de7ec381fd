import { useEffect, useState } from 'react';
import { useUi } from '../stores/ui';

/**
 * Copies a name or an id (never a secret: the app has none) to the clipboard, and says so for
 * a moment, on screen and to screen readers.
 */
export function CopyButton({ text, what, label = 'Copy' }: { text: string; what: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const notify = useUi((s) => s.notify);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      notify('error', `Could not copy the ${what}: the clipboard refused it.`);
    }
  };

  // The name starts with the word on the button, "Copied" included (WCAG 2.5.3).
  const shown = copied ? 'Copied' : label;
  const name = `Copy ${what}`.includes(label) ? `${copied ? 'Copied' : 'Copy'} ${what}` : `${shown} (${what})`;
  return (
    <>
      <button
        type="button"
        className="button button-ghost button-tiny copy-button"
        aria-label={name}
        title={`Copy ${what}`}
        onClick={() => void copy()}
      >
        {shown}
      </button>
      <span role="status" className="visually-hidden">
        {copied ? `${what} copied` : ''}
      </span>
    </>
  );
}
