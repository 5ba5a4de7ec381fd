import { keepPreviousData, queryOptions, useQueries, useQuery } from '@tanstack/react-query';
import type { SecretRow } from '../../../shared/schemas/inventory';
import { call } from '../keyring';
import { queryKeys, type SecretQuestion } from './client';

/** Rows read per request: a screenful many times over, and cheap for SQLite at 100,000 secrets. */
export const PAGE_SIZE = 200;

export interface SecretRef {
  workspaceId: string;
  secretId: string;
}

export function secretPageQuery(question: SecretQuestion, page: number) {
  return queryOptions({
    queryKey: queryKeys.secretPage(question, page),
    queryFn: () => call((api) => api.inventory.searchSecrets({ ...question, offset: page * PAGE_SIZE, limit: PAGE_SIZE })),
    // Pages scrolled past are dropped soon: scrolling through 100,000 rows must not keep them all.
    gcTime: 60_000,
  });
}

export interface SecretResults {
  /** Matches for the question on screen; null until the first page answers. */
  total: number | null;
  rowAt(index: number): SecretRow | undefined;
  /** The rows shown still answer the previous question (the new one is being read). */
  stale: boolean;
  error: Error | null;
  refetch(): void;
}

/** The first page of a search: its total, and the previous answer kept while a new one is read. */
export function useSecretHead(question: SecretQuestion) {
  return useQuery({ ...secretPageQuery(question, 0), placeholderData: keepPreviousData });
}

/**
 * The pages of a secrets search that the visible rows need. The first page carries the total
 * and keeps the previous answer on screen while a new question is read, so typing or a sync
 * never blanks the list.
 */
export function useSecretResults(question: SecretQuestion, visiblePages: number[]): SecretResults {
  const head = useSecretHead(question);
  const headTotal = head.isPlaceholderData ? null : (head.data?.total ?? null);
  const others = visiblePages.filter((page) => page > 0);
  const pages = useQueries({
    queries: others.map((page) => ({
      ...secretPageQuery(question, page),
      // Only pages that exist for this question.
      enabled: headTotal !== null && page * PAGE_SIZE < headTotal,
    })),
  });
  const byPage = new Map<number, SecretRow[]>();
  if (head.data) byPage.set(0, head.data.items);
  others.forEach((page, i) => {
    const items = pages[i]?.data?.items;
    if (items) byPage.set(page, items);
  });
  const failed = head.error ?? pages.find((p) => p.error)?.error ?? null;
  return {
    total: head.data?.total ?? null,
    rowAt: (index) => byPage.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    stale: head.isPlaceholderData,
    error: failed,
    refetch: () => {
      void head.refetch();
      for (const page of pages) if (page.error) void page.refetch();
    },
  };
}

export function secretDetailQuery(ref: SecretRef) {
  return queryOptions({
    queryKey: queryKeys.secret(ref.workspaceId, ref.secretId),
    queryFn: () => call((api) => api.inventory.getSecret(ref)),
  });
}

/** The agents, tools, phone numbers and MCP servers the "Used by" filter offers. */
export function dependantsQuery(workspaceId: string | null) {
  return queryOptions({
    queryKey: queryKeys.dependants(workspaceId),
    queryFn: () => call((api) => api.inventory.listDependants({ workspaceId })),
  });
}
