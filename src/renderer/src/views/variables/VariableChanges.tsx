import { useId, useState } from 'react';
import { PRODUCTION, type EnvironmentVariable, type VariableKind } from '../../../../shared/schemas/environment-variables';
import {
  EnvironmentNameSchema,
  VariableLabelSchema,
  type VariableCellInput,
  type VariableEdit,
  type VariablePromotion,
} from '../../../../shared/schemas/push';
import { Dialog, FormActions } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { quoted } from '../../lib/format';
import { useAuthConnections } from '../../queries/connections';
import { useVariables } from '../../queries/variables';
import { useActiveWorkspace, useWorkspaceList } from '../../queries/workspaces';
import { openPushPlan } from '../../stores/local-secret-actions';

// The controls that change environment variables. None sends anything: each makes the change a
// plan (the one plan dialog, as for secrets and connections), which is applied or cancelled there.

type Open = 'add' | 'set' | 'promote' | null;

const kindLabels: Record<VariableKind, string> = { string: 'Text', secret: 'Workspace secret', auth_connection: 'Auth connection' };

/** The first problem zod finds with a value, as a sentence part ("must start with …"), or undefined. */
function problemOf(schema: typeof VariableLabelSchema | typeof EnvironmentNameSchema, value: string): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : (parsed.error.issues[0]?.message ?? 'is not valid');
}

export function VariableChangeToolbar() {
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);
  return (
    <>
      <div className="toolbar variables-changes" role="group" aria-label="Change environment variables">
        <button type="button" className="button button-small" onClick={() => setOpen('add')}>
          Add variable…
        </button>
        <button type="button" className="button button-small" onClick={() => setOpen('set')}>
          Set or clear a value…
        </button>
        <button type="button" className="button button-small" onClick={() => setOpen('promote')}>
          Promote an environment…
        </button>
        <span className="muted">Each change is shown as a plan first; nothing is sent until you apply it.</span>
      </div>
      {/* Outside the toolbar: its styles are not the dialog's. */}
      {open === 'add' ? <AddVariableDialog onClose={close} /> : null}
      {open === 'set' ? <SetValueDialog onClose={close} /> : null}
      {open === 'promote' ? <PromoteDialog onClose={close} /> : null}
    </>
  );
}

