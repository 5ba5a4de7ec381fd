import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { LocalSecret } from '../../../../shared/schemas/local-secrets';
import type { ReviewItem, ReviewKind } from '../../../../shared/schemas/review';
import { defaultAppSettings, isReviewed, type AppSettingsValues } from '../../../../shared/schemas/settings';
import { EmptyState } from '../../components/EmptyState';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { formatNumber, fullDateTime, plural, relativeTime } from '../../lib/format';
import { queryClient, queryKeys } from '../../queries/client';
import { reviewQuery, settingsQuery, useAllLocalSecrets } from '../../queries/local-secrets';
import { useWorkspaceList } from '../../queries/workspaces';
import { findInSecrets, openPushPlan, showLocalSecret, showRemoteSecret } from '../../stores/local-secret-actions';
import { useUi } from '../../stores/ui';
import { editKeptConnection, showConnection } from '../connections/show-connection';
import { showVariable } from '../variables/show-variable';

/** Each kind of item, in the order it is listed (what breaks agents first), with what it means. */
const kinds: { kind: ReviewKind; title: string; explain: (rotationDays: number) => string }[] = [
  {
    kind: 'account_needs_reconnect',
    title: 'Linked accounts to reconnect',
    explain: () => 'The provider no longer accepts their sign-in.',
  },
  {
    kind: 'account_expiring',
    title: 'Linked accounts about to end',
    explain: () => 'Their tokens cannot be refreshed and end soon.',
  },
  {
    kind: 'account_refresh_failing',
    title: 'Linked accounts whose refresh fails',
    explain: () => 'Agent Keyring keeps trying; their tokens end if it never succeeds.',
  },
  {
    kind: 'changed_since_push',
    title: 'Changed since the last push',
    explain: () => 'The value here is newer than the one in ElevenLabs. Push to send it.',
  },
  {
    kind: 'in_use_without_local_value',
    title: 'Used by agents, with no value kept here',
    explain: () => 'Remote secrets that agents use, made in the dashboard. Manage them here to keep and rotate their values.',
  },
  {
    kind: 'never_pushed',
    title: 'Never pushed',
    explain: () => 'Local secrets that no workspace has received yet.',
  },
  {
    kind: 'missing_in_workspace',
    title: 'Missing in some workspaces',
    explain: () => 'Names present in some synced workspaces and not in the others: an agent moved between them would miss them.',
  },
  {
    kind: 'shared_value',
    title: 'Same value as another local secret',
    explain: () => 'One leak exposes all of them, and a rotation must reach all. Give each its own value where you can.',
  },
  {
    kind: 'not_rotated',
    title: 'Not rotated for a while',
    explain: (days) => `Values set more than ${plural(days, 'day')} ago (change the number in Settings).`,
  },
  {
    kind: 'unused_remote',
    title: 'Remote secrets nothing uses',
    explain: () => 'No agent, tool, phone number or MCP server uses them, as of the last sync. Leftovers can be deleted.',
  },
  {
    kind: 'account_unbound',
    title: 'Linked accounts no secret holds',
    explain: () => 'No workspace secret receives their token.',
  },
  // Auth connections, in the same order: what breaks tools first.
  {
    kind: 'connection_failing',
    title: 'Auth connections that fail',
    explain: () =>
      'ElevenLabs reported them refresh failed, revoked or with invalid credentials at the last sync: tools that use them fail.',
  },
  {
    kind: 'certificate_expiring',
    title: 'Certificates ending soon',
    explain: () => 'Connections kept here whose client or CA certificate ends within 30 days, or has ended.',
  },
  {
    kind: 'kept_connection_missing',
    title: 'Kept connections missing in a workspace',
    explain: () => 'Pushed from here, but the last sync no longer found them there.',
  },
  {
    kind: 'connection_changed_remotely',
    title: 'Connections changed in the dashboard',
    explain: () =>
      'Their settings in a workspace differ from the definition kept here (secrets are never compared: the API does not return them).',
  },
  {
    kind: 'connection_unused',
    title: 'Auth connections nothing uses',
    explain: () =>
      'No tool or MCP server uses them, as of the last sync. Integration, WhatsApp and Slack ones are managed in the dashboard and left out.',
  },
  // Environment variables, what breaks an environment first.
  {
    kind: 'variable_reference_removed',
    title: 'Variables naming a removed secret or connection',
    explain: () => 'Agents run in that environment get nothing for them: point them at one that exists.',
  },
  {
    kind: 'variable_environment_missing',
    title: 'Variables missing an environment',
    explain: () => 'Most variables of their workspace have a value for it; agents run there get nothing for these.',
  },
  {
    kind: 'variable_looks_like_credential',
    title: 'Variables holding what looks like a key',
    explain: () =>
      'Plain string values are readable by anyone who can read the workspace. Values shaped like keys, or long and random-looking, should be secrets.',
  },
  {
    kind: 'not_backed_up',
    title: 'Not in a verified backup',
    explain: () =>
      'Local values changed after the last verified backup: ElevenLabs never gives a value back, so this computer holds the only copy.',
  },
];

