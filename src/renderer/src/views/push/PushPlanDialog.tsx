import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { dependantKindNoun, dependantName, dependantsByKind, describeDependants } from '../../../../shared/dependants';
import type { Plan, PlanItem } from '../../../../shared/schemas/push';
import { Dialog } from '../../components/Dialog';
import { useNow } from '../../hooks/useNow';
import { call, toIpcError } from '../../keyring';
import { formatNumber, plural, quoted } from '../../lib/format';
import {
  actionLabels,
  confirmationHint,
  isChange,
  isOpen,
  itemName,
  itemReason,
  itemStatusText,
  planSummary,
  resultSummary,
} from '../../lib/push-text';
import { usePushRun, type PushRun } from '../../queries/pushProgress';
import { useWorkspaceList } from '../../queries/workspaces';
import { applyPlan } from '../../stores/local-secret-actions';
import { useUi, type PushScope } from '../../stores/ui';

/** Asks main for the plan the dialog shows (computed from SQLite, stored as a draft; nothing is sent). */
async function planFor(scope: PushScope, force: boolean): Promise<Plan | null> {
  switch (scope.kind) {
    case 'push':
      return call((api) =>
        api.push.plan({
          secretIds: scope.secretIds,
          connectionIds: scope.connectionIds ?? [],
          workspaceIds: scope.workspaceIds,
          force,
          deletions: [],
        }),
      );
    case 'delete': {
      const target = { workspaceId: scope.workspaceId };
      return call((api) =>
        api.push.plan({
          secretIds: [],
          workspaceIds: [scope.workspaceId],
          force: false,
          deletions: scope.what === 'secret' ? [{ ...target, remoteSecretId: scope.remoteId }] : [],
          connectionDeletions: scope.what === 'connection' ? [{ ...target, remoteConnectionId: scope.remoteId }] : [],
          deletionsOnly: true,
        }),
      );
    }
    case 'variables':
      return call((api) =>
        api.push.plan({
          secretIds: [],
          workspaceIds: [],
          force: false,
          deletions: [],
          variableEdits: scope.edits,
          ...(scope.promotion ? { promotion: scope.promotion } : {}),
        }),
      );
    case 'resume': {
      const { plan } = await call((api) => api.push.latest({}));
      return plan && plan.id === scope.planId ? plan : null;
    }
  }
}

const titles: Record<PushScope['kind'], string> = {
  push: 'Push plan',
  delete: 'Delete from ElevenLabs',
  variables: 'Environment variables',
  resume: 'Finish the last push',
};

/**
 * A plan, then its apply: what would be sent to each workspace is shown first, grouped by
 * workspace with the reason for each item; applying shows progress (rate-limit waits included)
 * and a result per item, and a plan that did not finish can be applied again.
 */
