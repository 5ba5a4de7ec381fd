import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { plural } from '../../lib/format';
import { dynamicVariablesQuery, useAccounts } from '../../queries/accounts';
import { closeAccountsDialog } from './dialogs';

type Format = 'json' | 'snippet';

const margins = [
  { seconds: 0, label: 'Don’t refresh first' },
  { seconds: 60, label: '1 minute' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
] as const;

const formatNames: Record<Format, string> = { json: 'JSON', snippet: 'SDK snippet' };

interface Copied {
  format: Format;
  clearsAt: number;
  names: string[];
}

/**
 * A person's `secret__…` dynamic variables, to start a conversation on their behalf. The preview
 * shows every token as "…"; a copy happens in main, which refreshes tokens close to expiry first,
 * writes the clipboard itself and clears it later. The renderer never holds a token.
 */
export function VariablesDialog({ personId }: { personId: string }) {
  const person = useAccounts().data?.people.find((p) => p.id === personId);
  const preview = useQuery(dynamicVariablesQuery(personId));
  const [format, setFormat] = useState<Format>('json');
  const [margin, setMargin] = useState(300);
  const [copied, setCopied] = useState<Copied | null>(null);
  const copy = useMutation({
    mutationFn: (request: { format: Format; marginSeconds: number }) =>
      call((api) => api.accounts.copyDynamicVariables({ personId, ...request })),
  });
  const marginId = useId();
  const label = person?.label ?? 'this person';

  const run = (which: Format) => {
    setCopied(null);
    copy.mutate(
      { format: which, marginSeconds: margin },
      { onSuccess: (reply) => setCopied({ format: which, clearsAt: reply.clearsAt, names: reply.names }) },
    );
  };

  const data = preview.data;
  const nothing = data !== undefined && data.names.length === 0;
  return (
    <Dialog title={`Dynamic variables of ${label}`} onClose={closeAccountsDialog} busy={copy.isPending}>
      <div className="accounts-wide variables-body">
        <p className="dialog-intro">
          Start a conversation for {label} with these <code className="mono">secret__…</code> dynamic variables: the agent reads them as{' '}
          <code className="mono">{'{{secret__…}}'}</code>. Tokens are shown as “…” here; a copy holds fresh ones.
        </p>
        {preview.isError ? (
          <div className="callout callout-error" role="alert">
            {toIpcError(preview.error).message}
          </div>
        ) : !data ? (
          <p className="muted" aria-busy="true">
            Reading…
          </p>
        ) : (
          <>
            {data.names.length ? (
              <div className="variable-names">
                <p className="facts-label">{plural(data.names.length, 'variable')}</p>
                <ul className="variable-name-list" aria-label="Variable names">
                  {data.names.map((n) => (
                    <li key={n}>
                      <code className="chip mono">{n}</code>
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <div className="callout callout-warn">
                <p>{label} has no account that can hand over a token now.</p>
              </div>
            )}
            {data.skipped.length ? <Skipped skipped={data.skipped} /> : null}
            {data.names.length ? <PreviewTabs json={data.json} snippet={data.snippet} format={format} setFormat={setFormat} /> : null}
          </>
        )}

        <div className="variables-copy">
          <div className="variables-margin">
            <div className="variables-margin-line">
              <label className="field-label" htmlFor={marginId}>
                Refresh tokens that expire within
              </label>
              <select
                id={marginId}
                className="select"
                value={margin}
                aria-describedby={`${marginId}-hint`}
                onChange={(e) => setMargin(Number(e.target.value))}
              >
                {margins.map((m) => (
                  <option key={m.seconds} value={m.seconds}>
                    {m.label}
                  </option>
                ))}
              </select>
            </div>
            <p id={`${marginId}-hint`} className="field-hint">
              Checked when you copy, so the agent does not start with a token about to end.
            </p>
          </div>
          <div className="variables-buttons">
            <button
              type="button"
              className="button button-primary"
              disabled={copy.isPending || nothing || !data}
              onClick={() => run('json')}
            >
              {copy.isPending && copy.variables?.format === 'json' ? 'Copying…' : 'Copy JSON'}
            </button>
            <button type="button" className="button" disabled={copy.isPending || nothing || !data} onClick={() => run('snippet')}>
              {copy.isPending && copy.variables?.format === 'snippet' ? 'Copying…' : 'Copy snippet'}
            </button>
          </div>
        </div>

        <div role="status" aria-label="Copy status" className="variables-status">
          {copied ? <CopiedNote copied={copied} /> : null}
        </div>
        {copy.isError ? (
          <div className="callout callout-error" role="alert">
            {toIpcError(copy.error).message}
          </div>
        ) : null}

        <div className="dialog-actions">
          <button type="button" className="button" onClick={closeAccountsDialog}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}

function Skipped({ skipped }: { skipped: { accountId: string; reason: string }[] }) {
  return (
    <div className="callout callout-warn">
      <p>
        <strong>Left out ({skipped.length}):</strong>
      </p>
      <ul className="skipped-list">
        {skipped.map((s) => (
          <li key={s.accountId}>{s.reason}</li>
        ))}
      </ul>
    </div>
  );
}

/** "Copied … The clipboard clears in 28 s", counting down. */
function CopiedNote({ copied }: { copied: Copied }) {
  const now = useNow(1000);
  const left = Math.ceil((copied.clearsAt - now) / 1000);
  return (
    <div className="callout callout-success">
      <p>
        <strong>Copied as {formatNames[copied.format]}</strong> with fresh tokens for {copied.names.join(', ')}.
      </p>
      <p className="muted">{left > 0 ? `Clipboard clears in ${left} s.` : 'The clipboard has been cleared (if it still held them).'}</p>
    </div>
  );
}

/** JSON or the SDK snippet, as tabs (arrow keys move between them). */
function PreviewTabs({
  json,
  snippet,
  format,
  setFormat,
}: {
  json: string;
  snippet: string;
  format: Format;
  setFormat(format: Format): void;
}) {
  const id = useId();
  const tabs = useRef<Record<Format, HTMLButtonElement | null>>({ json: null, snippet: null });
  const order: Format[] = ['json', 'snippet'];
  const onKeyDown = (event: KeyboardEvent) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const index = order.indexOf(format);
    const next =
      event.key === 'Home'
        ? order[0]!
        : event.key === 'End'
          ? order[order.length - 1]!
          : order[(index + (event.key === 'ArrowRight' ? 1 : order.length - 1)) % order.length]!;
    setFormat(next);
    tabs.current[next]?.focus();
  };
  return (
    <div className="variables-preview">
      <div role="tablist" aria-label="Preview as" className="segmented">
        {order.map((f) => (
          <button
            key={f}
            ref={(el) => {
              tabs.current[f] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-${f}-tab`}
            aria-selected={format === f}
            aria-controls={`${id}-panel`}
            tabIndex={format === f ? 0 : -1}
            onClick={() => setFormat(f)}
            onKeyDown={onKeyDown}
          >
            {formatNames[f]}
          </button>
        ))}
      </div>
      <pre id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-${format}-tab`} tabIndex={0} className="code-preview mono">
        {format === 'json' ? json : snippet}
      </pre>
    </div>
  );
}