/** What needs attention, from the saved inventory and the local secrets (works offline). */
export function ReviewView() {
  const settings = useQuery(settingsQuery);
  const rotationDays = settings.data?.rotationDays ?? defaultAppSettings.rotationDays;
  const review = useQuery({ ...reviewQuery(rotationDays), enabled: !settings.isPending });

  let body: React.ReactNode;
  if (review.isError && !review.data) {
    body = (
      <EmptyState title="The review could not be made" icon="!" tone="error">
        <p>{toIpcError(review.error).message}</p>
        <button type="button" className="button" onClick={() => void review.refetch()}>
          Try again
        </button>
      </EmptyState>
    );
  } else if (!review.data) {
    body = (
      <div className="review-groups" aria-busy="true">
        <span className="visually-hidden">Looking for what needs attention…</span>
        {[0, 1].map((i) => (
          <div key={i} className="card card-skeleton" aria-hidden="true">
            <span className="skeleton skeleton-title" />
            <span className="skeleton skeleton-meta" />
          </div>
        ))}
      </div>
    );
  } else if (review.data.items.length === 0) {
    body = (
      <EmptyState title="Nothing needs attention" icon="✓">
        <p>Every local value is pushed, every secret agents use has a value here, and nothing is left unused.</p>
      </EmptyState>
    );
  } else {
    const { items } = review.data;
    const present = kinds.filter(({ kind }) => items.some((item) => item.kind === kind));
    body = (
      <>
        <p className="result-count" aria-live="polite">
          {plural(items.length, 'thing needs', 'things need')} attention
        </p>
        <nav className="review-summary" aria-label="Kinds of review items">
          {present.map(({ kind, title }) => (
            <button key={kind} type="button" className="chip-button" onClick={() => jumpTo(kind)}>
              {title} <span className="review-count">{formatNumber(items.filter((item) => item.kind === kind).length)}</span>
            </button>
          ))}
        </nav>
        <div className="review-groups">
          {present.map(({ kind, title, explain }) => (
            <ReviewGroup
              key={kind}
              kind={kind}
              title={title}
              explanation={explain(rotationDays)}
              items={items.filter((item) => item.kind === kind)}
            />
          ))}
        </div>
      </>
    );
  }
  return (
    <div className="review-view">
      {settings.data ? <ComparedWorkspaces choices={settings.data.reviewWorkspaces} /> : null}
      {body}
    </div>
  );
}

/**
 * Which workspaces Review looks at and compares, kept in the settings (main applies the choice):
 * all but the demo unless the user says otherwise.
 */
