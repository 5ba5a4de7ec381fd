import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { AdoptRemoteSecretRequestSchema } from '../../../../shared/schemas/local-secrets';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { useSubmit } from '../../hooks/useSubmit';
import { call } from '../../keyring';
import { quoted } from '../../lib/format';
import { secretDetailQuery } from '../../queries/inventory';
import { useAllLocalSecrets } from '../../queries/local-secrets';
import { localSecretsChanged, openPushPlan } from '../../stores/local-secret-actions';
import { useUi } from '../../stores/ui';
import { ValueInput } from '../local-secrets/ValueInput';

/** The adopt request's value, and the local secret to link (empty: a new one of the remote's name). */
const AdoptFormSchema = z.object({
  value: AdoptRemoteSecretRequestSchema.shape.value,
  localSecretId: z.string().transform((id) => id || undefined),
});
type AdoptForm = z.input<typeof AdoptFormSchema>;
type AdoptRequest = z.output<typeof AdoptFormSchema>;

/**
 * "Manage here": gives a remote secret made in the dashboard a local value. From then on the
 * value is kept here (keychain) and pushed like any other. The value lives in this form until
 * main has it.
 */
export function AdoptDialog({ workspaceId, secretId }: { workspaceId: string; secretId: string }) {
  const close = useUi((s) => s.closeDialog);
  const notify = useUi((s) => s.notify);
  const detail = useQuery(secretDetailQuery({ workspaceId, secretId }));
  const locals = useAllLocalSecrets().data?.secrets ?? [];
  // A local secret that already pushes to this workspace cannot take a second remote secret there.
  const linkable = locals.filter((secret) => !secret.targets.some((t) => t.workspaceId === workspaceId) && !secret.linkedAccountId);
  const { register, handleSubmit, setFocus, formState, reset, control, clearErrors } = useForm<AdoptForm, unknown, AdoptRequest>({
    resolver: zodResolver(AdoptFormSchema),
    defaultValues: { value: '', localSecretId: '' },
    reValidateMode: 'onSubmit',
  });
  const linkTo = useWatch({ control, name: 'localSecretId' });
  const adopt = useSubmit();
  const name = detail.data?.secret.name ?? '';

  useEffect(() => {
    setFocus('value');
  }, [setFocus]);

  const submit = async ({ value, localSecretId }: AdoptRequest) => {
    const result = await adopt.run(() =>
      call((api) => api.localSecrets.adopt({ workspaceId, remoteSecretId: secretId, value, localSecretId })),
    );
    if (!result.ok) return;
    reset();
    void localSecretsChanged();
    notify('success', `${quoted(name)} is managed here now, as the local secret ${quoted(result.data.name)}. Push it to send the value.`);
    close();
    openPushPlan({ kind: 'push', secretIds: [result.data.id], workspaceIds: [workspaceId] });
  };

  const linked = linkable.find((s) => s.id === linkTo);
  return (
    <Dialog title={`Manage ${quoted(name)} here`} onClose={close} busy={adopt.busy}>
      <form className="dialog-form" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <p className="dialog-intro">
          ElevenLabs never returns a secret’s value, so give it here. It is kept in the system keychain and sent to{' '}
          {detail.data ? quoted(detail.data.workspaceLabel) : 'the workspace'} when you push: the remote secret is updated, not duplicated.
        </p>
        <fieldset className="plain-fieldset" disabled={adopt.busy}>
          <Field label="Value" error={fieldMessage('Value', formState.errors.value)}>
            {(field) => (
              <ValueInput
                {...field}
                {...register('value', {
                  onChange: () => {
                    clearErrors('value');
                    adopt.reset();
                  },
                })}
              />
            )}
          </Field>
          <Field
            label="Keep it as"
            hint={
              linked
                ? `${quoted(linked.name)} takes this value (its current one is kept as the previous) and also pushes to this remote secret.`
                : 'A new local secret of the same name, targeting this workspace.'
            }
          >
            {(field) => (
              <select {...field} {...register('localSecretId', { onChange: () => adopt.reset() })} className="select">
                <option value="">A new local secret {name ? quoted(name) : ''}</option>
                {linkable.map((secret) => (
                  <option key={secret.id} value={secret.id}>
                    The local secret {quoted(secret.name)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>
        {adopt.error ? (
          <div className="callout callout-error" role="alert">
            {adopt.error.message}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={adopt.busy || !detail.data}>
            {adopt.busy ? 'Saving…' : 'Manage here'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
