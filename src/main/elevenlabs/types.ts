import type { Dependant } from '../../shared/schemas/inventory';

/** A secret as the API lists it, mapped out of the SDK's types. It never has a value. */
export interface RemoteSecret {
  secretId: string;
  name: string;
  dependants: Dependant[];
  /** Lists the API cut short (`*_has_more`). */
  truncated: { tools: boolean; agents: boolean; phoneNumbers: boolean };
}

export type DependencyResourceType = 'tools' | 'agents' | 'phone_numbers';

export interface RemoteAuthConnection {
  connectionId: string;
  name: string;
  authType: string;
  provider: string | null;
  status: string | null;
  statusDetail: string | null;
  details: Record<string, string | number | boolean | string[]>;
  usedBy: {
    tools: { id: string; name: string | null }[];
    mcpServers: { id: string; name: string | null }[];
    integrationConnections: { id: string; name: string | null }[];
  };
}

export interface RemoteUser {
  workspaceId: string;
  firstName: string | null;
  planTier: string | null;
  seatType: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** One workspace's API, as the rest of the app needs it. */
export interface WorkspaceApi {
  listSecrets(request: { pageSize: number; cursor?: string }, signal?: AbortSignal): Promise<Page<RemoteSecret>>;
  /**
   * Every page of secrets, in order, handed to `onPage` as it arrives; the next page is
   * requested as soon as the previous one is in.
   */
  streamSecrets(request: { pageSize: number }, onPage: (items: RemoteSecret[]) => void, signal?: AbortSignal): Promise<void>;
  listDependencies(
    secretId: string,
    resourceType: DependencyResourceType,
    cursor: string | undefined,
    signal?: AbortSignal,
  ): Promise<Page<Dependant>>;
  listAuthConnections(signal?: AbortSignal): Promise<RemoteAuthConnection[]>;
  getUser(signal?: AbortSignal): Promise<RemoteUser>;
}

export interface ApiTarget {
  baseUrl: string;
  apiKey: string;
}

/** Builds a WorkspaceApi per workspace: its key, its base URL. */
export interface ElevenLabsGateway {
  forWorkspace(target: ApiTarget): WorkspaceApi;
}
