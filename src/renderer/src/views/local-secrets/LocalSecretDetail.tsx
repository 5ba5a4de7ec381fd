import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LocalSecret } from '../../../../shared/schemas/local-secrets';
import { defaultAppSettings } from '../../../../shared/schemas/settings';
import { EmptyState } from '../../components/EmptyState';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { dateOnly, fullDateTime, quoted, relativeTime } from '../../lib/format';
import { targetStateText } from '../../lib/push-text';
import { localSecretQuery, settingsQuery } from '../../queries/local-secrets';
import { useWorkspaceList } from '../../queries/workspaces';
import { openPushPlan, showRemoteSecret } from '../../stores/local-secret-actions';
import { useLocalSecretsUi } from '../../stores/local-secrets';
import { useUi } from '../../stores/ui';
import { BreakableId } from '../../components/BreakableId';

/** The open local secret: its value (masked), where it goes, and what can be done with it. */
export function LocalSecretDetail() {
  const openId = useLocalSecretsUi((s) => s.openId);
  const open = useLocalSecretsUi((s) => s.open);
  const detail = useQuery({ ...localSecretQuery(openId ?? ''), enabled: openId !== null });
  const gone = detail.isError && toIpcError(detail.error).code === 'not_found';

  // Deleted (here or by an import elsewhere): nothing to show any more.
  useEffect(() => {
    if (gone) open(null);
  }, [gone, open]);

  let body: React.ReactNode;
  if (!openId || gone) {
    body = (
      <EmptyState title="Select a local secret to see its value and targets." icon="←">
        <p>Use ↑ and ↓ in the list, or click a local secret.</p>
      </EmptyState>
    );
  } else if (detail.isError && !detail.data) {
    body = (
      <EmptyState title="This local secret could not be shown" icon="!" tone="error">
        <p>{toIpcError(detail.error).message}</p>
        <button type="button" className="button" onClick={() => void detail.refetch()}>
          Try again
        </button>
      </EmptyState>
    );
  } else if (!detail.data) {
    body = (
      <div className="detail-loading" aria-busy="true">
        <span className="skeleton skeleton-title" />
        <span className="skeleton skeleton-meta" />
        <span className="visually-hidden">Loading the local secret…</span>
      </div>
    );
  } else {
    // The close button goes with the pane: focus goes back to the list it was opened from.
    body = (
      <DetailBody
        secret={detail.data}
        onClose={() => {
          open(null);
          document.getElementById('local-secrets-list')?.focus();
        }}
      />
    );
  }
  return (
    <section className="detail-pane" aria-label="Local secret details">
      {body}
    </section>
  );
}

