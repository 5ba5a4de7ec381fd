import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { LocalSecret } from '../../../../shared/schemas/local-secrets';
import { EmptyState } from '../../components/EmptyState';
import { SearchBox } from '../../components/SearchBox';
import { toIpcError } from '../../keyring';
import { plural, quoted } from '../../lib/format';
import { isOpen, resultSummary, targetStateText } from '../../lib/push-text';
import { ariaCombo, comboOf, displayCombo } from '../../lib/shortcuts';
import { latestPlanQuery, useLocalSecretList } from '../../queries/local-secrets';
import { useIsMac, useWorkspaceList } from '../../queries/workspaces';
import { openPushPlan, planPushAll } from '../../stores/local-secret-actions';
import { useLocalSecretsUi } from '../../stores/local-secrets';
import { useUi } from '../../stores/ui';
import { LocalSecretDetail } from './LocalSecretDetail';

const LIST_ID = 'local-secrets-list';
const optionId = (id: string) => `local-secret-${id}`;

/** Values kept here, in the keychain: what they are, where they go, and how each target stands. */
export function LocalSecretsView() {
  const query = useLocalSecretsUi((s) => s.query);
  const tag = useLocalSecretsUi((s) => s.tag);
  const setQuery = useLocalSecretsUi((s) => s.setQuery);
  const setTag = useLocalSecretsUi((s) => s.setTag);
  const openDialog = useUi((s) => s.openDialog);
  const isMac = useIsMac();
  const list = useLocalSecretList(query, tag);
  const tags = list.data?.tags ?? [];

  const moveIntoList = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key !== 'ArrowDown') return;
    event.preventDefault();
    const first = list.data?.secrets[0];
    const { openId, open } = useLocalSecretsUi.getState();
    if (first && !list.data?.secrets.some((s) => s.id === openId)) open(first.id);
    document.getElementById(LIST_ID)?.focus();
  };

  return (
    <div className="secrets-layout local-secrets-view">
      <div className="secrets-main">
        <div className="toolbar">
          <SearchBox
            label="Search local secrets"
            placeholder="Search by name"
            value={query}
            onSearch={setQuery}
            onKeyDown={moveIntoList}
            // Only a list that is there can be controlled (an empty one is not rendered).
            controls={list.data?.secrets.length ? LIST_ID : undefined}
          />
          <div className="toolbar-actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => openDialog({ kind: 'createLocalSecret' })}
              aria-keyshortcuts={ariaCombo(comboOf('new-local-secret'), isMac)}
              title={`Add a local secret (${displayCombo(comboOf('new-local-secret'), isMac)})`}
            >
              New local secret
            </button>
            <button
              type="button"
              className="button"
              onClick={() => openDialog({ kind: 'importEnv' })}
              aria-keyshortcuts={ariaCombo(comboOf('import-env'), isMac)}
              title={`Import a .env file (${displayCombo(comboOf('import-env'), isMac)})`}
            >
              Import .env…
            </button>
            <button
              type="button"
              className="button"
              onClick={planPushAll}
              aria-keyshortcuts={ariaCombo(comboOf('plan-push'), isMac)}
              title={`Plan a push of every local secret (${displayCombo(comboOf('plan-push'), isMac)})`}
            >
              Plan push…
            </button>
          </div>
        </div>
        <div className="filters">
          <label className="filter">
            <span className="filter-label">Tag</span>
            <select className="select" value={tag ?? ''} onChange={(event) => setTag(event.target.value || null)}>
              <option value="">All tags</option>
              {tags.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
              {tag && !tags.includes(tag) ? <option value={tag}>{tag}</option> : null}
            </select>
          </label>
        </div>
        <LatestPushNotice />
        <LocalSecretList />
      </div>
      <LocalSecretDetail />
    </div>
  );
}

/** The last push did not finish (a crash, a failure): say so, and offer to finish it. */
function LatestPushNotice() {
  const latest = useQuery(latestPlanQuery).data;
  const dismissed = useLocalSecretsUi((s) => s.dismissedPlanId);
  const dismiss = useLocalSecretsUi((s) => s.dismissPlan);
  if (!latest || latest.id === dismissed) return null;
  const changes = latest.items.filter((i) => i.action === 'create' || i.action === 'update' || i.action === 'delete');
  // Only what a retry can still send: refused and left-out items are settled, not unfinished.
  const unfinished = changes.filter(isOpen);
  if (latest.status !== 'interrupted' && unfinished.length === 0) return null;
  if (latest.status === 'applying') return null;
  return (
    <div className="callout callout-warn latest-push" role="status">
      <p>
        <strong>{latest.status === 'interrupted' ? 'The last push was interrupted.' : 'The last push did not fully succeed.'}</strong>{' '}
        {resultSummary(latest)}.
      </p>
      <div className="latest-push-actions">
        <button type="button" className="button button-small" onClick={() => openPushPlan({ kind: 'resume', planId: latest.id })}>
          Review and finish…
        </button>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => {
            dismiss(latest.id);
            // The notice goes with its button: focus goes on to the list (or the heading, if none).
            (document.getElementById(LIST_ID) ?? document.getElementById('main-heading'))?.focus();
          }}
        >
          Dismiss
        </button>
      </div>
    </div>
  );
}

