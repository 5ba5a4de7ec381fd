// What needs attention among environment variables, from SQLite alone (the reviewed workspaces'
// last syncs): a value naming a secret or connection that is gone, an environment most of a
// workspace's variables have and a few lack, and a plain string that looks like a credential.
import { PRODUCTION, type EnvironmentVariable, type VariableValue } from '../../shared/schemas/environment-variables';
import type { ReviewItem } from '../../shared/schemas/review';
import { reviewItem, type ReviewItemFields } from './review-item';
import { describeCredentialShape } from '../environment-variables/credential-shape';
import { VariableRepository } from '../environment-variables/variable-repository';
import type { Database } from '../db/database';

/** An environment is expected of every variable once this share of them has it... */
export const COMMON_ENVIRONMENT_SHARE = 0.5;
/** ...and at least this many do (two of three variables is no pattern yet). */
export const COMMON_ENVIRONMENT_MIN = 3;

/** "production", "production and staging", "production, staging and dev". */
function listed(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const nounOf = (value: VariableValue) => (value.kind === 'secret' ? 'secret' : 'auth connection');

export function variableReviewItems(db: Database, reviewed: ReadonlySet<string>): ReviewItem[] {
  const variables = new VariableRepository(db).all([...reviewed]);
  const items: ReviewItem[] = [];
  const push = (fields: ReviewItemFields) => items.push(reviewItem(fields));

  for (const variable of variables) {
    const about = { name: variable.label, workspaceIds: [variable.workspaceId] };
    // Values naming a secret or connection the last sync did not find.
    const broken = variable.values.filter((value) => value.reference !== null && value.reference.state !== 'present');
    if (broken.length > 0) {
      const parts = broken.map((value) => {
        const reference = value.reference!;
        const what = reference.name === null ? `a ${nounOf(value)} (${reference.id})` : `the ${nounOf(value)} ${reference.name}`;
        const state =
          reference.state === 'removed' ? 'which the last sync no longer found' : 'which is not in the synced inventory of this workspace';
        return `its ${value.environment} value names ${what}, ${state}`;
      });
      const removedAt = broken.map((value) => value.reference!.removedRemotelyAt).filter((at): at is number => at !== null);
      push({
        ...about,
        kind: 'variable_reference_removed',
        detail: `${capitalize(parts.join('; '))}. Agents run in ${listed(broken.map((value) => value.environment))} get nothing for it.`,
        since: removedAt.length > 0 ? Math.min(...removedAt) : null,
        ...(broken[0]!.kind === 'secret' ? { remoteSecretId: broken[0]!.reference!.id } : { remoteConnectionId: broken[0]!.reference!.id }),
      });
    }
    // A plain string that looks like a key: never quoted, only why.
    const credentialLike = variable.values.filter((value) => value.withheld !== null);
    if (credentialLike.length > 0) {
      const first = credentialLike[0]!.withheld!;
      const why =
        first.reason === 'key_prefix'
          ? describeCredentialShape({ kind: 'key_prefix', prefix: first.hint, length: first.length })
          : describeHighEntropy(first.hint, first.length);
      const which = listed(credentialLike.map((value) => value.environment));
      push({
        ...about,
        kind: 'variable_looks_like_credential',
        detail:
          `Its ${which} ${credentialLike.length === 1 ? 'value is a plain string' : 'values are plain strings'}, and ${why}: ` +
          'anyone who can read the workspace can read it. Make it a secret variable instead. Agent Keyring neither keeps nor shows it.',
      });
    }
  }
  pushMissingEnvironments(variables, push);
  return items;
}

/** Variables lacking an environment that most of their workspace's variables have. */
function pushMissingEnvironments(variables: EnvironmentVariable[], push: (fields: ReviewItemFields) => void): void {
  const byWorkspace = new Map<string, EnvironmentVariable[]>();
  for (const variable of variables) byWorkspace.set(variable.workspaceId, [...(byWorkspace.get(variable.workspaceId) ?? []), variable]);
  for (const [workspaceId, list] of byWorkspace) {
    const counts = new Map<string, number>();
    for (const variable of list)
      for (const value of variable.values) counts.set(value.environment, (counts.get(value.environment) ?? 0) + 1);
    for (const [environment, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (environment === PRODUCTION || count === list.length) continue;
      if (count < COMMON_ENVIRONMENT_MIN || count / list.length <= COMMON_ENVIRONMENT_SHARE) continue;
      for (const variable of list.filter((v) => !v.values.some((value) => value.environment === environment))) {
        push({
          kind: 'variable_environment_missing',
          name: variable.label,
          workspaceIds: [workspaceId],
          detail: `No ${environment} value, while ${count} of the workspace's ${list.length} variables have one: agents run in ${environment} get nothing for it.`,
        });
      }
    }
  }
}

function describeHighEntropy(hint: string, length: number): string {
  const [bits, run] = hint.split('/').map(Number);
  return describeCredentialShape({ kind: 'high_entropy', bitsPerChar: bits ?? 0, runLength: run ?? length, length });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
