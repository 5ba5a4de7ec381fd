import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useForm, useWatch, type UseFormRegister, type UseFormSetValue } from 'react-hook-form';
import {
  connectionFields,
  type CheckReport,
  type ConnectionAuthType,
  type ConnectionFieldInfo,
} from '../../../../shared/schemas/connection-definitions';
import { creatableAuthTypes } from '../../../../shared/schemas/auth-connections';
import type { KeptConnection } from '../../../../shared/schemas/kept-connections';
import { LIMITS } from '../../../../shared/limits';
import { Dialog, FormActions } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../keyring';
import { authTypeLabel } from '../../lib/auth-types';
import { quoted } from '../../lib/format';
import { useAllKeptConnections } from '../../queries/kept-connections';
import { useWorkspaceList } from '../../queries/workspaces';
import { openPushPlan } from '../../stores/local-secret-actions';
import { useUi } from '../../stores/ui';
import { TargetFields } from '../local-secrets/TargetFields';
import {
  connectionResolver,
  fieldsOf,
  initialValues,
  isMultiline,
  isRemovable,
  targetRowsOf,
  type ConnectionFormOutput,
  type ConnectionFormValues,
} from './connection-form';
import { closeKeptDialog, useOpenKeptDialog, type KeptDialog } from './kept-dialogs';

/** The open dialog of connections kept here, outside the app's tree (inert while a dialog is open). */
export function KeptConnectionDialogs() {
  const dialog = useOpenKeptDialog();
  if (!dialog) return null;
  let content: React.ReactNode;
  switch (dialog.kind) {
    case 'create':
      content = <ConnectionDialog request={dialog} />;
      break;
    case 'adopt':
      content = <ConnectionDialog key={dialog.remoteConnectionId} request={dialog} />;
      break;
    case 'edit':
      content = <WithConnection id={dialog.id}>{(c) => <ConnectionDialog request={dialog} connection={c} />}</WithConnection>;
      break;
    case 'delete':
      content = <WithConnection id={dialog.id}>{(c) => <DeleteDialog connection={c} />}</WithConnection>;
      break;
    case 'check':
      content = <WithConnection id={dialog.id}>{(c) => <CheckDialog connection={c} />}</WithConnection>;
      break;
    case 'copy':
      content = <WithConnection id={dialog.id}>{(c) => <CopyDialog connection={c} />}</WithConnection>;
      break;
  }
  return createPortal(content, document.body);
}

/** The dialog's connection from the list; the dialog closes if it is gone. */
function WithConnection({ id, children }: { id: string; children(c: KeptConnection): React.ReactNode }) {
  const list = useAllKeptConnections();
  const connection = list.data?.connections.find((c) => c.id === id);
  useEffect(() => {
    if (list.data && !connection) closeKeptDialog();
  }, [list.data, connection]);
  return connection ? <>{children(connection)}</> : null;
}

const typeIntro: Record<ConnectionAuthType, string> = {
  oauth2_client_credentials: 'ElevenLabs asks the token URL for an access token with a client id and secret.',
  oauth2_jwt: 'ElevenLabs signs a JWT and exchanges it at the token URL for a token.',
  private_key_jwt: 'ElevenLabs signs a JWT with your key and sends it as the credential.',
  basic_auth: 'ElevenLabs sends a user name and password in an Authorization: Basic header.',
  bearer_auth: 'ElevenLabs sends a token in an Authorization: Bearer header.',
  custom_header_auth: 'ElevenLabs sends a token in a header you name.',
  mtls: 'ElevenLabs presents a client certificate when it connects (mutual TLS).',
};

type FormRequest = Extract<KeptDialog, { kind: 'create' | 'edit' | 'adopt' }>;