function DetailBody({ secret, onClose }: { secret: LocalSecret; onClose(): void }) {
  const openDialog = useUi((s) => s.openDialog);
  const setView = useUi((s) => s.setView);
  const open = useLocalSecretsUi((s) => s.open);
  const workspaces = useWorkspaceList();
  const now = useNow();
  const bound = secret.linkedAccountId !== null;
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';

  return (
    <div className="detail-body">
      <div className="detail-head">
        <h2 className="detail-title mono">
          <BreakableId text={secret.name} />
        </h2>
        <button type="button" className="icon-button" aria-label="Close details" title="Close (Escape)" onClick={onClose}>
          ×
        </button>
      </div>
      <div className="detail-actions" role="group" aria-label="Actions">
        <button
          type="button"
          className="button button-primary button-small"
          disabled={secret.targets.length === 0}
          title={secret.targets.length === 0 ? 'Set targets first' : undefined}
          onClick={() => openPushPlan({ kind: 'push', secretIds: [secret.id], workspaceIds: [] })}
        >
          Plan push…
        </button>
        <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'editLocalSecret', id: secret.id })}>
          Edit…
        </button>
        <button
          type="button"
          className="button button-small button-danger-ghost"
          onClick={() => openDialog({ kind: 'deleteLocalSecret', id: secret.id })}
        >
          Delete…
        </button>
      </div>

      {bound ? (
        <div className="callout callout-info">
          <p>
            <strong>Linked account.</strong> This secret holds a linked account’s access token: its value is replaced at every refresh and
            is managed in Linked accounts, so it cannot be rotated here.
          </p>
          <button type="button" className="button button-small" onClick={() => setView('accounts')}>
            Open Linked accounts
          </button>
        </div>
      ) : null}
      {secret.sharesValueWith.length ? (
        <div className="callout callout-warn">
          <p>
            <strong>Shared value.</strong> The same value is kept as{' '}
            {secret.sharesValueWith.map((other, i) => (
              <span key={other.id}>
                {i ? ', ' : ''}
                <button type="button" className="link-button mono" onClick={() => open(other.id)}>
                  {other.name}
                </button>
              </span>
            ))}
            . A leak of one is a leak of all; give each its own value where you can.
          </p>
        </div>
      ) : null}

      <h3 className="detail-section-title">Value</h3>
      <ValueRow key={`current:${secret.id}:${secret.valueChangedAt}`} secret={secret} version="current" />
      {secret.hasPrevious ? <ValueRow key={`previous:${secret.id}:${secret.valueChangedAt}`} secret={secret} version="previous" /> : null}
      <p className="detail-note" title={fullDateTime(secret.valueChangedAt)}>
        Value set {relativeTime(secret.valueChangedAt, now)}.{' '}
        {secret.hasPrevious ? 'The previous value is kept until the next rotation.' : ''}
      </p>
      {bound ? null : (
        <div className="detail-actions">
          <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'rotateLocalSecret', id: secret.id })}>
            Rotate…
          </button>
          {secret.hasPrevious ? (
            <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'restorePrevious', id: secret.id })}>
              Restore previous…
            </button>
          ) : null}
        </div>
      )}

      <h3 className="detail-section-title">Targets</h3>
      {secret.targets.length === 0 ? (
        <p className="muted">Kept here only: it is not pushed to any workspace.</p>
      ) : (
        <ul className="target-list" aria-label="Targets">
          {secret.targets.map((target) => {
            const state = targetStateText[target.state];
            return (
              <li key={target.workspaceId} className="target-item">
                <div className="target-item-line">
                  <span className="target-workspace">{labelOf(target.workspaceId)}</span>
                  <span className={`status-pill tone-${state.tone}`} title={state.hint}>
                    {state.label}
                  </span>
                </div>
                <div className="dependant-meta">
                  as <span className="mono">{target.remoteName}</span>
                  {target.followsName ? '' : ' (its own name there)'} ·{' '}
                  {target.pushedAt ? (
                    <span title={fullDateTime(target.pushedAt)}>pushed {relativeTime(target.pushedAt, now)}</span>
                  ) : (
                    'never pushed'
                  )}
                  {target.remoteSecretId && target.state !== 'missing_remotely' ? (
                    <>
                      {' · '}
                      <button
                        type="button"
                        className="link-button"
                        onClick={() => void showRemoteSecret(target.workspaceId, target.remoteSecretId!)}
                      >
                        Open in Secrets
                      </button>
                    </>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <div className="detail-actions">
        <button type="button" className="button button-small" onClick={() => openDialog({ kind: 'localSecretTargets', id: secret.id })}>
          Edit targets…
        </button>
      </div>

      <h3 className="detail-section-title">About</h3>
      <dl className="facts">
        <dt>Note</dt>
        <dd className={secret.note ? 'note-text' : 'muted'}>{secret.note || 'No note'}</dd>
        <dt>Tags</dt>
        <dd>
          {secret.tags.length ? (
            secret.tags.map((t) => (
              <span key={t} className="chip">
                {t}
              </span>
            ))
          ) : (
            <span className="muted">None</span>
          )}
        </dd>
        <dt>Created</dt>
        <dd title={fullDateTime(secret.createdAt)}>{dateOnly(secret.createdAt)}</dd>
      </dl>
    </div>
  );
}

/**
 * One version of the value, masked. "Reveal" asks main for it and shows it until the configured
 * time is up; it lives in this component's state only (never the query cache), and is gone
 * when hidden, when the secret changes, or when the pane closes. "Copy" has main write the
 * clipboard: the value never comes here.
 */
function ValueRow({ secret, version }: { secret: LocalSecret; version: 'current' | 'previous' }) {
  const notify = useUi((s) => s.notify);
  const settings = useQuery(settingsQuery).data ?? defaultAppSettings;
  const [revealed, setRevealed] = useState<{ value: string; hidesAt: number } | null>(null);
  const [clearsAt, setClearsAt] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const now = useNow(revealed || clearsAt ? 1000 : 30_000);
  const label = version === 'current' ? 'Value' : 'Previous value';
  const what = version === 'current' ? 'value' : 'previous value';

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(null), Math.max(0, revealed.hidesAt - Date.now()));
    return () => clearTimeout(timer);
  }, [revealed]);
  useEffect(() => {
    if (clearsAt === null) return;
    const timer = setTimeout(() => setClearsAt(null), Math.max(0, clearsAt - Date.now()));
    return () => clearTimeout(timer);
  }, [clearsAt]);

  const reveal = async () => {
    setBusy(true);
    try {
      const { value } = await call((api) => api.localSecrets.reveal({ id: secret.id, version }));
      setRevealed({ value, hidesAt: Date.now() + settings.revealSeconds * 1000 });
    } catch (error) {
      notify('error', `Could not reveal the ${what} of ${quoted(secret.name)}: ${toIpcError(error).message}`);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    setBusy(true);
    try {
      const reply = await call((api) => api.localSecrets.copy({ id: secret.id, version }));
      setClearsAt(reply.clearsAt);
    } catch (error) {
      notify('error', `Could not copy the ${what} of ${quoted(secret.name)}: ${toIpcError(error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const seconds = (at: number) => Math.max(0, Math.ceil((at - now) / 1000));
  return (
    <div className="value-row">
      <span className="value-label">{label}</span>
      <div className="value-box">
        {revealed ? (
          <code className="value-revealed mono selectable">{revealed.value}</code>
        ) : (
          <span className="value-masked">
            <span aria-hidden="true">••••••••••••</span>
            <span className="visually-hidden">hidden</span>
          </span>
        )}
      </div>
      <div className="value-actions">
        {/* One button that changes its word, and aria-disabled while busy: a pressed button that
            disappeared or was disabled would drop focus to <body>. */}
        <button
          type="button"
          className="button button-tiny"
          aria-label={revealed ? `Hide the ${what}` : `Reveal the ${what}`}
          aria-disabled={(busy && !revealed) || undefined}
          onClick={() => (revealed ? setRevealed(null) : !busy && void reveal())}
        >
          {revealed ? 'Hide' : 'Reveal'}
        </button>
        <button
          type="button"
          className="button button-tiny"
          aria-label={`Copy the ${what}`}
          aria-disabled={busy || undefined}
          onClick={() => !busy && void copy()}
        >
          Copy
        </button>
      </div>
      {/* The countdowns change every second: read once, from the status below, not at each tick. */}
      <p className="value-status" aria-hidden="true">
        {revealed ? <span>Hidden again in {seconds(revealed.hidesAt)} s. </span> : null}
        {clearsAt !== null ? <span>Copied. Clipboard clears in {seconds(clearsAt)} s.</span> : null}
      </p>
      <span className="visually-hidden" role="status">
        {revealed ? `${label} shown; hidden again after ${settings.revealSeconds} seconds. ` : ''}
        {clearsAt !== null ? `${label} copied; the clipboard is cleared after ${settings.clipboardClearSeconds} seconds.` : ''}
      </span>
    </div>
  );
}
