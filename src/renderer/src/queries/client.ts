import { QueryClient } from '@tanstack/react-query';
import type { SearchSecretsRequest } from '../../../shared/schemas/inventory';

/** What a secrets list asks, without the page window (offset, limit). */
export type SecretQuestion = Omit<SearchSecretsRequest, 'offset' | 'limit'>;

/**
 * Every key of the cache. Server data sits under `workspaces`, `inventory` and `authConnections`,
 * so one invalidation reaches a whole family; `sync` is live state pushed by main's events.
 */
export const queryKeys = {
  appInfo: ['app', 'info'] as const,
  workspaces: ['workspaces'] as const,
  /** Linked accounts: people, accounts, providers, and what is read per person or bound secret. */
  accounts: ['accounts'] as const,
  accountList: ['accounts', 'list'] as const,
  dynamicVariables: (personId: string) => ['accounts', 'variables', personId] as const,
  boundSecrets: ['accounts', 'bound'] as const,
  boundSecret: (localSecretId: string) => ['accounts', 'bound', localSecretId] as const,
  /** Sign-ins in progress, as main's `accounts:flow` events describe them (never fetched). */
  linkFlows: ['oauth', 'flows'] as const,
  inventory: ['inventory'] as const,
  secretPage: (question: SecretQuestion, page: number) => ['inventory', 'secrets', question, page] as const,
  secret: (workspaceId: string, secretId: string) => ['inventory', 'secret', workspaceId, secretId] as const,
  dependants: (workspaceId: string | null) => ['inventory', 'dependants', workspaceId] as const,
  authConnections: ['authConnections'] as const,
  authConnectionList: (workspaceId: string | null, query: string) => ['authConnections', workspaceId, query] as const,
  syncActivity: ['sync', 'activity'] as const,
  /** Auth connections kept on this computer (definitions; never a sensitive part). */
  keptConnections: ['keptConnections'] as const,
  keptConnectionList: (query: string) => ['keptConnections', 'list', query] as const,
  /** Local secrets and what is computed from them (targets' states follow the inventory too). */
  localSecrets: ['localSecrets'] as const,
  localSecretList: (query: string, tag: string | null) => ['localSecrets', 'list', query, tag] as const,
  localSecret: (id: string) => ['localSecrets', 'one', id] as const,
  /** The last plan applied (or interrupted), for "finish the last push". */
  latestPlan: ['localSecrets', 'latestPlan'] as const,
  /** Live state of an apply, pushed by main's `push:progress` events. */
  pushProgress: ['push', 'progress'] as const,
  review: (rotationDays: number) => ['review', rotationDays] as const,
  reviewAll: ['review'] as const,
  activity: ['activity'] as const,
  activityPage: (filter: object, offset: number) => ['activity', filter, offset] as const,
  settings: ['settings'] as const,
};

/**
 * The one cache of the renderer's server state. Everything comes from main over IPC (SQLite,
 * not the network), so: no retries, no pausing when the browser thinks it is offline, and no
 * refetching on focus. Data stays fresh until main's events say it changed (see events.ts).
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: Infinity,
      retry: false,
      networkMode: 'always',
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
    mutations: { networkMode: 'always', retry: false },
  },
});