function LocalSecretList() {
  const query = useLocalSecretsUi((s) => s.query);
  const tag = useLocalSecretsUi((s) => s.tag);
  const openId = useLocalSecretsUi((s) => s.openId);
  const open = useLocalSecretsUi((s) => s.open);
  const openDialog = useUi((s) => s.openDialog);
  const list = useLocalSecretList(query, tag);
  const workspaces = useWorkspaceList();
  const listRef = useRef<HTMLDivElement>(null);

  const secrets = list.data?.secrets ?? [];
  const openIndex = secrets.findIndex((s) => s.id === openId);

  // Keep the open row on screen as the keyboard moves.
  useEffect(() => {
    if (openId) document.getElementById(optionId(openId))?.scrollIntoView({ block: 'nearest' });
  }, [openId]);

  if (list.isError && !list.data) {
    return (
      <div className="list-frame local-list-frame">
        <div className="list-overlay">
          <EmptyState title="Your local secrets could not be read" icon="!" tone="error">
            <p>{toIpcError(list.error).message}</p>
            <button type="button" className="button" onClick={() => void list.refetch()}>
              Try again
            </button>
          </EmptyState>
        </div>
      </div>
    );
  }
  if (!list.data) {
    return (
      <div className="list-frame local-list-frame" aria-busy="true">
        <span className="visually-hidden">Loading local secrets…</span>
        {[0, 1, 2].map((i) => (
          <div key={i} className="local-row placeholder" aria-hidden="true">
            <span className="skeleton skeleton-name" />
            <span className="skeleton skeleton-meta" />
          </div>
        ))}
      </div>
    );
  }

  const { query: answeredQuery, tag: answeredTag } = list.data;
  const filtered = answeredQuery.trim() !== '' || answeredTag !== null;
  let count: string;
  if (secrets.length === 0 && answeredQuery.trim()) count = `No local secrets match ${quoted(answeredQuery.trim())}`;
  else if (secrets.length === 0 && filtered) count = `No local secrets tagged ${quoted(answeredTag ?? '')}`;
  else count = plural(secrets.length, 'local secret');

  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (!secrets.length) return;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = Math.min(secrets.length - 1, openIndex + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, openIndex === -1 ? 0 : openIndex - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = secrets.length - 1;
    else if (event.key === 'Escape' && openId) {
      event.preventDefault();
      open(null);
      return;
    }
    if (next === null) return;
    event.preventDefault();
    open(secrets[next]!.id);
  };

  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';

  return (
    <>
      <div className="result-bar">
        <p className="result-count" aria-live="polite">
          {count}
        </p>
      </div>
      <div className={`list-frame local-list-frame${list.isPlaceholderData ? ' is-stale' : ''}`}>
        {secrets.length === 0 ? (
          <div className="list-overlay">
            {filtered ? (
              <EmptyState title={count} icon="⌕">
                <p>Try another part of the name, or another tag.</p>
              </EmptyState>
            ) : (
              <EmptyState title="No local secrets yet" icon="○">
                <p>
                  A local secret is a value you keep here, in the system keychain, and push to the workspaces that need it. ElevenLabs never
                  returns values, so this is where they come from.
                </p>
                <div className="empty-actions">
                  <button type="button" className="button button-primary" onClick={() => openDialog({ kind: 'createLocalSecret' })}>
                    New local secret
                  </button>
                  <button type="button" className="button" onClick={() => openDialog({ kind: 'importEnv' })}>
                    Import .env…
                  </button>
                </div>
              </EmptyState>
            )}
          </div>
        ) : (
          <div
            ref={listRef}
            id={LIST_ID}
            className="secret-list local-list"
            role="listbox"
            aria-label="Local secrets"
            tabIndex={0}
            aria-activedescendant={openId && openIndex !== -1 ? optionId(openId) : undefined}
            onKeyDown={onKeyDown}
          >
            {secrets.map((secret) => (
              <LocalSecretRow
                key={secret.id}
                secret={secret}
                open={secret.id === openId}
                labelOf={labelOf}
                onOpen={() => open(secret.id)}
              />
            ))}
          </div>
        )}
      </div>
    </>
  );
}

function LocalSecretRow({
  secret,
  open,
  labelOf,
  onOpen,
}: {
  secret: LocalSecret;
  open: boolean;
  labelOf(id: string): string;
  onOpen(): void;
}) {
  const badgesId = `${optionId(secret.id)}-badges`;
  const metaId = `${optionId(secret.id)}-meta`;
  return (
    // The listbox takes the keys (selection follows them); a click opens the row too.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events
    <div
      id={optionId(secret.id)}
      role="option"
      tabIndex={-1}
      aria-selected={open}
      aria-describedby={`${badgesId} ${metaId}`}
      className={`local-row${open ? ' is-open is-selected' : ''}`}
      onClick={onOpen}
    >
      <div className="secret-row-line">
        <span className="secret-name mono">{secret.name}</span>
        {/* The row's name is the secret's name (WCAG 2.5.3: what is seen and said to pick it); badges
            and targets are read once, as its description. */}
        <span id={badgesId} className="row-badges" aria-hidden="true">
          {secret.linkedAccountId ? <span className="badge badge-linked">Linked account</span> : null}
          {secret.sharesValueWith.length ? (
            <span className="badge badge-warn" title={`Same value as ${secret.sharesValueWith.map((s) => s.name).join(', ')}`}>
              Shared value
            </span>
          ) : null}
          {secret.tags.map((t) => (
            <span key={t} className="chip">
              {t}
            </span>
          ))}
        </span>
      </div>
      <div id={metaId} className="secret-row-meta local-row-targets" aria-hidden="true">
        {secret.targets.length === 0 ? (
          <span>Kept here only: no target</span>
        ) : (
          secret.targets.map((target) => {
            const state = targetStateText[target.state];
            return (
              <span key={target.workspaceId} className="target-chip" title={state.hint}>
                {labelOf(target.workspaceId)}
                {target.followsName ? '' : ` as ${target.remoteName}`}: <span className={`tone-${state.tone}`}>{state.label}</span>
              </span>
            );
          })
        )}
      </div>
    </div>
  );
}
