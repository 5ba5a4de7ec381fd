import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { BindAccountRequestSchema } from '../../../../shared/schemas/accounts';
import { residencyLabels } from '../../../../shared/schemas/workspaces';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { call, toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { invalidateAccounts, useAccounts } from '../../queries/accounts';
import { useWorkspaceList } from '../../queries/workspaces';
import { useUi } from '../../stores/ui';
import { closeAccountsDialog } from './dialogs';
import { accountName, suggestedSecretName } from './providers';

const BindFormSchema = BindAccountRequestSchema.pick({ secretName: true, workspaceIds: true });
type BindForm = z.input<typeof BindFormSchema>;
type BindRequest = z.output<typeof BindFormSchema>;

/**
 * Binds an account's access token to a workspace secret in one or more workspaces: main keeps it
 * as a local secret, pushes it now through a push plan, and again after every refresh. With a
 * name already bound, changes which workspaces it goes to.
 */
export function BindDialog({ accountId, secretName }: { accountId: string; secretName?: string }) {
  const notify = useUi((s) => s.notify);
  const data = useAccounts().data;
  const account = data?.accounts.find((a) => a.id === accountId);
  const provider = data?.providers.find((p) => p.id === account?.providerId);
  const workspaces = useWorkspaceList();
  const binding = secretName ? account?.bindings.find((b) => b.secretName === secretName) : undefined;
  const { register, handleSubmit, setError, clearErrors, setFocus, control, formState } = useForm<BindForm, unknown, BindRequest>({
    resolver: zodResolver(BindFormSchema),
    defaultValues: {
      secretName: secretName ?? (account && provider ? suggestedSecretName(provider.kind, account.personLabel) : ''),
      // One workspace: the obvious choice. An existing binding: where it goes now.
      workspaceIds: binding ? binding.workspaceIds : workspaces.length === 1 ? [workspaces[0]!.id] : [],
    },
    reValidateMode: 'onSubmit',
  });
  const bind = useMutation({
    mutationFn: (request: BindRequest) => call((api) => api.accounts.bind({ accountId, ...request })),
  });
  const busy = bind.isPending;
  const formError =
    bind.error && !['secretName', 'workspaceIds'].includes(toIpcError(bind.error).field?.split('.')[0] ?? '')
      ? toIpcError(bind.error)
      : null;

  useEffect(() => {
    if (data && !account && !busy) closeAccountsDialog();
  }, [data, account, busy]);
  useEffect(() => {
    if (!secretName) setFocus('secretName', { shouldSelect: true });
  }, [secretName, setFocus]);
  if (!account) return null;
  const name = accountName(account);

  const submit = (request: BindRequest) => {
    if (busy) return;
    bind.mutate(request, {
      onSuccess: (after) => {
        invalidateAccounts();
        const bound = after.bindings.find((b) => b.secretName === request.secretName);
        const where = (bound?.workspaceIds ?? request.workspaceIds).map((id) => workspaces.find((w) => w.id === id)?.label ?? id);
        notify(
          'success',
          `${quoted(request.secretName)} holds the token of ${name} in ${where.map(quoted).join(', ')}; pushed now and after every refresh.`,
        );
        closeAccountsDialog();
      },
      onError: (caught) => {
        const problem = toIpcError(caught);
        const field = problem.field?.split('.')[0];
        if (field === 'secretName' || field === 'workspaceIds') {
          setError(field, { type: 'server', message: problem.message });
          if (field === 'secretName') setFocus('secretName');
        }
      },
    });
  };

  const errors = formState.errors;
  const workspacesError = errors.workspaceIds
    ? errors.workspaceIds.type === 'server'
      ? errors.workspaceIds.message
      : 'Choose at least one workspace.'
    : undefined;

  return (
    <Dialog
      title={binding ? `Workspaces of ${binding.secretName}` : `Bind ${name} to a workspace secret`}
      onClose={closeAccountsDialog}
      busy={busy}
    >
      <form className="dialog-form" noValidate onSubmit={(e) => void handleSubmit(submit)(e)}>
        <p className="dialog-intro">
          The workspace secret holds this account’s access token. Agent Keyring pushes it now and again after every refresh, so the tools
          that read it always get a fresh token. If a secret of that name exists in a workspace, it takes it over.
        </p>
        <fieldset className="plain-fieldset" disabled={busy}>
          <Field
            label="Secret name"
            error={fieldMessage('Secret name', errors.secretName)}
            hint="Letters, digits, “_”, “.” and “-”, starting with a letter or “_”; for example google_token_alice."
          >
            {(props) => (
              <input
                {...props}
                {...register('secretName', {
                  onChange: () => {
                    clearErrors('secretName');
                    bind.reset();
                  },
                })}
                className="input mono"
                readOnly={Boolean(binding)}
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          <Controller
            control={control}
            name="workspaceIds"
            render={({ field }) => (
              <fieldset className="checkbox-group" aria-describedby={workspacesError ? 'bind-workspaces-error' : undefined}>
                <legend className="field-label">Workspaces</legend>
                {workspaces.length === 0 ? <p className="muted">Add a workspace first.</p> : null}
                {workspaces.map((w) => {
                  const checked = field.value.includes(w.id);
                  return (
                    <label key={w.id} className="checkbox-line">
                      <input
                        type="checkbox"
                        checked={checked}
                        aria-invalid={workspacesError ? true : undefined}
                        onChange={() => {
                          field.onChange(checked ? field.value.filter((id) => id !== w.id) : [...field.value, w.id]);
                          clearErrors('workspaceIds');
                          bind.reset();
                        }}
                      />
                      <span>
                        {w.label}
                        <span className="muted"> · {residencyLabels[w.residency]}</span>
                        {w.reachability === 'unreachable' ? <span className="badge badge-warn checkbox-badge">Offline</span> : null}
                      </span>
                    </label>
                  );
                })}
                {workspacesError ? (
                  <p id="bind-workspaces-error" className="field-error">
                    {workspacesError}
                  </p>
                ) : null}
              </fieldset>
            )}
          />
        </fieldset>
        {formError ? (
          <div className="callout callout-error" role="alert">
            {formError.message}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={closeAccountsDialog}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy || undefined}>
            {busy ? 'Pushing…' : binding ? 'Save and push' : 'Bind and push'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