function ComparedWorkspaces({ choices }: { choices: AppSettingsValues['reviewWorkspaces'] }) {
  const workspaces = useWorkspaceList();
  const notify = useUi((s) => s.notify);
  // A box shows its new state at once, while main saves it.
  const [chosen, setChosen] = useState<Record<string, boolean>>({});
  const save = useMutation({
    mutationFn: (choice: { workspaceId: string; reviewed: boolean }) =>
      call((api) => api.settings.update({ reviewWorkspaces: { [choice.workspaceId]: choice.reviewed } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQuery.queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.reviewAll });
      void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
    },
    onError: (error) => {
      // Back to what main keeps.
      setChosen({});
      notify('error', `The choice could not be saved: ${toIpcError(error).message}`);
    },
  });
  if (workspaces.length === 0) return null;
  const compared = workspaces.filter((w) => isReviewed(w, choices));
  const synced = compared.filter((w) => w.sync.status === 'ok');
  return (
    <section className="card review-workspaces" aria-labelledby="review-workspaces-title">
      <h2 id="review-workspaces-title" className="card-title">
        Workspaces reviewed and compared
      </h2>
      <p className="muted">
        Remote secrets are reviewed, and their names compared, only in the workspaces ticked. Local secrets are always reviewed.
      </p>
      <fieldset className="checkbox-group review-workspace-choices" disabled={save.isPending}>
        <legend className="visually-hidden">Review these workspaces</legend>
        {workspaces.map((w) => (
          <label key={w.id} className="checkbox-line">
            <input
              type="checkbox"
              checked={chosen[w.id] ?? isReviewed(w, choices)}
              onChange={(event) => {
                setChosen({ ...chosen, [w.id]: event.target.checked });
                save.mutate({ workspaceId: w.id, reviewed: event.target.checked });
              }}
            />
            {w.label}
          </label>
        ))}
      </fieldset>
      {synced.length < 2 && workspaces.length > 1 ? (
        <p className="muted">Names are compared between two or more synced workspaces: tick another to compare.</p>
      ) : null}
    </section>
  );
}

/** Longer groups show this many items until "Show all". */
const FIRST_ITEMS = 8;

/** Moves to a group from the summary: its heading scrolls into view and takes focus. */
function jumpTo(kind: ReviewKind): void {
  const heading = document.getElementById(`review-${kind}`);
  heading?.scrollIntoView({ block: 'start' });
  heading?.focus();
}

function ReviewGroup({ kind, title, explanation, items }: { kind: ReviewKind; title: string; explanation: string; items: ReviewItem[] }) {
  const headingId = `review-${kind}`;
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, FIRST_ITEMS);
  return (
    <section className="card review-group" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title" tabIndex={-1}>
        {title} <span className="review-count">({items.length})</span>
      </h2>
      <p className="muted review-explain">{explanation}</p>
      <ul className="review-items">
        {shown.map((item, index) => (
          <ReviewRow
            key={`${item.name}:${item.localSecretId ?? ''}:${item.remoteSecretId ?? ''}:${item.linkedAccountId ?? ''}:${item.keptConnectionId ?? ''}:${item.remoteConnectionId ?? ''}:${index}`}
            item={item}
          />
        ))}
      </ul>
      {items.length > shown.length ? (
        <button type="button" className="button button-ghost button-small review-more" onClick={() => setAll(true)}>
          Show all {items.length}
        </button>
      ) : null}
    </section>
  );
}