/** New (a type chooser, then the type's form), edit (sensitive fields empty = unchanged), or adopt. */
function ConnectionDialog({ request, connection }: { request: FormRequest; connection?: KeptConnection }) {
  const workspaces = useWorkspaceList();
  const fixedType = request.kind === 'adopt' ? request.authType : connection?.authType;
  const [authType, setAuthType] = useState<ConnectionAuthType>(fixedType ?? 'oauth2_client_credentials');
  const title =
    request.kind === 'create'
      ? 'New auth connection'
      : request.kind === 'adopt'
        ? `Keep ${quoted(request.name)} here`
        : `Edit ${quoted(connection?.name ?? '')}`;
  return (
    <Dialog title={title} onClose={closeKeptDialog} size="large">
      {request.kind === 'create' ? (
        <div className="field">
          <label className="field-label" htmlFor="kept-connection-type">
            Type
          </label>
          <select
            id="kept-connection-type"
            className="input"
            value={authType}
            aria-describedby="kept-connection-type-hint"
            onChange={(event) => setAuthType(event.target.value as ConnectionAuthType)}
          >
            {creatableAuthTypes.map((type) => (
              <option key={type} value={type}>
                {authTypeLabel(type)}
              </option>
            ))}
          </select>
          <p id="kept-connection-type-hint" className="field-hint">
            {typeIntro[authType]}
          </p>
        </div>
      ) : (
        <p className="dialog-intro">
          {authTypeLabel(authType)}. {typeIntro[authType]}
        </p>
      )}
      <ConnectionForm key={authType} authType={authType} request={request} connection={connection} workspaces={workspaces} />
    </Dialog>
  );
}

function ConnectionForm({
  authType,
  request,
  connection,
  workspaces,
}: {
  authType: ConnectionAuthType;
  request: FormRequest;
  connection: KeptConnection | undefined;
  workspaces: ReturnType<typeof useWorkspaceList>;
}) {
  const notify = useUi((s) => s.notify);
  const mode = request.kind === 'edit' ? 'edit' : 'create';
  // A kept connection's public fields leave out its name (a column of its own).
  const preset = request.kind === 'adopt' ? request.preset : connection ? { ...connection.fields, name: connection.name } : {};
  const { register, handleSubmit, setError, setValue, control, formState, reset } = useForm<
    ConnectionFormValues,
    unknown,
    ConnectionFormOutput
  >({
    resolver: connectionResolver(authType, mode),
    defaultValues: {
      values: initialValues(authType, preset),
      targets: targetRowsOf(workspaces, connection).map((row) =>
        request.kind === 'adopt' && row.workspaceId === request.workspaceId ? { ...row, selected: true } : row,
      ),
      removed: {},
    },
    reValidateMode: 'onSubmit',
  });
  const rows = useWatch({ control, name: 'targets' });
  const name = useWatch({ control, name: 'values.name' });
  const removed = useWatch({ control, name: 'removed' });
  const save = useSubmit();
  const fields = fieldsOf(authType);
  const problem = save.error;
  const problemField = problem?.field?.replace(/^definition\./, '').split('.')[0];
  const formError = problem && !fields.some(([f]) => f === problemField) ? problem.message : null;

  const submit = async ({ definition, targets }: ConnectionFormOutput) => {
    const result = await save.run(async () => {
      if (request.kind === 'adopt') {
        const adopted = await call((api) =>
          api.keptConnections.adopt({
            workspaceId: request.workspaceId,
            remoteConnectionId: request.remoteConnectionId,
            definition: definition as never,
          }),
        );
        return call((api) => api.keptConnections.setTargets({ id: adopted.id, targets: mergeTargets(adopted, targets) }));
      }
      if (request.kind === 'edit') {
        const id = request.id;
        await call((api) => api.keptConnections.update({ id, definition: definition as never }));
        return call((api) => api.keptConnections.setTargets({ id, targets }));
      }
      return call((api) => api.keptConnections.create({ definition: definition as never, targets }));
    });
    if (!result.ok) {
      const field = result.error.field?.replace(/^definition\./, '').split('.')[0];
      if (field && fields.some(([f]) => f === field)) setError(`values.${field}`, { type: 'server', message: result.error.message });
      return;
    }
    // The sensitive parts are in the keychain now: nothing of them stays in this form.
    reset();
    const saved = result.data;
    notify(
      'success',
      request.kind === 'edit'
        ? `Saved ${quoted(saved.name)}.`
        : request.kind === 'adopt'
          ? `${quoted(saved.name)} is kept here now; its sensitive parts are in the keychain. Its push plan follows: nothing is sent until you apply it.`
          : `Kept ${quoted(saved.name)} here; its sensitive parts are in the keychain. Nothing is sent to ElevenLabs until it is pushed.`,
    );
    closeKeptDialog();
    // Adopted: its first push gives the dashboard connection the sensitive parts kept here. The
    // plan is offered at once (nothing is sent until it is applied).
    if (request.kind === 'adopt') openPushPlan({ kind: 'push', secretIds: [], connectionIds: [saved.id], workspaceIds: [] });
  };

  const busy = save.busy;
  const errors = formState.errors.values as Record<string, { message?: string; type: string }> | undefined;
  return (
    <form
      className="dialog-form"
      noValidate
      aria-label={`${authTypeLabel(authType)} connection`}
      onSubmit={(e) => void handleSubmit(submit)(e)}
    >
      <fieldset className="plain-fieldset" disabled={busy}>
        {fields.map(([field, info]) => (
          <FormField
            key={field}
            field={field}
            info={info}
            mode={mode}
            kept={connection?.kept.includes(field) ?? false}
            removed={removed?.[field] === true}
            error={fieldMessage(info.label, errors?.[field] as never)}
            register={register}
            setValue={setValue}
            fixed={request.kind === 'adopt' && field === 'name'}
          />
        ))}
        <TargetFields
          workspaces={workspaces}
          rows={rows ?? []}
          ownName={typeof name === 'string' ? name : ''}
          registerSelected={(i) => register(`targets.${i}.selected`)}
          registerName={(i) => register(`targets.${i}.remoteName`)}
          nameError={(i) => formState.errors.targets?.[i]?.remoteName?.message}
          error={problemField === 'targets' ? problem?.message : undefined}
          hint="Workspaces it is pushed to, and optionally a different name there. Nothing is sent until you push."
        />
      </fieldset>
      {formError ? (
        <div className="callout callout-error" role="alert">
          {formError}
        </div>
      ) : null}
      <FormActions
        onCancel={closeKeptDialog}
        pending={busy}
        submitLabel={request.kind === 'edit' ? 'Save changes' : request.kind === 'adopt' ? 'Keep it here' : 'Save connection'}
        pendingLabel="Saving…"
      />
    </form>
  );
}

