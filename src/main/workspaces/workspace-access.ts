import type { Residency } from '../../shared/schemas/workspaces';
import type { DemoBackend } from '../demo/demo-backend';
import { isAppError } from '../errors';
import { residencyBaseUrls } from '../elevenlabs/endpoints';
import type { ElevenLabsGateway, WorkspaceApi } from '../elevenlabs/types';
import type { CredentialStore } from '../vault/credential-store';
import type { WorkspaceRecord, WorkspaceRepository } from './workspace-repository';

const unreachableCodes = new Set(['unreachable', 'timeout']);
/** How often an unchanged "still reachable" is written down (a sync makes hundreds of calls). */
const CONTACT_WRITE_INTERVAL_MS = 30_000;

/**
 * How the app reaches a workspace's API: the key from the keychain (on demand), the base URL
 * from its residency, and a record of whether the last call got through (for the offline banner).
 */
export class WorkspaceAccess {
  /** Last reachability written per workspace, so each API call does not write to SQLite. */
  readonly #lastWritten = new Map<string, { reachable: boolean; at: number }>();

  constructor(
    private readonly gateway: ElevenLabsGateway,
    private readonly credentials: CredentialStore,
    private readonly demo: DemoBackend,
    private readonly repository: WorkspaceRepository,
    private readonly now: () => number,
  ) {}

  async apiForKey(residency: Residency, baseUrl: string | null, apiKey: string): Promise<WorkspaceApi> {
    return this.gateway.forWorkspace({ baseUrl: await this.#baseUrl(residency, baseUrl, apiKey), apiKey });
  }

  /** Reads the workspace's key from the keychain; every call records reachability. */
  async apiFor(workspace: WorkspaceRecord): Promise<WorkspaceApi> {
    const apiKey = await this.credentials.read(workspace.apiKeyRef);
    const api = await this.apiForKey(workspace.residency, workspace.baseUrl, apiKey);
    return this.#recordingContact(workspace.id, api);
  }

  #baseUrl(residency: Residency, baseUrl: string | null, apiKey: string): Promise<string> | string {
    if (residency === 'demo') return this.demo.baseUrlFor(apiKey);
    if (residency === 'custom') {
      if (!baseUrl) throw new Error('custom residency without a base URL');
      return baseUrl.replace(/\/+$/, '');
    }
    return residencyBaseUrls[residency];
  }

  #recordContact(workspaceId: string, reachable: boolean): void {
    const at = this.now();
    const last = this.#lastWritten.get(workspaceId);
    if (last && last.reachable === reachable && at - last.at < CONTACT_WRITE_INTERVAL_MS) return;
    this.repository.recordContact(workspaceId, reachable, at);
    this.#lastWritten.set(workspaceId, { reachable, at });
  }

  #recordingContact(workspaceId: string, api: WorkspaceApi): WorkspaceApi {
    const track = async <T>(call: Promise<T>): Promise<T> => {
      try {
        const result = await call;
        this.#recordContact(workspaceId, true);
        return result;
      } catch (error) {
        if (isAppError(error) && error.code !== 'cancelled') this.#recordContact(workspaceId, !unreachableCodes.has(error.code));
        throw error;
      }
    };
    return {
      listSecrets: (request, signal) => track(api.listSecrets(request, signal)),
      streamSecrets: (request, onPage, signal) => track(api.streamSecrets(request, onPage, signal)),
      listDependencies: (secretId, type, cursor, signal) => track(api.listDependencies(secretId, type, cursor, signal)),
      listAuthConnections: (signal) => track(api.listAuthConnections(signal)),
      getUser: (signal) => track(api.getUser(signal)),
    };
  }
}