export function PushPlanDialog({ scope }: { scope: PushScope }) {
  const close = useUi((s) => s.closeDialog);
  const [force, setForce] = useState(false);
  const planQuery = useQuery({
    queryKey: ['push', 'plan', scope, force],
    queryFn: () => planFor(scope, force),
    // Each opening asks afresh: a plan is a snapshot of this moment.
    gcTime: 0,
    // Ticking "force" keeps the plan on screen (and focus where it was) while the new one is made.
    placeholderData: keepPreviousData,
  });
  // The last result stays on screen while the plan is applied again (a retry of what failed).
  const [result, setResult] = useState<Plan | null>(null);
  // The user's choices for this apply: items left out, and overwrites of values in use they confirmed.
  const [choice, setChoice] = useState<Choice>(noChoice);
  const apply = useMutation({
    mutationFn: ({ planId, items }: { planId: string; items: PlanItem[] }) => {
      // Only what is still to send: a choice about a settled item means nothing to main.
      const open = new Set(items.filter(isOpen).map((item) => item.id));
      return applyPlan(planId, {
        leaveOut: [...choice.leftOut].filter((id) => open.has(id)),
        confirmed: [...choice.confirmed].filter((id) => open.has(id) && !choice.leftOut.has(id)),
      });
    },
    onSuccess: (plan) => {
      setChoice(noChoice);
      setResult(plan);
    },
  });
  const cancelRef = useRef<HTMLButtonElement>(null);
  const title =
    scope.kind === 'delete'
      ? `Delete ${quoted(scope.name)} from ElevenLabs?`
      : scope.kind === 'variables'
        ? scope.title
        : titles[scope.kind];

  let body: React.ReactNode;
  if (planQuery.isPending) {
    body = (
      <p className="plan-loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Working out what to send…
      </p>
    );
  } else if (planQuery.isError) {
    body = (
      <>
        <div className="callout callout-error" role="alert">
          The plan could not be made: {toIpcError(planQuery.error).message}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Close
          </button>
          <button type="button" className="button button-primary" onClick={() => void planQuery.refetch()}>
            Try again
          </button>
        </div>
      </>
    );
  } else if (!planQuery.data) {
    body = (
      <>
        <p className="dialog-intro">That push was finished or replaced by a newer one meanwhile: there is nothing left to apply.</p>
        <div className="dialog-actions">
          <button type="button" className="button button-primary" onClick={close}>
            Close
          </button>
        </div>
      </>
    );
  } else {
    body = (
      <PlanBody
        scope={scope}
        plan={result ?? planQuery.data}
        applying={apply.isPending}
        applied={result !== null}
        stale={planQuery.isPlaceholderData}
        applyError={apply.isError ? toIpcError(apply.error).message : null}
        force={force}
        onForce={(next) => {
          apply.reset();
          setResult(null);
          setChoice(noChoice);
          setForce(next);
        }}
        choice={choice}
        onChoice={setChoice}
        onApply={(plan) => apply.mutate({ planId: plan.id, items: plan.items })}
        onClose={close}
        cancelRef={cancelRef}
      />
    );
  }

  return (
    <Dialog
      title={title}
      role={scope.kind === 'delete' ? 'alertdialog' : 'dialog'}
      onClose={close}
      size="large"
      initialFocusRef={scope.kind === 'delete' ? cancelRef : undefined}
    >
      {body}
    </Dialog>
  );
}

interface Choice {
  leftOut: ReadonlySet<number>;
  confirmed: ReadonlySet<number>;
}
const noChoice: Choice = { leftOut: new Set(), confirmed: new Set() };