/** Adopting targets the workspace it came from; the form's other ticks are added. */
function mergeTargets(adopted: KeptConnection, targets: ConnectionFormOutput['targets']) {
  const merged = adopted.targets.map((t) => ({ workspaceId: t.workspaceId, remoteName: t.followsName ? null : t.remoteName }));
  for (const target of targets) if (!merged.some((m) => m.workspaceId === target.workspaceId)) merged.push(target);
  return merged;
}

/** "Client key" → "client key" inside a sentence; an acronym ("CA certificate") stays as it is. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

function FormField({
  field,
  info,
  mode,
  kept,
  removed,
  error,
  register,
  setValue,
  fixed,
}: {
  field: string;
  info: ConnectionFieldInfo;
  mode: 'create' | 'edit';
  kept: boolean;
  removed: boolean;
  error: string | undefined;
  register: UseFormRegister<ConnectionFormValues>;
  setValue: UseFormSetValue<ConnectionFormValues>;
  fixed: boolean;
}) {
  const [shown, setShown] = useState(false);
  const [fileNote, setFileNote] = useState<string | null>(null);
  const fileId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const label = info.required && !(info.sensitive && mode === 'edit') ? `${info.label} (required)` : info.label;
  const name = `values.${field}` as const;
  const hint = (
    <>
      {info.description}
      {info.sensitive
        ? mode === 'edit'
          ? removed
            ? ' Removed from the keychain when you save.'
            : kept
              ? ` Kept in the keychain; leave empty to keep it unchanged${info.required ? '' : ', or tick Remove below'}.`
              : ' Not kept; leave empty to leave it out.'
          : ' Kept in the keychain, never shown again.'
        : null}
      {info.input === 'list' ? ' One per line.' : info.input === 'map' ? ' One name=value per line.' : null}
      {fixed ? ' It is the name it has in the workspace.' : null}
    </>
  );

  if (info.input === 'boolean') {
    return (
      <div className="field">
        <label className="check">
          <input type="checkbox" {...register(name)} aria-describedby={`${fileId}-hint`} />
          <span>{info.label}</span>
        </label>
        <p id={`${fileId}-hint`} className="field-hint">
          {info.description}
        </p>
      </div>
    );
  }
  const removable = isRemovable(info, mode, kept);
  const input = (
    <Field label={label} error={error} hint={hint}>
      {(props) => {
        if (info.input === 'choice') {
          return (
            <select {...props} {...register(name)} className="input">
              {info.choices?.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          );
        }
        if (isMultiline(field, info)) {
          return (
            <div className="pem-input">
              <textarea
                {...props}
                {...register(name)}
                disabled={removed}
                className="input textarea mono"
                rows={4}
                autoComplete="off"
                spellCheck={false}
                // Masked like a password field, and never pre-filled.
                style={shown ? undefined : ({ WebkitTextSecurity: 'disc' } as React.CSSProperties)}
                placeholder={info.input === 'pem' ? '-----BEGIN …-----' : undefined}
              />
              <div className="pem-actions">
                <button
                  type="button"
                  className="button button-ghost button-small"
                  aria-controls={props.id}
                  onClick={() => setShown((s) => !s)}
                >
                  {shown ? `Hide ${inSentence(info.label)}` : `Show ${inSentence(info.label)}`}
                </button>
                {/* A real button (visible focus, one Tab stop) opening the file input, which stays out of the Tab order. */}
                <button type="button" className="button button-small" onClick={() => fileRef.current?.click()}>
                  Read {inSentence(info.label)} from a file…
                </button>
                <input
                  ref={fileRef}
                  id={`${fileId}-file`}
                  type="file"
                  tabIndex={-1}
                  aria-hidden="true"
                  className="visually-hidden"
                  accept=".pem,.crt,.cer,.key,.txt,text/plain"
                  onChange={(event) => {
                    const file = event.target.files?.[0];
                    event.target.value = '';
                    if (!file) return;
                    if (file.size > LIMITS.secretValue) {
                      setFileNote(`${file.name} is too large (at most ${LIMITS.secretValue / 1024} KB).`);
                      return;
                    }
                    void file.text().then((text) => {
                      setValue(name, text, { shouldDirty: true });
                      setFileNote(`Read from ${file.name}.`);
                    });
                  }}
                />
                {fileNote ? (
                  <span className="muted" role="status">
                    {fileNote}
                  </span>
                ) : null}
              </div>
            </div>
          );
        }
        if (info.input === 'list' || info.input === 'map') {
          return <textarea {...props} {...register(name)} className="input textarea mono" rows={2} autoComplete="off" spellCheck={false} />;
        }
        if (info.sensitive) {
          return (
            <div className="key-input">
              <input
                {...props}
                {...register(name)}
                disabled={removed}
                className="input mono"
                type={shown ? 'text' : 'password'}
                autoComplete="off"
                autoCorrect="off"
                autoCapitalize="off"
                spellCheck={false}
              />
              <button
                type="button"
                className="button button-ghost button-small key-toggle"
                aria-controls={props.id}
                onClick={() => setShown((s) => !s)}
              >
                {shown ? `Hide ${inSentence(info.label)}` : `Show ${inSentence(info.label)}`}
              </button>
            </div>
          );
        }
        return (
          <input
            {...props}
            {...register(name)}
            className={info.input === 'url' ? 'input mono' : 'input'}
            type={info.input === 'url' ? 'url' : 'text'}
            inputMode={info.input === 'integer' ? 'numeric' : undefined}
            readOnly={fixed || (mode === 'edit' && !info.updatable && field === 'tokenUrl')}
            autoComplete="off"
            spellCheck={false}
          />
        );
      }}
    </Field>
  );
  if (!removable) return input;
  // An optional part that is kept can be removed: sent as null, its keychain entry goes with the save.
  return (
    <div className="removable-part">
      {input}
      <label className="check">
        <input
          type="checkbox"
          {...register(`removed.${field}`, {
            onChange: (event: React.ChangeEvent<HTMLInputElement>) => {
              if (event.target.checked) setValue(name, '');
            },
          })}
        />
        <span>Remove {inSentence(info.label)}</span>
      </label>
    </div>
  );
}