/** A workspace to change, the active one first. */
function WorkspaceSelect({ value, onChange, label }: { value: string; onChange(id: string): void; label: string }) {
  const workspaces = useWorkspaceList();
  return (
    <Field label={label}>
      {(props) => (
        <select {...props} className="select" value={value} onChange={(event) => onChange(event.target.value)}>
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function useDefaultWorkspace(): string {
  const active = useActiveWorkspace();
  const workspaces = useWorkspaceList();
  return active?.id ?? workspaces[0]?.id ?? '';
}

/** A value of the variable's kind: text, or the name of a secret or connection in the workspace (suggested from what it has). */
function ValueInput({
  kind,
  workspaceId,
  variables,
  label,
  value,
  onChange,
  error,
}: {
  kind: VariableKind;
  workspaceId: string;
  variables: readonly EnvironmentVariable[];
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
}) {
  const listId = useId();
  const connections = useAuthConnections(kind === 'auth_connection' ? workspaceId : null, '');
  const names =
    kind === 'auth_connection'
      ? (connections.data?.connections ?? []).map((c) => c.name)
      : kind === 'secret'
        ? variables.flatMap((v) =>
            v.values.flatMap((cell) => (cell.kind === 'secret' && cell.reference?.name ? [cell.reference.name] : [])),
          )
        : [];
  return (
    <Field
      label={label}
      error={error}
      hint={
        kind === 'string' ? 'Plain text: a key or token belongs in a workspace secret.' : `The ${kindLabels[kind].toLowerCase()}'s name.`
      }
    >
      {(props) => (
        <>
          <input
            {...props}
            className="input"
            value={value}
            list={names.length ? listId : undefined}
            onChange={(event) => onChange(event.target.value)}
          />
          {names.length ? (
            <datalist id={listId}>
              {[...new Set(names)].sort().map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
          ) : null}
        </>
      )}
    </Field>
  );
}

const cellOf = (kind: VariableKind, text: string): VariableCellInput =>
  kind === 'string' ? { kind, value: text } : { kind, name: text.trim() };

function AddVariableDialog({ onClose }: { onClose(): void }) {
  const [workspaceId, setWorkspaceId] = useState(useDefaultWorkspace());
  const [label, setLabel] = useState('');
  const [kind, setKind] = useState<VariableKind>('string');
  const [production, setProduction] = useState('');
  const [otherEnvironment, setOtherEnvironment] = useState('');
  const [otherValue, setOtherValue] = useState('');
  const [tried, setTried] = useState(false);
  const variables = useVariables(workspaceId, null, null).data?.variables ?? [];
  const workspace = useWorkspaceList().find((w) => w.id === workspaceId);
  const labelProblem = problemOf(VariableLabelSchema, label);
  const taken = variables.some((v) => v.label === label && v.removedRemotelyAt === null);
  const environmentProblem = otherEnvironment ? problemOf(EnvironmentNameSchema, otherEnvironment) : undefined;
  const errors = {
    label: labelProblem
      ? `The label ${labelProblem}.`
      : taken
        ? `“${workspace?.label}” already has ${quoted(label)}: set its values instead.`
        : undefined,
    production: production.trim() ? undefined : 'A new variable needs a production value.',
    otherEnvironment: environmentProblem
      ? `The environment ${environmentProblem}.`
      : otherEnvironment === PRODUCTION
        ? 'Production is set above.'
        : undefined,
    otherValue: otherEnvironment && !otherValue.trim() ? `A value for ${otherEnvironment}, or leave the environment empty.` : undefined,
  };
  const valid = Object.values(errors).every((e) => e === undefined);
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!valid) return;
    const values: VariableEdit['values'] = { [PRODUCTION]: cellOf(kind, production) };
    if (otherEnvironment) values[otherEnvironment] = cellOf(kind, otherValue);
    onClose();
    openPushPlan({ kind: 'variables', title: `Add ${label}`, edits: [{ workspaceId, label, add: true, values }] });
  };
  const shown = (error: string | undefined) => (tried ? error : undefined);
  return (
    <Dialog title="Add an environment variable" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <WorkspaceSelect label="Workspace" value={workspaceId} onChange={setWorkspaceId} />
        <Field label="Label" error={shown(errors.label)} hint="Referenced as {{system_env__LABEL}} in tools, MCP servers and webhooks.">
          {(props) => <input {...props} className="input mono" value={label} onChange={(event) => setLabel(event.target.value)} />}
        </Field>
        <Field label="Holds">
          {(props) => (
            <select {...props} className="select" value={kind} onChange={(event) => setKind(event.target.value as VariableKind)}>
              {(Object.keys(kindLabels) as VariableKind[]).map((k) => (
                <option key={k} value={k}>
                  {kindLabels[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ValueInput
          kind={kind}
          workspaceId={workspaceId}
          variables={variables}
          label="Production value"
          value={production}
          onChange={setProduction}
          error={shown(errors.production)}
        />
        <Field label="Another environment (optional)" error={shown(errors.otherEnvironment)} hint="For example staging or dev.">
          {(props) => (
            <input
              {...props}
              className="input mono"
              value={otherEnvironment}
              onChange={(event) => setOtherEnvironment(event.target.value)}
            />
          )}
        </Field>
        {otherEnvironment ? (
          <ValueInput
            kind={kind}
            workspaceId={workspaceId}
            variables={variables}
            label={`Value for ${otherEnvironment}`}
            value={otherValue}
            onChange={setOtherValue}
            error={shown(errors.otherValue)}
          />
        ) : null}
        <FormActions onCancel={onClose} pending={false} submitLabel="Review the plan…" pendingLabel="Review the plan…" />
      </form>
    </Dialog>
  );
}

function SetValueDialog({ onClose }: { onClose(): void }) {
  const [workspaceId, setWorkspaceId] = useState(useDefaultWorkspace());
  const variables = (useVariables(workspaceId, null, null).data?.variables ?? []).filter((v) => v.removedRemotelyAt === null);
  const [label, setLabel] = useState('');
  const [environment, setEnvironment] = useState('');
  const [clear, setClear] = useState(false);
  const [value, setValue] = useState('');
  const [tried, setTried] = useState(false);
  const environmentsId = useId();
  const variable = variables.find((v) => v.label === label) ?? variables[0];
  const kind = (variable?.type ?? 'string') as VariableKind;
  const environments = [...new Set(variables.flatMap((v) => v.values.map((cell) => cell.environment)))];
  const current = variable?.values.find((cell) => cell.environment === environment);
  const environmentProblem = problemOf(EnvironmentNameSchema, environment);
  const errors = {
    environment: environmentProblem ? `The environment ${environmentProblem}.` : undefined,
    clear: clear && environment === PRODUCTION ? 'Production cannot be cleared: every variable has it.' : undefined,
    value: !clear && !value.trim() ? 'A value, or choose to clear it.' : undefined,
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (!variable || Object.values(errors).some(Boolean)) return;
    onClose();
    openPushPlan({
      kind: 'variables',
      title: `${clear ? 'Clear' : 'Set'} ${variable.label} in ${environment}`,
      edits: [{ workspaceId, label: variable.label, values: { [environment]: clear ? null : cellOf(kind, value) } }],
    });
  };
  const shown = (error: string | undefined) => (tried ? error : undefined);
  return (
    <Dialog title="Set or clear a value" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <WorkspaceSelect label="Workspace" value={workspaceId} onChange={setWorkspaceId} />
        {variables.length === 0 ? (
          <p className="muted">This workspace has no variables as of the last sync: add one first.</p>
        ) : (
          <>
            <Field label="Variable">
              {(props) => (
                <select {...props} className="select" value={variable?.label ?? ''} onChange={(event) => setLabel(event.target.value)}>
                  {variables.map((v) => (
                    <option key={v.variableId} value={v.label}>
                      {v.label} ({kindLabels[v.type as VariableKind] ?? v.type})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Environment" error={shown(errors.environment)} hint="One it has, or a new one.">
              {(props) => (
                <>
                  <input
                    {...props}
                    className="input mono"
                    list={environmentsId}
                    value={environment}
                    onChange={(event) => setEnvironment(event.target.value)}
                  />
                  <datalist id={environmentsId}>
                    {environments.map((e) => (
                      <option key={e} value={e} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            {environment && !environmentProblem ? (
              <p className="muted">
                Now: {current ? (current.value ?? current.reference?.name ?? 'withheld (looks like a credential)') : 'not set'}
              </p>
            ) : null}
            <Field label="Clear this environment" error={shown(errors.clear)}>
              {(props) => <input {...props} type="checkbox" checked={clear} onChange={(event) => setClear(event.target.checked)} />}
            </Field>
            {clear ? null : (
              <ValueInput
                kind={kind}
                workspaceId={workspaceId}
                variables={variables}
                label="New value"
                value={value}
                onChange={setValue}
                error={shown(errors.value)}
              />
            )}
          </>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={variables.length === 0}>
            Review the plan…
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PromoteDialog({ onClose }: { onClose(): void }) {
  const initial = useDefaultWorkspace();
  const [fromWorkspace, setFromWorkspace] = useState(initial);
  const [toWorkspace, setToWorkspace] = useState(initial);
  const [fromEnvironment, setFromEnvironment] = useState('staging');
  const [toEnvironment, setToEnvironment] = useState(PRODUCTION);
  const [chosen, setChosen] = useState<ReadonlySet<string> | null>(null);
  const [tried, setTried] = useState(false);
  const sources = (useVariables(fromWorkspace, null, null).data?.variables ?? []).filter(
    (v) => v.removedRemotelyAt === null && v.values.some((cell) => cell.environment === fromEnvironment),
  );
  const errors = {
    from: problemOf(EnvironmentNameSchema, fromEnvironment) ? 'An environment name, such as staging.' : undefined,
    to:
      problemOf(EnvironmentNameSchema, toEnvironment) !== undefined
        ? 'An environment name, such as production.'
        : fromWorkspace === toWorkspace && fromEnvironment === toEnvironment
          ? 'Choose another environment or workspace to promote to.'
          : undefined,
    labels: chosen !== null && chosen.size === 0 ? 'Choose at least one variable, or all of them.' : undefined,
  };
  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (Object.values(errors).some(Boolean)) return;
    const promotion: VariablePromotion = {
      from: { workspaceId: fromWorkspace, environment: fromEnvironment },
      to: { workspaceId: toWorkspace, environment: toEnvironment },
      ...(chosen ? { labels: [...chosen] } : {}),
    };
    onClose();
    openPushPlan({ kind: 'variables', title: `Promote ${fromEnvironment} to ${toEnvironment}`, edits: [], promotion });
  };
  const shown = (error: string | undefined) => (tried ? error : undefined);
  return (
    <Dialog title="Promote an environment" onClose={onClose} size="large">
      <form onSubmit={submit} noValidate>
        <p className="dialog-intro">
          Copies one environment&apos;s values to another, in the same workspace or another. A secret or connection is found by its name in
          the target; what cannot be found is named in the plan and left alone. To add an environment to several variables, promote to a new
          name.
        </p>
        <div className="form-row">
          <WorkspaceSelect label="From workspace" value={fromWorkspace} onChange={setFromWorkspace} />
          <Field label="From environment" error={shown(errors.from)}>
            {(props) => (
              <input
                {...props}
                className="input mono"
                value={fromEnvironment}
                onChange={(event) => setFromEnvironment(event.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="form-row">
          <WorkspaceSelect label="To workspace" value={toWorkspace} onChange={setToWorkspace} />
          <Field label="To environment" error={shown(errors.to)}>
            {(props) => (
              <input {...props} className="input mono" value={toEnvironment} onChange={(event) => setToEnvironment(event.target.value)} />
            )}
          </Field>
        </div>
        <fieldset className="promote-labels">
          <legend>
            Variables ({sources.length} with {fromEnvironment || 'that environment'})
          </legend>
          <label className="check">
            <input type="checkbox" checked={chosen === null} onChange={(event) => setChosen(event.target.checked ? null : new Set())} />
            <span>All of them</span>
          </label>
          {chosen !== null
            ? sources.map((v) => (
                <label key={v.variableId} className="check">
                  <input
                    type="checkbox"
                    checked={chosen.has(v.label)}
                    onChange={(event) => {
                      const next = new Set(chosen);
                      if (event.target.checked) next.add(v.label);
                      else next.delete(v.label);
                      setChosen(next);
                    }}
                  />
                  <span className="mono">{v.label}</span>
                </label>
              ))
            : null}
          {shown(errors.labels) ? <p className="field-error">{errors.labels}</p> : null}
        </fieldset>
        <FormActions onCancel={onClose} pending={false} submitLabel="Review the plan…" pendingLabel="Review the plan…" />
      </form>
    </Dialog>
  );
}
