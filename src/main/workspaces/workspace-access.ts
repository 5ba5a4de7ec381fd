import type { Residency } from '../../shared/schemas/workspaces';
import type { DemoBackend } from '../demo/demo-backend';
import { AppError, isAppError } from '../errors';
import { residencyBaseUrls } from '../elevenlabs/endpoints';
import { workspaceApiFrom, type ElevenLabsGateway, type WorkspaceApi } from '../elevenlabs/gateway';
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

  /** An API call will follow soon: the gateway gets ready now (see ElevenLabsGateway.warmUp). */
  warmUp(): void {
    this.gateway.warmUp();
  }

  /** The API as a key the user typed would see it, to check that key. Never the demo's. */
  apiForKey(residency: Residency, baseUrl: string | null, apiKey: string): WorkspaceApi {
    // Only the demo workspace's own key reaches the demo emulator (apiForDemoKey).
    if (residency === 'demo')
      throw new AppError('conflict', 'The demo workspace has a key of its own, made by Agent Keyring; it cannot be replaced.');
    return this.gateway.forWorkspace({ baseUrl: this.#baseUrl(residency, baseUrl), apiKey });
  }

  /** The demo emulator, admitting the demo workspace's own generated key. */
  async apiForDemoKey(apiKey: string): Promise<WorkspaceApi> {
    return this.gateway.forWorkspace({ baseUrl: await this.demo.baseUrlFor(apiKey), apiKey });
  }

  /** Reads the workspace's key from the keychain; every call records reachability. */
  async apiFor(workspace: WorkspaceRecord): Promise<WorkspaceApi> {
    const apiKey = await this.credentials.read(workspace.apiKeyRef);
    const api =
      workspace.residency === 'demo' ? await this.apiForDemoKey(apiKey) : this.apiForKey(workspace.residency, workspace.baseUrl, apiKey);
    return this.#recordingContact(workspace.id, api);
  }

  #baseUrl(residency: Exclude<Residency, 'demo'>, baseUrl: string | null): string {
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
    return workspaceApiFrom(async (operation, request, options) => {
      try {
        const result = await (api[operation] as (request: unknown, options: unknown) => Promise<unknown>)(request, options);
        this.#recordContact(workspaceId, true);
        return result;
      } catch (error) {
        if (isAppError(error) && error.code !== 'cancelled') this.#recordContact(workspaceId, !unreachableCodes.has(error.code));
        throw error;
      }
    });
  }
}