/** What deleting here breaks: the keychain entries go; connections in workspaces stay. */
function DeleteDialog({ connection: c }: { connection: KeptConnection }) {
  const notify = useUi((s) => s.notify);
  const workspaces = useWorkspaceList();
  const del = useSubmit();
  const describedBy = useId();
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'a removed workspace';
  const pushed = c.targets.filter((t) => t.remoteConnectionId);
  const users = pushed.flatMap((t) =>
    [...t.usedBy.tools, ...t.usedBy.mcpServers].map((u) => `${u.name ?? u.id} (${labelOf(t.workspaceId)})`),
  );
  const run = async () => {
    const result = await del.run(() => call((api) => api.keptConnections.delete({ id: c.id })));
    if (!result.ok) return;
    notify('success', `Deleted ${quoted(c.name)} from this computer.`);
    closeKeptDialog();
  };
  return (
    <Dialog title={`Delete ${quoted(c.name)} here?`} role="alertdialog" onClose={closeKeptDialog} describedBy={describedBy} busy={del.busy}>
      <div id={describedBy}>
        <p>
          Its definition and its {c.kept.length === 1 ? 'sensitive part' : `${c.kept.length} sensitive parts`} (
          {c.kept.map((field) => connectionFields[c.authType][field]?.label ?? field).join(', ')}) are removed from this computer and its
          keychain. You cannot push it again or check it without typing them in again.
        </p>
        {pushed.length ? (
          <p>
            The connection stays in {pushed.map((t) => quoted(labelOf(t.workspaceId))).join(', ')}
            {users.length ? `, where it is used by ${users.join(', ')}` : ''}; deleting it there is a separate step.
          </p>
        ) : (
          <p>It has not been pushed to any workspace.</p>
        )}
      </div>
      {del.error ? (
        <div className="callout callout-error" role="alert">
          {del.error.message}
        </div>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={closeKeptDialog}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={del.busy} onClick={() => void run()}>
          {del.busy ? 'Deleting…' : `Delete ${quoted(c.name)}`}
        </button>
      </div>
    </Dialog>
  );
}

const probeTypes = new Set<ConnectionAuthType>(['basic_auth', 'bearer_auth', 'custom_header_auth', 'mtls']);
const outcomeGlyph = { passed: '✓', failed: '✕', warning: '▲', skipped: '–' } as const;

/** Checks the connection from main and shows what happened, step by step (never a value). */
function CheckDialog({ connection: c }: { connection: KeptConnection }) {
  const [probeUrl, setProbeUrl] = useState('');
  const [report, setReport] = useState<CheckReport | null>(null);
  const check = useSubmit();
  const run = async () => {
    setReport(null);
    const result = await check.run(() =>
      call((api) => api.keptConnections.check({ id: c.id, ...(probeUrl.trim() ? { probeUrl: probeUrl.trim() } : {}) })),
    );
    if (result.ok) setReport(result.data);
  };
  return (
    <Dialog title={`Check ${quoted(c.name)}`} onClose={closeKeptDialog} busy={check.busy}>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        <p className="dialog-intro">
          The check runs from this computer, with the sensitive parts from the keychain. Nothing is sent to ElevenLabs.
        </p>
        {probeTypes.has(c.authType) ? (
          <Field
            label="URL to try it on (optional)"
            hint="A request is made to it with the credentials; only its status is shown."
            error={check.error?.field === 'probeUrl' ? check.error.message : undefined}
          >
            {(props) => (
              <input {...props} className="input mono" type="url" value={probeUrl} onChange={(e) => setProbeUrl(e.target.value)} />
            )}
          </Field>
        ) : null}
        {check.error && check.error.field !== 'probeUrl' ? (
          <div className="callout callout-error" role="alert">
            {check.error.message}
          </div>
        ) : null}
        <div aria-live="polite">
          {report ? (
            <section aria-label="Check report" className="check-report">
              <p>
                <strong>
                  <span aria-hidden="true">{outcomeGlyph[report.outcome]}</span>{' '}
                  {report.outcome === 'passed' ? 'Passed' : report.outcome === 'failed' ? 'Failed' : 'Passed with warnings'}:
                </strong>{' '}
                {report.summary}
              </p>
              <ol className="check-steps">
                {report.steps.map((step, i) => (
                  <li key={i}>
                    <span aria-hidden="true">{outcomeGlyph[step.outcome]}</span> <strong>{step.label}</strong> ({step.outcome}):{' '}
                    {step.detail}
                  </li>
                ))}
              </ol>
              <p className="muted">Took {report.durationMs} ms.</p>
            </section>
          ) : null}
        </div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={closeKeptDialog}>
            Close
          </button>
          <button type="submit" className="button button-primary" disabled={check.busy}>
            {check.busy ? 'Checking…' : report ? 'Check again' : 'Run check'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Targets another workspace under the name it has in one (staging → production). */
function CopyDialog({ connection: c }: { connection: KeptConnection }) {
  const notify = useUi((s) => s.notify);
  const workspaces = useWorkspaceList();
  const from = c.targets.map((t) => t.workspaceId);
  const to = workspaces.filter((w) => !from.includes(w.id));
  const [fromId, setFromId] = useState(from[0] ?? '');
  const [toId, setToId] = useState(to[0]?.id ?? '');
  const copy = useSubmit();
  const labelOf = (id: string) => workspaces.find((w) => w.id === id)?.label ?? 'Removed workspace';
  const run = async () => {
    const result = await copy.run(() =>
      call((api) => api.keptConnections.copyTarget({ id: c.id, fromWorkspaceId: fromId, toWorkspaceId: toId })),
    );
    if (!result.ok) return;
    notify('success', `${quoted(c.name)} now targets ${quoted(labelOf(toId))}.`);
    closeKeptDialog();
    // In one step: the plan for that workspace follows (nothing is sent until it is applied).
    openPushPlan({ kind: 'push', secretIds: [], connectionIds: [c.id], workspaceIds: [toId] });
  };
  return (
    <Dialog title={`Copy ${quoted(c.name)} to another workspace`} onClose={closeKeptDialog} busy={copy.busy}>
      <form
        className="dialog-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
        {from.length === 0 || to.length === 0 ? (
          <p>{from.length === 0 ? 'It targets no workspace yet: add one in Edit first.' : 'It already targets every workspace.'}</p>
        ) : (
          <>
            <p className="dialog-intro">
              It gets the same name in the new workspace. Next, the push plan shows what would be made there; nothing is sent until you
              apply it.
            </p>
            <Field label="From">
              {(props) => (
                <select {...props} className="input" value={fromId} onChange={(e) => setFromId(e.target.value)}>
                  {from.map((id) => (
                    <option key={id} value={id}>
                      {labelOf(id)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="To">
              {(props) => (
                <select {...props} className="input" value={toId} onChange={(e) => setToId(e.target.value)}>
                  {to.map((w) => (
                    <option key={w.id} value={w.id}>
                      {w.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
        {copy.error ? (
          <div className="callout callout-error" role="alert">
            {copy.error.message}
          </div>
        ) : null}
        <FormActions
          onCancel={closeKeptDialog}
          pending={copy.busy || from.length === 0 || to.length === 0}
          submitLabel="Copy and review the push…"
          pendingLabel={copy.busy ? 'Copying…' : 'Copy and review the push…'}
        />
      </form>
    </Dialog>
  );
}
