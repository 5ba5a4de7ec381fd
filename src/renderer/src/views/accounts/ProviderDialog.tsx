import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import type { IpcError } from '../../../../shared/errors';
import {
  ClientIdSchema,
  ClientSecretSchema,
  EndpointUrlSchema,
  LoopbackPortSchema,
  providerKinds,
  ProviderKindSchema,
  SaveProviderRequestSchema,
  ScopeSchema,
  type Provider,
  type ProviderKind,
  type ProviderProfileSummary,
} from '../../../../shared/schemas/accounts';
import { Dialog } from '../../components/Dialog';
import { Field } from '../../components/Field';
import { fieldMessage } from '../../components/dialogs/keyOutcome';
import { call, toIpcError } from '../../keyring';
import { quoted } from '../../lib/format';
import { invalidateAccounts, useAccounts } from '../../queries/accounts';
import { useUi } from '../../stores/ui';
import { closeAccountsDialog } from './dialogs';
import { RedirectUris } from './ProvidersPanel';
import { kindLabel, withPort } from './providers';

type FormField = 'kind' | 'name' | 'clientId' | 'clientSecret' | 'authorizeUrl' | 'tokenUrl' | 'revokeUrl' | 'issuer' | 'scopes' | 'port';

const labels: Record<FormField, string> = {
  kind: 'Provider',
  name: 'Name',
  clientId: 'Client ID',
  clientSecret: 'Client secret',
  authorizeUrl: 'Authorize URL',
  tokenUrl: 'Token URL',
  revokeUrl: 'Revocation URL (optional)',
  issuer: 'Issuer (optional)',
  scopes: 'Scopes',
  port: 'Fixed port (optional)',
};

/** The port typed, when it is one: the redirect URI preview follows it as it is typed. */
function portOf(text: string): number | null {
  const parsed = LoopbackPortSchema.safeParse(Number(text.trim()));
  return /^\d+$/.test(text.trim()) && parsed.success ? parsed.data : null;
}

