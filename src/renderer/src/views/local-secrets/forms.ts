import { z } from 'zod';
import { IdSchema } from '../../../../shared/schemas/common';
import { NoteSchema, SecretNameSchema, SecretValueSchema, TagsSchema } from '../../../../shared/schemas/local-secrets';
import type { LocalSecret } from '../../../../shared/schemas/local-secrets';
import type { WorkspaceSummary } from '../../../../shared/schemas/workspaces';

// The forms of the local secret dialogs, built from the contract's own schemas (the ones main
// checks), with the shapes a form needs: tags typed as "a, b", targets as one row per workspace.

/** "billing, prod" → ["billing", "prod"], each checked as a tag, duplicates dropped. */
export const TagsTextSchema = z
  .string()
  .transform((text) => [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ])
  .pipe(TagsSchema);

/** Empty: the local secret's own name; otherwise a name the API accepts. */
const RemoteNameTextSchema = z
  .string()
  .trim()
  .superRefine((name, context) => {
    if (name === '') return;
    const checked = SecretNameSchema.safeParse(name);
    if (!checked.success) context.addIssue({ code: 'custom', message: checked.error.issues[0]?.message ?? 'is not a valid name' });
  });

/** One row per workspace: ticked or not, and the name it has there. */
export const TargetRowsSchema = z
  .array(z.object({ workspaceId: IdSchema, selected: z.boolean(), remoteName: RemoteNameTextSchema }))
  .transform((rows) =>
    rows.filter((row) => row.selected).map((row) => ({ workspaceId: row.workspaceId, remoteName: row.remoteName || null })),
  );

export type TargetRow = z.input<typeof TargetRowsSchema>[number];

/** The rows for every workspace, ticked where the secret targets it already. */
export function targetRows(workspaces: WorkspaceSummary[], secret?: LocalSecret): TargetRow[] {
  return workspaces.map((workspace) => {
    const target = secret?.targets.find((t) => t.workspaceId === workspace.id);
    return { workspaceId: workspace.id, selected: Boolean(target), remoteName: target && !target.followsName ? target.remoteName : '' };
  });
}

export const CreateFormSchema = z.object({
  name: SecretNameSchema,
  value: SecretValueSchema,
  note: NoteSchema,
  tags: TagsTextSchema,
  targets: TargetRowsSchema,
});

export const EditFormSchema = z.object({ name: SecretNameSchema, note: NoteSchema, tags: TagsTextSchema });

export const ValueFormSchema = z.object({ value: SecretValueSchema });

export const TargetsFormSchema = z.object({ targets: TargetRowsSchema });
