import type { Handlers } from './dispatcher';
import type { WorkspaceService } from '../workspaces/workspace-service';
import type { SyncService } from '../inventory/sync-service';
import type { InventoryQueries } from '../inventory/inventory-queries';
import type { AuthConnectionStore } from '../auth-connections/auth-connection-store';
import type { KeptConnectionService } from '../auth-connections/kept-connection-service';
import type { ActivityLog } from '../activity/activity-log';
import type { ExportReply } from '../../shared/schemas/activity';
import type { EnvImport } from '../local-secrets/env-import';
import type { LocalSecretService } from '../local-secrets/local-secret-service';
import type { PushService } from '../push/push-service';
import type { ReviewService } from '../review/review-service';
import type { AppSettings } from '../settings/app-settings';
import type { AccountService } from '../oauth/account-service';
import type { BackupDesk } from '../backup';
import type { VariableQueries } from '../environment-variables/variable-queries';
import type { BrokerService } from '../broker/broker-service';

export interface HandlerServices {
  appInfo: () => { version: string; platform: string; transport: 'electron' | 'preview'; keychain: string };
  workspaces: WorkspaceService;
  sync: SyncService;
  inventory: InventoryQueries;
  authConnections: AuthConnectionStore;
  keptConnections: KeptConnectionService;
  localSecrets: LocalSecretService;
  envImport: EnvImport;
  push: PushService;
  review: ReviewService;
  activity: ActivityLog;
  settings: AppSettings;
  accounts: AccountService;
  exportActivity: (format: 'csv' | 'json', filter: Parameters<ActivityLog['all']>[0]) => Promise<ExportReply>;
  exportInventory: (format: 'csv' | 'json', workspaceId: string | null) => Promise<ExportReply>;
  backup: BackupDesk;
  variables: VariableQueries;
  broker: BrokerService;
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
    'keptConnections:list': (request) => s.keptConnections.list(request),
    'keptConnections:get': (request) => s.keptConnections.get(request.id),
    'keptConnections:create': (request) => s.keptConnections.create(request),
    'keptConnections:update': (request) => s.keptConnections.update(request),
    'keptConnections:delete': (request) => s.keptConnections.delete(request.id),
    'keptConnections:setTargets': (request) => s.keptConnections.setTargets(request),
    'keptConnections:adopt': (request) => s.keptConnections.adopt(request),
    'keptConnections:copyTarget': (request) => s.keptConnections.copyTarget(request),
    'keptConnections:check': (request) => s.keptConnections.check(request),
    'localSecrets:list': (request) => s.localSecrets.list(request),
    'localSecrets:get': (request) => s.localSecrets.get(request.id),
    'localSecrets:create': (request) => s.localSecrets.create(request),
    'localSecrets:update': (request) => s.localSecrets.update(request),
    'localSecrets:rotate': (request) => s.localSecrets.rotate(request),
    'localSecrets:restorePrevious': (request) => s.localSecrets.restorePrevious(request.id),
    'localSecrets:delete': (request) => s.localSecrets.delete(request.id),
    'localSecrets:setTargets': (request) => s.localSecrets.setTargets(request),
    'localSecrets:adopt': (request) => s.localSecrets.adopt(request),
    'localSecrets:reveal': (request) => s.localSecrets.reveal(request),
    'localSecrets:copy': (request) => s.localSecrets.copy(request),
    'localSecrets:importPreview': (request) => s.envImport.preview(request),
    'localSecrets:importApply': (request) => s.envImport.apply(request),
    'push:plan': (request) => s.push.plan(request),
    'push:apply': (request) => s.push.apply(request.planId, { leaveOut: request.leaveOut, confirmed: request.confirmed }),
    'push:latest': () => ({ plan: s.push.latest() }),
    'review:list': (request) => ({ items: s.review.list(request.rotationDays, s.settings.get().reviewWorkspaces) }),
    'activity:list': (request) => s.activity.list(request, request),
    'activity:export': (request) => s.exportActivity(request.format, request.filter),
    'inventory:export': (request) => s.exportInventory(request.format, request.workspaceId),
    'accounts:list': () => s.accounts.list(),
    'accounts:saveProvider': (request) => s.accounts.saveProvider(request),
    'accounts:removeProvider': (request) => s.accounts.removeProvider(request.providerId),
    'accounts:startLink': (request) => s.accounts.startLink(request),
    'accounts:cancelLink': () => s.accounts.cancelLink(),
    'accounts:refresh': async (request) => {
      await s.accounts.refresh(request.accountId);
      return s.accounts.list().accounts.find((account) => account.id === request.accountId)!;
    },
    'accounts:bind': (request) => s.accounts.bind(request),
    'accounts:unlink': (request) => s.accounts.unlink(request.accountId),
    'accounts:dynamicVariables': (request) => s.accounts.dynamicVariables(request.personId),
    'accounts:copyDynamicVariables': (request) => s.accounts.copyDynamicVariables(request),
    'settings:get': () => s.settings.get(),
    'settings:update': (request) => s.settings.update(request),
    'backup:generatePassphrase': () => s.backup.generatePassphrase(),
    'backup:generateRecoveryKey': () => s.backup.generateRecoveryKey(),
    'backup:recoverySheet': (request) => s.backup.recoverySheet(request),
    'backup:copySecret': (request) => s.backup.copySecret(request),
    'backup:create': (request) => s.backup.create(request),
    'backup:chooseFile': () => s.backup.chooseFile(),
    'backup:verify': (request) => s.backup.verify(request),
    'backup:readAndPlan': (request) => s.backup.readAndPlan(request),
    'backup:applyRestore': (request) => s.backup.applyRestore(request),
    'backup:lastVerified': () => s.backup.lastVerified(),
    'variables:list': (request) => s.variables.list(request),
    'variables:search': (request) => s.variables.search(request.query),
    'variables:referring': (request) => s.variables.referring(request),
    'broker:state': () => s.broker.state(),
    'broker:answer': (request) => s.broker.answer(request.id, request.approve),
    'broker:revokeGrant': (request) => s.broker.revokeGrant(request.grantId),
    'broker:unpair': (request) => s.broker.unpair(request.clientId),
  };
}
