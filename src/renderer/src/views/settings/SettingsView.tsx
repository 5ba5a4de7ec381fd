import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { AppSettingsSchema, type AppSettingsValues, type Theme } from '../../../../shared/schemas/settings';
import { EmptyState } from '../../components/EmptyState';
import { Field } from '../../components/Field';
import { call, toIpcError } from '../../keyring';
import { applyTheme } from '../../lib/theme';
import { queryClient, queryKeys } from '../../queries/client';
import { settingsQuery } from '../../queries/local-secrets';
import { appInfoQuery } from '../../queries/workspaces';
import { useUi } from '../../stores/ui';
import { BackupSection } from '../backup/BackupSection';
import { CommandLineSection } from '../cli/CommandLineSection';

/** The app's own preferences: how long a copied or revealed value stays, when a value counts as old. */
export function SettingsView() {
  const settings = useQuery(settingsQuery);
  const appInfo = useQuery(appInfoQuery).data;

  let body: React.ReactNode;
  if (settings.isError && !settings.data) {
    body = (
      <EmptyState title="The settings could not be read" icon="!" tone="error">
        <p>{toIpcError(settings.error).message}</p>
        <button type="button" className="button" onClick={() => void settings.refetch()}>
          Try again
        </button>
      </EmptyState>
    );
  } else if (!settings.data) {
    body = (
      <div className="card card-skeleton" aria-busy="true">
        <span className="visually-hidden">Loading the settings…</span>
        <span className="skeleton skeleton-title" aria-hidden="true" />
      </div>
    );
  } else {
    body = (
      <>
        <ThemeChoice theme={settings.data.theme} />
        <SettingsForm settings={settings.data} />
        <BackupSection />
        <CommandLineSection />
      </>
    );
  }

  return (
    <div className="settings-view">
      {body}
      {appInfo ? (
        <section className="card about" aria-labelledby="settings-about-title">
          <h2 id="settings-about-title" className="card-title">
            This computer
          </h2>
          <dl className="facts">
            <dt>Values kept in</dt>
            <dd>{appInfo.keychain}</dd>
            <dt>Version</dt>
            <dd>
              {appInfo.version}
              {appInfo.transport === 'preview' ? ' (browser preview)' : ''}
            </dd>
          </dl>
        </section>
      ) : null}
    </div>
  );
}

const themeChoices: { theme: Theme; label: string }[] = [
  { theme: 'system', label: 'Same as the system' },
  { theme: 'light', label: 'Light' },
  { theme: 'dark', label: 'Dark' },
];

/** Applied the moment it is picked, and kept in the settings for the next start. */
function ThemeChoice({ theme }: { theme: Theme }) {
  const notify = useUi((s) => s.notify);
  // The choice shows at once, while main saves it.
  const [picked, setPicked] = useState<Theme | null>(null);
  const save = useMutation({
    mutationFn: (next: Theme) => call((api) => api.settings.update({ theme: next })),
    onMutate: (next) => applyTheme(next),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQuery.queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
    },
    onError: (error) => {
      setPicked(null);
      applyTheme(theme);
      notify('error', `The theme could not be saved: ${toIpcError(error).message}`);
    },
  });
  const shown = picked ?? theme;
  return (
    <section className="card settings-card" aria-labelledby="settings-appearance-title">
      <h2 id="settings-appearance-title" className="card-title">
        Appearance
      </h2>
      <fieldset className="checkbox-group">
        <legend>Theme</legend>
        {themeChoices.map((choice) => (
          <label key={choice.theme} className="checkbox-line">
            <input
              type="radio"
              name="theme"
              value={choice.theme}
              checked={shown === choice.theme}
              onChange={() => {
                setPicked(choice.theme);
                save.mutate(choice.theme);
              }}
            />
            {choice.label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

/** The numbers this form edits (the theme and Review's workspaces are saved where they are chosen). */
const NumbersSchema = AppSettingsSchema.pick({ clipboardClearSeconds: true, revealSeconds: true, rotationDays: true });
type Numbers = z.output<typeof NumbersSchema>;
type SettingsForm = z.input<typeof NumbersSchema>;

const labels = {
  clipboardClearSeconds: 'Clear the clipboard after (seconds)',
  revealSeconds: 'Hide a revealed value after (seconds)',
  rotationDays: 'A value counts as not rotated after (days)',
} as const;

/** The schema's own bounds, said plainly (“Must be at least 5.”): the contract's messages are terse. */
const settingsErrors = {
  error: (issue: { code: string; minimum?: unknown; maximum?: unknown }) => {
    if (issue.code === 'too_small') return `Must be at least ${String(issue.minimum)}.`;
    if (issue.code === 'too_big') return `Must be at most ${String(issue.maximum)}.`;
    return 'Must be a whole number.';
  },
};

function SettingsForm({ settings }: { settings: AppSettingsValues }) {
  const notify = useUi((s) => s.notify);
  const numbers: Numbers = {
    clipboardClearSeconds: settings.clipboardClearSeconds,
    revealSeconds: settings.revealSeconds,
    rotationDays: settings.rotationDays,
  };
  const { register, handleSubmit, formState, reset } = useForm<SettingsForm, unknown, Numbers>({
    resolver: zodResolver(NumbersSchema, settingsErrors),
    values: numbers,
    reValidateMode: 'onSubmit',
  });
  const save = useMutation({
    mutationFn: (next: Numbers) => call((api) => api.settings.update(next)),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsQuery.queryKey, saved);
      // Settings changes are in the activity log; the review reads the rotation days.
      void queryClient.invalidateQueries({ queryKey: queryKeys.activity });
      reset({ clipboardClearSeconds: saved.clipboardClearSeconds, revealSeconds: saved.revealSeconds, rotationDays: saved.rotationDays });
      notify('success', 'Settings saved.');
    },
  });
  const errors = formState.errors;
  const number = (name: keyof typeof labels) => ({
    ...register(name, { valueAsNumber: true, onChange: () => save.reset() }),
    type: 'number' as const,
    className: 'input settings-number',
    inputMode: 'numeric' as const,
  });

  return (
    <section className="card settings-card" aria-labelledby="settings-title">
      <h2 id="settings-title" className="card-title">
        Values
      </h2>
      <form className="dialog-form settings-form" noValidate onSubmit={(event) => void handleSubmit((next) => save.mutate(next))(event)}>
        <fieldset className="plain-fieldset" disabled={save.isPending}>
          <Field
            label={labels.clipboardClearSeconds}
            error={errors.clipboardClearSeconds?.message}
            hint="5 to 600. A copied value is cleared then, unless something else was copied since."
          >
            {(field) => <input {...field} {...number('clipboardClearSeconds')} min={5} max={600} />}
          </Field>
          <Field label={labels.revealSeconds} error={errors.revealSeconds?.message} hint="5 to 600.">
            {(field) => <input {...field} {...number('revealSeconds')} min={5} max={600} />}
          </Field>
          <Field
            label={labels.rotationDays}
            error={errors.rotationDays?.message}
            hint="1 to 3650. Review lists local values older than this."
          >
            {(field) => <input {...field} {...number('rotationDays')} min={1} max={3650} />}
          </Field>
        </fieldset>
        {save.isError ? (
          <div className="callout callout-error" role="alert">
            {toIpcError(save.error).message}
          </div>
        ) : null}
        <div className="dialog-actions settings-actions">
          <button type="button" className="button" disabled={!formState.isDirty || save.isPending} onClick={() => reset(numbers)}>
            Undo changes
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : 'Save settings'}
          </button>
        </div>
      </form>
    </section>
  );
}