/** A copy of the set with the id in it or not. */
function toggled(set: ReadonlySet<number>, id: number, on: boolean): Set<number> {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

interface PlanBodyProps {
  scope: PushScope;
  plan: Plan;
  applying: boolean;
  applied: boolean;
  /** The plan on screen is the one before "force" changed; the new one is being made. */
  stale: boolean;
  applyError: string | null;
  force: boolean;
  onForce(force: boolean): void;
  choice: Choice;
  onChoice(choice: Choice): void;
  onApply(plan: Plan): void;
  onClose(): void;
  cancelRef: React.RefObject<HTMLButtonElement | null>;
}

function PlanBody({
  scope,
  plan,
  applying,
  applied,
  stale,
  applyError,
  force,
  onForce,
  choice,
  onChoice,
  onApply,
  onClose,
  cancelRef,
}: PlanBodyProps) {
  const workspaces = useWorkspaceList();
  const run = usePushRun(plan.id);
  const forceId = useId();
  const applyHintId = useId();
  const statusRef = useRef<HTMLDivElement>(null);
  // While applying, each item as the events last described it.
  const items = applying && run ? plan.items.map((item) => run.items[item.id] ?? item) : plan.items;
  const changes = items.filter(isChange);
  const interrupted = plan.status === 'interrupted' && !applying;
  const finished = applied || plan.status === 'applied' || plan.status === 'interrupted';
  // Refused and left-out items are settled: only what a retry can still send is unfinished.
  const unfinished = changes.filter(isOpen);
  const failed = changes.filter((item) => item.status === 'failed');
  const canApply = !applying && unfinished.length > 0;
  const toSend = unfinished.filter((item) => !choice.leftOut.has(item.id));
  const unconfirmed = toSend.filter((item) => item.needsConfirmation && !choice.confirmed.has(item.id));
  const applyBlocked =
    unconfirmed.length > 0
      ? confirmationHint(unconfirmed)
      : toSend.length === 0 && unfinished.length > 0
        ? 'Every change is left out: there is nothing to send.'
        : null;
  const choices: ItemChoices = {
    // A single deletion is the whole plan: there is nothing to leave out.
    include: !applying && scope.kind !== 'delete',
    confirm: !applying,
    choice,
    onChoice,
  };

  // Workspaces in the sidebar's order; a removed one last.
  const order = (id: string) => {
    const index = workspaces.findIndex((w) => w.id === id);
    return index === -1 ? workspaces.length : index;
  };
  const groups = [...new Set(items.map((item) => item.workspaceId))].sort((a, b) => order(a) - order(b));
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  const offline = groups.filter((id) => workspaces.find((w) => w.id === id)?.reachability === 'unreachable');
  const deletion = scope.kind === 'delete' ? items.find((item) => item.action === 'delete') : undefined;
  const applyRef = useRef<HTMLButtonElement>(null);

  // The plan arrived after the dialog opened: give focus to its safe choice, unless the user
  // already went somewhere in the dialog. Never a button that overwrites or deletes a live value:
  // Cancel when the plan updates or deletes anything, Apply only for creates alone.
  const overwrites = changes.some((item) => item.action === 'update' || item.action === 'replace' || item.action === 'delete');
  useEffect(() => {
    const active = document.activeElement;
    if (active && active !== document.body && !active.matches('[role="dialog"], [role="alertdialog"]')) return;
    (scope.kind === 'delete' || overwrites ? cancelRef.current : (applyRef.current ?? cancelRef.current))?.focus();
  }, [scope.kind, overwrites, cancelRef]);

  // While applying the Apply button goes away, and after it the result replaces the plan: focus
  // goes to the line that says how it goes, rather than falling to <body>.
  useEffect(() => {
    const active = document.activeElement;
    if (!(applying || applied) || (active && active !== document.body && !active.matches('[role="dialog"], [role="alertdialog"]'))) return;
    statusRef.current?.focus();
  }, [applying, applied]);

  let applyLabel = scope.kind === 'delete' ? 'Delete from ElevenLabs' : 'Apply';
  if (finished)
    applyLabel =
      failed.length === unfinished.length ? `Try the failed ${unfinished.length === 1 ? 'item' : 'items'} again` : 'Apply the rest';

  return (
    <div className={`plan${stale ? ' is-stale' : ''}`} aria-busy={stale || undefined}>
      {scope.kind === 'delete' && deletion && !finished && !applying ? <DeletionWarning item={deletion} /> : null}
      {interrupted ? (
        <div className="callout callout-warn">
          <strong>This push was interrupted.</strong> Items marked “may have been applied” are checked with ElevenLabs before anything is
          sent again, so applying it again leaves no duplicate.
        </div>
      ) : null}
      {offline.length && !finished ? (
        <div className="callout callout-warn">
          {offline.map(labelOf).map(quoted).join(', ')} did not answer at the last contact: this plan comes from the last sync, and its
          items fail until it is reachable. Your edits stay here as pending changes.
        </div>
      ) : null}

      {plan.notes.length && !finished ? (
        <div className="callout callout-warn">
          <p>
            <strong>Not planned:</strong>
          </p>
          <ul className="plan-notes" aria-label="Not planned">
            {plan.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <div ref={statusRef} tabIndex={-1} className="plan-status">
        <PlanStatus
          plan={plan}
          changes={changes}
          run={run}
          applying={applying}
          finished={finished}
          scope={scope}
          leftOut={finished ? 0 : unfinished.length - toSend.length}
        />
      </div>

      {groups.length === 0 ? (
        <p className="plan-empty">
          {scope.kind === 'push' ? 'Nothing kept here targets a workspace yet: set targets first.' : 'Nothing to do.'}
        </p>
      ) : (
        // A long plan scrolls: a focusable region (WCAG 2.1.1, axe scrollable-region-focusable) so the
        // keyboard can scroll it too.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="plan-groups" tabIndex={0} role="region" aria-label="Planned changes by workspace">
          {groups.map((workspaceId) => (
            <WorkspaceGroup
              key={workspaceId}
              label={labelOf(workspaceId)}
              items={items.filter((item) => item.workspaceId === workspaceId)}
              showStatus={applying || finished}
              interrupted={interrupted}
              choices={choices}
            />
          ))}
        </div>
      )}

      {applyError ? (
        <div className="callout callout-error" role="alert">
          {applyError}
        </div>
      ) : null}

      {scope.kind === 'push' && !applying && !finished ? (
        <label className="check plan-force" htmlFor={forceId}>
          <input id={forceId} type="checkbox" checked={force} onChange={(event) => onForce(event.target.checked)} />
          <span>Send unchanged values again (force)</span>
        </label>
      ) : null}

      {canApply && applyBlocked ? (
        <p id={applyHintId} className="plan-apply-hint">
          {applyBlocked}
        </p>
      ) : null}

      <div className="dialog-actions">
        <button ref={cancelRef} type="button" className="button" onClick={onClose}>
          {applying ? 'Close (the push goes on)' : finished ? 'Close' : 'Cancel'}
        </button>
        {canApply ? (
          <button
            ref={applyRef}
            type="button"
            disabled={stale || applyBlocked !== null}
            aria-describedby={applyBlocked ? applyHintId : undefined}
            className={`button ${scope.kind === 'delete' && !finished ? 'button-danger' : 'button-primary'}`}
            onClick={() => onApply(plan)}
          >
            {applyLabel}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The line over the plan: what it will do, how far it got, or how it ended. */
function PlanStatus({
  plan,
  changes,
  run,
  applying,
  finished,
  scope,
  leftOut,
}: {
  plan: Plan;
  changes: PlanItem[];
  run: PushRun | null;
  applying: boolean;
  finished: boolean;
  scope: PushScope;
  /** Changes the user left out of this apply. */
  leftOut: number;
}) {
  const waits = run ? Object.values(run.retries) : [];
  const now = useNow(applying ? 1000 : 30_000);
  const retryAt = waits.length ? Math.max(...waits) : null;
  const waiting = applying && retryAt !== null && retryAt > now - 1000;

  if (!applying && !finished) {
    const text =
      scope.kind === 'delete'
        ? 'Nothing is deleted until you confirm. Nothing else is sent.'
        : changes.length
          ? `${planSummary(plan)}${leftOut ? ` (${leftOut} left out)` : ''}. Nothing is sent until you apply.`
          : isForced(plan) || scope.kind === 'variables'
            ? 'Nothing to send.'
            : 'Nothing to push: every target is in sync. Tick “force” to send the values again.';
    return (
      <p className="plan-summary" role="status">
        {text}
      </p>
    );
  }

  const total = run?.total ?? changes.length;
  const done = applying ? (run?.done ?? 0) : total;
  const value = total ? Math.round((done / total) * 100) : 100;
  let text: string;
  if (applying && waiting) {
    const seconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
    text = `Rate limited by ElevenLabs: retrying in ${seconds} s (${done} of ${total} sent)`;
  } else if (applying && total > 0 && done >= total) text = 'Sent. Re-syncing the workspaces to see what landed…';
  else if (applying) text = `Sending ${Math.min(done + 1, total)} of ${total}…`;
  else text = `Finished: ${resultSummary(plan) || 'nothing was sent'}.`;

  return (
    <div className={`plan-progress${waiting ? ' is-waiting' : ''}`}>
      <div
        className="progress"
        role="progressbar"
        aria-label="Push progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value}
        aria-valuetext={text}
      >
        <div className={`progress-fill${applying ? '' : ' is-still'}`} style={{ width: `${Math.max(4, value)}%` }} />
      </div>
      <p className="plan-summary" role="status">
        {text}
      </p>
    </div>
  );
}

/** A plan asked with "force" never says "tick force". */
function isForced(plan: Plan): boolean {
  return plan.items.some((item) => item.reasons.includes('forced'));
}

/** Unchanged and remote-only items listed when a group's "left alone" is opened. */
const QUIET_SHOWN = 200;

/** What the rows may ask: leave an item out, confirm an overwrite of a value in use. */
interface ItemChoices {
  include: boolean;
  confirm: boolean;
  choice: Choice;
  onChoice(choice: Choice): void;
}

function WorkspaceGroup({
  label,
  items,
  showStatus,
  interrupted,
  choices,
}: {
  label: string;
  items: PlanItem[];
  showStatus: boolean;
  interrupted: boolean;
  choices: ItemChoices;
}) {
  const headingId = useId();
  const changes = items.filter(isChange);
  const unchanged = items.filter((item) => item.action === 'unchanged');
  const remoteOnly = items.filter((item) => item.action === 'remote_only');
  const quiet = [...unchanged, ...remoteOnly];
  const [open, setOpen] = useState(false);
  const count = (list: PlanItem[], kind: PlanItem['kind'], noun: string) => {
    const n = list.filter((item) => item.kind === kind).length;
    return n ? plural(n, noun) : '';
  };
  const leftAlone = [
    count(unchanged, 'secret', 'unchanged secret'),
    count(unchanged, 'connection', 'unchanged auth connection'),
    count(remoteOnly, 'secret', 'remote-only secret'),
    count(remoteOnly, 'connection', 'remote-only auth connection'),
    count(unchanged, 'variable', 'unchanged variable'),
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <section className="plan-group" aria-labelledby={headingId}>
      <h3 id={headingId} className="plan-group-title">
        {label}
      </h3>
      {changes.length ? (
        <ul className="plan-items">
          {changes.map((item) => (
            <PlanItemRow
              key={item.id}
              item={item}
              workspaceLabel={label}
              showStatus={showStatus}
              interrupted={interrupted}
              choices={choices}
            />
          ))}
        </ul>
      ) : (
        <p className="muted plan-nothing">Nothing to send here.</p>
      )}
      {leftAlone ? (
        <details className="plan-left-alone" onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>{leftAlone}: left alone</summary>
          {/* A workspace may hold thousands: listed only when asked, and only so many. */}
          {open ? (
            <>
              <ul className="plan-items is-quiet">
                {quiet.slice(0, QUIET_SHOWN).map((item) => (
                  <PlanItemRow key={item.id} item={item} workspaceLabel={label} showStatus={false} interrupted={false} />
                ))}
              </ul>
              {quiet.length > QUIET_SHOWN ? <p className="muted">and {formatNumber(quiet.length - QUIET_SHOWN)} more</p> : null}
            </>
          ) : null}
        </details>
      ) : null}
    </section>
  );
}

function PlanItemRow({
  item,
  workspaceLabel,
  showStatus,
  interrupted,
  choices,
}: {
  item: PlanItem;
  workspaceLabel: string;
  showStatus: boolean;
  interrupted: boolean;
  choices?: ItemChoices;
}) {
  const renamed = item.action === 'update' && item.reasons.includes('renamed');
  const recreate = item.action === 'create' && item.reasons.includes('removed_remotely');
  const tone =
    item.status === 'done'
      ? 'ok'
      : item.status === 'failed' || item.status === 'refused'
        ? 'bad'
        : item.status === 'sending'
          ? 'warn'
          : 'muted';
  const open = isOpen(item);
  const leftOut = choices ? choices.choice.leftOut.has(item.id) : false;
  const name = itemName(item);
  const problem = (item.status === 'failed' || item.status === 'refused') && item.problem;
  return (
    <li className={`plan-item action-${item.action}${leftOut ? ' is-left-out' : ''}`}>
      <div className="plan-item-line">
        {choices?.include && open ? (
          <label className="plan-include">
            <input
              type="checkbox"
              checked={!leftOut}
              onChange={(event) =>
                choices.onChoice({ ...choices.choice, leftOut: toggled(choices.choice.leftOut, item.id, !event.target.checked) })
              }
            />
            <span className="visually-hidden">
              Include {name} in {workspaceLabel} in this push
            </span>
          </label>
        ) : null}
        <span className={`plan-action plan-action-${item.action}`}>
          {renamed && item.reasons.length === 1 ? 'Rename' : recreate ? 'Recreate' : actionLabels[item.action]}
        </span>
        {item.kind === 'connection' ? <span className="plan-kind">Auth connection</span> : null}
        {item.kind === 'variable' ? <span className="plan-kind">Variable</span> : null}
        <span className="plan-item-name mono">
          {renamed ? (
            <>
              {item.remoteName} <span aria-hidden="true">→</span>
              <span className="visually-hidden"> to </span> {item.newName}
            </>
          ) : (
            name
          )}
        </span>
        {showStatus && item.action !== 'unchanged' && item.action !== 'remote_only' ? (
          <span className={`status-pill tone-${tone} plan-item-status`}>{itemStatusText(item, interrupted)}</span>
        ) : null}
      </div>
      <p className="plan-item-reason">{itemReason(item)}</p>
      {item.kind === 'variable' && item.cells.length ? (
        <ul className="plan-cells" aria-label={`Environments of ${name}`}>
          {item.cells.map((cell) => (
            <li key={cell.environment}>
              <span className="mono">{cell.environment}</span>: {cell.before ?? 'not set'} <span aria-hidden="true">→</span>
              <span className="visually-hidden"> becomes </span> {cell.after ?? 'cleared'}
            </li>
          ))}
        </ul>
      ) : null}
      {(item.action === 'delete' || item.action === 'update') && item.dependants.length && !problem ? (
        <p className="plan-item-reason tone-warn">Used by {describeDependants(item.dependants)}</p>
      ) : null}
      {item.action === 'replace' && !problem ? (
        <p className="plan-item-reason tone-warn">
          {item.dependants.length
            ? `The old connection is used by ${describeDependants(item.dependants)}: they keep using it (it is not deleted) until you point them at the new one in the dashboard.`
            : 'Nothing uses the old connection, as of the last sync: it is deleted once the new one is made.'}
        </p>
      ) : null}
      {leftOut && open ? <p className="plan-item-reason">Left out of this push: not sent; the change stays pending here.</p> : null}
      {choices?.confirm && open && !leftOut && item.needsConfirmation ? (
        <label className="check plan-confirm">
          <input
            type="checkbox"
            checked={choices.choice.confirmed.has(item.id)}
            onChange={(event) =>
              choices.onChoice({ ...choices.choice, confirmed: toggled(choices.choice.confirmed, item.id, event.target.checked) })
            }
          />
          <span>
            {item.action === 'replace'
              ? `Replace ${quoted(name)} with a new connection${item.dependants.length ? `, knowing ${dependantsByKind(item.dependants)} must be re-pointed` : ''}`
              : `Overwrite the ${item.kind === 'connection' ? 'connection' : 'value of'} ${quoted(name)} that ${dependantsByKind(item.dependants)} use`}
          </span>
        </label>
      ) : null}
      {problem ? (
        <p className="plan-item-problem" role="alert">
          {problem.message}
        </p>
      ) : null}
    </li>
  );
}

function DeletionWarning({ item }: { item: PlanItem }) {
  const noun = item.kind === 'connection' ? 'an auth connection' : 'a secret';
  if (!item.dependants.length) {
    return (
      <div className="callout callout-warn">
        <strong>Nothing uses it, as of the last sync.</strong> Deleting it in ElevenLabs cannot be undone.
        {item.localSecretId ? ' Its local secret stays here and still targets this workspace: the next push would create it again.' : ''}
        {item.keptConnectionId
          ? ' Its definition stays kept here and still targets this workspace: the next push would create it again.'
          : ''}
      </div>
    );
  }
  return (
    <div className="callout callout-warn">
      <p>
        <strong>Still used by {dependantsByKind(item.dependants)}, as of the last sync.</strong> ElevenLabs refuses to delete {noun} that is
        in use: take it out of these first.
      </p>
      <ul className="dependant-list plan-dependants" aria-label="Used by">
        {item.dependants.map((d) => (
          <li key={`${d.kind}:${d.id}`} className="dependant">
            <span className="muted">{capitalized(dependantKindNoun(d.kind))}</span>{' '}
            {(d.name ?? d.phoneNumber) ? dependantName(d) : <span className="mono">{d.id}</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
