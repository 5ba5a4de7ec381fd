import type { Handlers } from './dispatcher';
import type { WorkspaceService } from '../workspaces/workspace-service';
import type { SyncService } from '../inventory/sync-service';
import type { InventoryQueries } from '../inventory/inventory-queries';
import type { AuthConnectionStore } from '../auth-connections/auth-connection-store';

export interface HandlerServices {
  appInfo: () => { version: string; platform: string; transport: 'electron' | 'preview'; keychain: string };
  workspaces: WorkspaceService;
  sync: SyncService;
  inventory: InventoryQueries;
  authConnections: AuthConnectionStore;
}

/** Maps each channel of the contract to the service that answers it. No logic lives here. */
export function createHandlers(s: HandlerServices): Handlers {
  return {
    'app:getInfo': () => s.appInfo(),
    'workspaces:list': () => s.workspaces.list(),
    'workspaces:add': (request) => s.workspaces.add(request),
    'workspaces:addDemo': () => s.workspaces.addDemo(),
    'workspaces:rename': (request) => s.workspaces.rename(request),
    'workspaces:replaceKey': (request) => s.workspaces.replaceKey(request),
    'workspaces:cancelKeyCheck': () => ({ cancelled: s.workspaces.cancelKeyChecks() }),
    'workspaces:remove': (request) => s.workspaces.remove(request),
    'workspaces:setActive': (request) => s.workspaces.setActive(request),
    'inventory:sync': async (request) => ({ results: await s.sync.sync(request.workspaceIds) }),
    'inventory:cancelSync': () => ({ cancelled: s.sync.cancelAll() }),
    'inventory:searchSecrets': (request) => s.inventory.searchSecrets(request),
    'inventory:getSecret': (request) => s.inventory.getSecret(request.workspaceId, request.secretId),
    'inventory:listDependants': (request) => ({ dependants: s.inventory.listDependants(request.workspaceId) }),
    'authConnections:list': (request) => s.authConnections.list(request.workspaceId, request.query),
  };
}
