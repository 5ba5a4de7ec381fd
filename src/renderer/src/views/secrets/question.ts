import { useMemo } from 'react';
import type { SecretQuestion } from '../../queries/client';
import type { SecretRef } from '../../queries/inventory';
import { useActiveWorkspaceId } from '../../queries/workspaces';
import { useBrowse } from '../../stores/browse';
import { useUi } from '../../stores/ui';

export interface CurrentQuestion {
  question: SecretQuestion;
  /** The question as a string: selections made under another question do not apply. */
  key: string;
}

/** What the secrets list shows: the scope (active workspace or all) and the filters. */
export function useSecretQuestion(): CurrentQuestion {
  const scope = useUi((s) => s.scope);
  const activeId = useActiveWorkspaceId();
  const filters = useBrowse((s) => s.filters);
  const workspaceId = scope === 'all' ? null : activeId;
  // A "used by" of another workspace cannot apply here.
  const usedBy = filters.usedBy && (workspaceId === null || filters.usedBy.workspaceId === workspaceId) ? filters.usedBy : null;
  return useMemo(() => {
    const question: SecretQuestion = { query: filters.query.trim(), workspaceId, usage: filters.usage, presence: filters.presence, usedBy };
    return { question, key: JSON.stringify(question) };
  }, [filters.query, filters.usage, filters.presence, usedBy, workspaceId]);
}

/** The keyboard cursor, if it was placed under this question. */
export function useSelectedIndex(questionKey: string): number | null {
  return useBrowse((s) => (s.selection?.question === questionKey ? s.selection.index : null));
}

/** The open secret, unless it belongs to a workspace the list no longer shows. */
export function useOpenSecret(): SecretRef | null {
  const scope = useUi((s) => s.scope);
  const activeId = useActiveWorkspaceId();
  const open = useBrowse((s) => s.openSecret);
  if (!open) return null;
  return scope === 'all' || open.workspaceId === activeId ? open : null;
}

/** The question narrows the list (a search or a filter), so an empty answer is not an empty inventory. */
export function isFiltered(question: SecretQuestion): boolean {
  return question.query !== '' || question.usage !== 'any' || question.presence !== 'present' || question.usedBy !== null;
}