/** "openid offline_access" or "users:read,chat:write": spaces or commas between scopes. */
function splitScopes(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** The form's strings, checked field by field with the contract's own schemas. */
const ProviderFormSchema = z
  .object({
    kind: ProviderKindSchema,
    name: SaveProviderRequestSchema.shape.name,
    clientId: ClientIdSchema,
    clientSecret: z.string(),
    authorizeUrl: z.string(),
    tokenUrl: z.string(),
    revokeUrl: z.string(),
    issuer: z.string(),
    scopes: z.string(),
    pkce: z.boolean(),
    port: z.string(),
  })
  .superRefine((form, ctx) => {
    const check = (field: FormField, schema: z.ZodType, value: unknown) => {
      const result = schema.safeParse(value);
      if (!result.success) ctx.addIssue({ code: 'custom', path: [field], message: result.error.issues[0]?.message ?? 'is not valid' });
    };
    if (form.clientSecret !== '') check('clientSecret', ClientSecretSchema, form.clientSecret);
    for (const scope of splitScopes(form.scopes)) check('scopes', ScopeSchema, scope);
    if (form.kind !== 'custom') return;
    for (const field of ['authorizeUrl', 'tokenUrl'] as const) {
      if (form[field].trim() === '') ctx.addIssue({ code: 'custom', path: [field], message: 'must not be empty' });
      else check(field, EndpointUrlSchema, form[field]);
    }
    for (const field of ['revokeUrl', 'issuer'] as const) if (form[field].trim() !== '') check(field, EndpointUrlSchema, form[field]);
    const port = form.port.trim();
    if (port !== '' && !/^\d+$/.test(port))
      ctx.addIssue({ code: 'custom', path: ['port'], message: 'must be a whole number from 1024 to 65535' });
    else if (port !== '') check('port', LoopbackPortSchema, Number(port));
  });
type ProviderForm = z.infer<typeof ProviderFormSchema>;

/** What happens to the client secret kept in the keychain: nothing, a new one, or none any more. */
type SecretMode = 'keep' | 'replace' | 'remove';

function defaultsFor(profile: ProviderProfileSummary | undefined, kind: ProviderKind): Partial<ProviderForm> {
  return {
    name: kind === 'custom' ? '' : (profile?.displayName ?? kindLabel(kind)),
    scopes: (profile?.defaultScopes ?? []).join(' '),
    pkce: true,
  };
}

/**
 * Adds or edits a provider: the builder's own OAuth app there. The redirect URI to register is
 * shown before anything is saved. The client secret is write-only: typed here, sent once, kept
 * in the keychain by main, and never shown again (only "saved in the keychain").
 */
export function ProviderDialog({ providerId }: { providerId: string | null }) {
  const notify = useUi((s) => s.notify);
  const data = useAccounts().data;
  const existing = providerId ? data?.providers.find((p) => p.id === providerId) : undefined;
  const profiles = data?.profiles ?? [];
  const firstKind: ProviderKind = existing?.kind ?? 'google';
  const firstProfile = profiles.find((p) => p.kind === firstKind);
  const form = useForm<ProviderForm>({
    resolver: zodResolver(ProviderFormSchema),
    defaultValues: existing
      ? {
          kind: existing.kind,
          name: existing.name,
          clientId: existing.clientId,
          clientSecret: '',
          authorizeUrl: existing.authorizeUrl,
          tokenUrl: existing.tokenUrl,
          revokeUrl: existing.revokeUrl ?? '',
          issuer: existing.issuer ?? '',
          scopes: existing.scopes.join(' '),
          pkce: existing.pkce,
          port: existing.port === null ? '' : String(existing.port),
        }
      : {
          kind: firstKind,
          clientId: '',
          clientSecret: '',
          authorizeUrl: '',
          tokenUrl: '',
          revokeUrl: '',
          issuer: '',
          port: '',
          ...defaultsFor(firstProfile, firstKind),
        },
    reValidateMode: 'onSubmit',
  });
  const { register, handleSubmit, setError, clearErrors, setValue, setFocus, control, formState, getValues } = form;
  const kind = useWatch({ control, name: 'kind' });
  const typedPort = useWatch({ control, name: 'port' });
  const profile = profiles.find((p) => p.kind === kind);
  const secretNeed = existing?.clientSecretNeeded ?? profile?.clientSecretNeeded ?? 'optional';
  const [secretMode, setSecretMode] = useState<SecretMode>(existing?.hasClientSecret ? 'keep' : 'replace');
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<IpcError | null>(null);
  const errors = formState.errors;

  // Edited provider gone (removed elsewhere): nothing to edit.
  useEffect(() => {
    if (providerId && data && !existing && !busy) closeAccountsDialog();
  }, [providerId, data, existing, busy]);
  useEffect(() => {
    if (secretMode === 'replace' && existing?.hasClientSecret) setFocus('clientSecret');
  }, [secretMode, existing?.hasClientSecret, setFocus]);

  const changeKind = (next: ProviderKind) => {
    // A name the builder typed stays; a kind's own name ("Google") follows the new kind.
    const name = getValues('name');
    const defaults = defaultsFor(
      profiles.find((p) => p.kind === next),
      next,
    );
    if (name === '' || profiles.some((p) => p.displayName === name)) setValue('name', defaults.name ?? '');
    setValue('scopes', defaults.scopes ?? '');
    setValue('pkce', true);
    setValue('port', '');
    setSecretMode('replace');
    clearErrors();
    setFormError(null);
  };

  const submit = async (values: ProviderForm) => {
    if (busy) return;
    const keepsSecret = existing?.hasClientSecret && secretMode === 'keep';
    const typedSecret = secretMode === 'replace' && values.clientSecret !== '';
    if (secretNeed === 'required' && !keepsSecret && !typedSecret) {
      setError('clientSecret', {
        type: 'server',
        message: `${kindLabel(values.kind)} needs the client secret of your OAuth app; it is kept in the system keychain.`,
      });
      setFocus('clientSecret');
      return;
    }
    const custom = values.kind === 'custom';
    const request = {
      ...(existing ? { id: existing.id } : {}),
      kind: values.kind,
      name: values.name,
      clientId: values.clientId,
      ...(typedSecret ? { clientSecret: values.clientSecret } : secretMode === 'remove' ? { clientSecret: null } : {}),
      scopes: splitScopes(values.scopes),
      ...(custom
        ? {
            authorizeUrl: values.authorizeUrl.trim(),
            tokenUrl: values.tokenUrl.trim(),
            revokeUrl: values.revokeUrl.trim() || null,
            issuer: values.issuer.trim() || null,
            pkce: values.pkce,
            port: values.port.trim() === '' ? null : Number(values.port.trim()),
          }
        : {}),
    };
    setBusy(true);
    setFormError(null);
    try {
      // Sent once, in this call only: no mutation cache keeps the request.
      const saved = await call((api) => api.accounts.saveProvider(request));
      setValue('clientSecret', '');
      invalidateAccounts();
      notify('success', `Saved ${quoted(saved.name)}${typedSecret ? '; its client secret is in the system keychain' : ''}.`);
      closeAccountsDialog();
    } catch (caught) {
      const problem = toIpcError(caught);
      const field = problem.field?.split('.')[0] as FormField | undefined;
      if (field && field in labels) {
        setError(field, { type: 'server', message: problem.message });
        setFocus(field);
      } else setFormError(problem);
    } finally {
      setBusy(false);
    }
  };

  const edited = (field: FormField) => {
    clearErrors(field);
    setFormError(null);
  };
  const text = (field: Exclude<FormField, 'kind'>, options: { placeholder?: string; mono?: boolean } = {}) => (
    <Field label={labels[field]} error={fieldMessage(labels[field], errors[field])}>
      {(props) => (
        <input
          {...props}
          {...register(field, { onChange: () => edited(field) })}
          className={`input${options.mono ? ' mono' : ''}`}
          placeholder={options.placeholder}
          autoComplete="off"
          spellCheck={false}
        />
      )}
    </Field>
  );

  // A custom provider's redirect URI follows the port as it is typed, before anything is saved.
  const customPort = kind === 'custom' ? portOf(typedPort ?? '') : null;
  const redirectUri =
    kind === 'custom' && profile ? withPort(profile.redirectUri, customPort) : (existing?.redirectUri ?? profile?.redirectUri);
  const fixedPorts = kind === 'custom' ? (customPort === null ? [] : [customPort]) : (existing?.fixedPorts ?? profile?.fixedPorts ?? []);
  const note = existing?.note ?? profile?.note ?? null;

  return (
    <Dialog title={existing ? `Edit ${existing.name}` : 'Add a provider'} onClose={closeAccountsDialog} busy={busy}>
      <form className="dialog-form accounts-wide" noValidate onSubmit={(event) => void handleSubmit(submit)(event)}>
        <p className="dialog-intro">
          Use the OAuth app you registered at the provider. People sign in through your browser; their tokens go to the system keychain.
        </p>
        <fieldset className="plain-fieldset" disabled={busy}>
          {existing ? null : (
            <Field label={labels.kind} error={fieldMessage(labels.kind, errors.kind)}>
              {(props) => (
                <select
                  {...props}
                  {...register('kind', {
                    onChange: (event: { target: { value: string } }) => changeKind(event.target.value as ProviderKind),
                  })}
                  className="select"
                >
                  {providerKinds.map((k) => (
                    <option key={k} value={k}>
                      {kindLabel(k)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {redirectUri ? (
            <div className="provider-register callout callout-info">
              <RedirectUris redirectUri={redirectUri} fixedPorts={fixedPorts} />
              {note ? <p className="provider-note">{note}</p> : null}
            </div>
          ) : null}
          {text('name', { placeholder: kind === 'custom' ? 'e.g. Acme SSO' : undefined })}
          {text('clientId', { mono: true })}
          <ClientSecretField
            need={secretNeed}
            kept={Boolean(existing?.hasClientSecret)}
            mode={secretMode}
            setMode={(mode) => {
              setSecretMode(mode);
              setValue('clientSecret', '');
              edited('clientSecret');
            }}
            error={fieldMessage(labels.clientSecret, errors.clientSecret)}
            input={(props) => (
              <input
                {...props}
                {...register('clientSecret', { onChange: () => edited('clientSecret') })}
                className="input mono"
                type="password"
                autoComplete="new-password"
                spellCheck={false}
              />
            )}
          />
          {kind === 'custom' ? (
            <>
              <div className="field-pair">
                {text('authorizeUrl', { mono: true, placeholder: 'https://auth.example.com/authorize' })}
                {text('tokenUrl', { mono: true, placeholder: 'https://auth.example.com/token' })}
              </div>
              <div className="field-pair">
                {text('revokeUrl', { mono: true, placeholder: 'https://auth.example.com/revoke' })}
                {text('issuer', { mono: true, placeholder: 'https://auth.example.com' })}
              </div>
            </>
          ) : null}
          {kind === 'custom' ? (
            <Field
              label={labels.port}
              error={fieldMessage(labels.port, errors.port)}
              hint="Only for providers that match the redirect URI exactly, port included. Empty: any free port for each sign-in."
            >
              {(props) => (
                <input
                  {...props}
                  {...register('port', { onChange: () => edited('port') })}
                  className="input mono"
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="e.g. 53123"
                />
              )}
            </Field>
          ) : null}
          <Field
            label={labels.scopes}
            error={fieldMessage(labels.scopes, errors.scopes)}
            hint={
              kind === 'custom'
                ? 'Separated by spaces. offline_access asks an OpenID provider for a refresh token.'
                : `Separated by spaces. Default: ${profile?.defaultScopes.join(' ') || 'none'}.`
            }
          >
            {(props) => (
              <input
                {...props}
                {...register('scopes', { onChange: () => edited('scopes') })}
                className="input mono"
                autoComplete="off"
                spellCheck={false}
              />
            )}
          </Field>
          {kind === 'custom' ? (
            <label className="checkbox-line">
              <input type="checkbox" {...register('pkce')} />
              <span>
                Use PKCE (S256)
                <span className="field-hint checkbox-hint">Keep it on unless the provider refuses it.</span>
              </span>
            </label>
          ) : null}
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
            {busy ? 'Saving…' : existing ? 'Save provider' : 'Add provider'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type InputProps = { id: string; 'aria-invalid': true | undefined; 'aria-describedby': string | undefined };

/**
 * The write-only client secret: an empty masked field for a new one; once one is kept, only
 * "saved in the keychain" with Replace (and Remove where the provider can do without).
 */
function ClientSecretField({
  need,
  kept,
  mode,
  setMode,
  error,
  input,
}: {
  need: Provider['clientSecretNeeded'];
  kept: boolean;
  mode: SecretMode;
  setMode(mode: SecretMode): void;
  error: string | undefined;
  input(props: InputProps): React.ReactNode;
}) {
  if (need === 'none' && !kept) return null;
  if (kept && mode !== 'replace') {
    return (
      <div className="field">
        <span className="field-label" id="client-secret-label">
          Client secret
        </span>
        <div className="secret-kept" role="group" aria-labelledby="client-secret-label">
          <span className={mode === 'remove' ? 'tone-warn' : ''}>
            {mode === 'remove' ? 'Will be removed from the keychain when you save' : 'Saved in the keychain'}
          </span>
          <button type="button" className="button button-small" onClick={() => setMode('replace')}>
            Replace…
          </button>
          {need !== 'required' ? (
            <button type="button" className="button button-small" onClick={() => setMode(mode === 'remove' ? 'keep' : 'remove')}>
              {mode === 'remove' ? 'Keep it' : 'Remove'}
            </button>
          ) : null}
        </div>
      </div>
    );
  }
  return (
    <Field
      label="Client secret"
      error={error}
      hint={
        <>
          {need === 'required'
            ? 'Needed by this provider. '
            : need === 'none'
              ? 'Not used by this provider. '
              : 'Optional: leave it empty for a public client with PKCE. '}
          Kept in the system keychain and never shown again.
          {kept ? (
            <>
              {' '}
              <button type="button" className="link-button" onClick={() => setMode('keep')}>
                Keep the saved one
              </button>
            </>
          ) : null}
        </>
      }
    >
      {input}
    </Field>
  );
}