function ReviewRow({ item }: { item: ReviewItem }) {
  const workspaces = useWorkspaceList();
  const locals = useAllLocalSecrets().data?.secrets ?? [];
  const now = useNow();
  const labels = item.workspaceIds.map((id) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace');
  const where =
    item.kind === 'missing_in_workspace'
      ? `Missing in ${labels.join(', ')}`
      : item.kind === 'changed_since_push' || item.kind === 'never_pushed'
        ? labels.length
          ? `Targets ${labels.join(', ')}`
          : ''
        : labels.join(', ');
  // Accounts and connections have names people chose; secrets have identifiers.
  const account = item.kind.startsWith('account_') || isConnectionKind(item.kind);
  return (
    <li className="review-item">
      <div className="review-item-text">
        <span className={`review-name${account ? '' : ' mono'}`}>{item.name}</span>
        {where ? <span className="review-where">{where}</span> : null}
        <p className="review-detail">
          {item.detail}
          {/* A certificate's detail says its date and days left already. */}
          {item.since && item.kind !== 'certificate_expiring' ? (
            <span className="muted" title={fullDateTime(item.since)}>
              {' '}
              ({item.kind === 'account_expiring' ? 'ends' : 'since'} {relativeTime(item.since, now)})
            </span>
          ) : null}
        </p>
      </div>
      <div className="review-actions">
        <ReviewActions item={item} locals={locals} />
      </div>
    </li>
  );
}

/** The one or two things to do about an item, named with the item for screen readers. */
function ReviewActions({ item, locals }: { item: ReviewItem; locals: LocalSecret[] }) {
  const openDialog = useUi((s) => s.openDialog);
  const setView = useUi((s) => s.setView);
  const button = (label: string, onClick: () => void, primary = false) => (
    <button
      type="button"
      className={`button button-small${primary ? ' button-primary' : ''}`}
      aria-label={`${label.replace(/…$/, '')} ${item.name}`}
      onClick={onClick}
    >
      {label}
    </button>
  );
  const remote = item.remoteSecretId && item.workspaceIds[0] ? { workspaceId: item.workspaceIds[0], secretId: item.remoteSecretId } : null;
  const local = item.localSecretId;
  const openLocal = local ? button('Open', () => showLocalSecret(local)) : null;

  switch (item.kind) {
    case 'in_use_without_local_value':
      return remote ? (
        <>
          {button('Manage here…', () => openDialog({ kind: 'adoptRemoteSecret', ...remote }), true)}
          {button('Show', () => void showRemoteSecret(remote.workspaceId, remote.secretId))}
        </>
      ) : null;
    case 'changed_since_push':
      return local ? (
        <>
          {button('Plan push…', () => openPushPlan({ kind: 'push', secretIds: [local], workspaceIds: [] }), true)}
          {openLocal}
        </>
      ) : null;
    case 'never_pushed':
      return local ? (
        <>
          {item.workspaceIds.length
            ? button('Plan push…', () => openPushPlan({ kind: 'push', secretIds: [local], workspaceIds: [] }), true)
            : button('Set targets…', () => openDialog({ kind: 'localSecretTargets', id: local }), true)}
          {openLocal}
        </>
      ) : null;
    case 'shared_value':
      return local ? (
        <>
          {button('Rotate…', () => openDialog({ kind: 'rotateLocalSecret', id: local }))}
          {openLocal}
        </>
      ) : null;
    case 'not_rotated':
      return local ? (
        <>
          {button('Rotate…', () => openDialog({ kind: 'rotateLocalSecret', id: local }), true)}
          {openLocal}
        </>
      ) : null;
    case 'unused_remote':
      return remote ? (
        <>
          {button('Show', () => void showRemoteSecret(remote.workspaceId, remote.secretId))}
          {button('Delete from ElevenLabs…', () =>
            openPushPlan({ kind: 'delete', what: 'secret', workspaceId: remote.workspaceId, remoteId: remote.secretId, name: item.name }),
          )}
        </>
      ) : null;
    case 'missing_in_workspace': {
      const owner = locals.find((secret) => secret.name === item.name);
      return (
        <>
          {owner ? button('Set targets…', () => openDialog({ kind: 'localSecretTargets', id: owner.id }), true) : null}
          {button('Find in Secrets', () => findInSecrets(item.name))}
        </>
      );
    }
    case 'account_expiring':
    case 'account_refresh_failing':
    case 'account_needs_reconnect':
    case 'account_unbound':
      return button('Open Linked accounts', () => setView('accounts'), true);
    case 'certificate_expiring': {
      const kept = item.keptConnectionId;
      return (
        <>
          {kept ? button('Edit…', () => editKeptConnection(kept, item.name), true) : null}
          {button('Show in Auth connections', () => showConnection(item.name))}
        </>
      );
    }
    case 'connection_failing':
    case 'connection_unused':
    case 'kept_connection_missing':
    case 'connection_changed_remotely':
      return button('Show in Auth connections', () => showConnection(item.name), true);
    case 'variable_reference_removed':
    case 'variable_environment_missing':
    case 'variable_looks_like_credential': {
      const workspaceId = item.workspaceIds[0];
      return workspaceId ? button('Show in Environment variables', () => void showVariable(workspaceId, item.name), true) : null;
    }
    case 'not_backed_up':
      return (
        <>
          {button('Back up in Settings', () => setView('settings'), true)}
          {openLocal}
        </>
      );
  }
}

function isConnectionKind(kind: ReviewKind): boolean {
  return kind.startsWith('connection_') || kind === 'certificate_expiring' || kind === 'kept_connection_missing';
}
