/**
 * Channel and event names, free of zod so the sandboxed preload can be built from them alone.
 * `contract.ts` gives each one its schemas; the compiler checks the two lists match exactly.
 */
export const channelNames = [
  'app:getInfo',
  'workspaces:list',
  'workspaces:add',
  'workspaces:addDemo',
  'workspaces:rename',
  'workspaces:replaceKey',
  'workspaces:cancelKeyCheck',
  'workspaces:remove',
  'workspaces:setActive',
  'inventory:sync',
  'inventory:cancelSync',
  'inventory:searchSecrets',
  'inventory:getSecret',
  'inventory:listDependants',
  'authConnections:list',
  'keptConnections:list',
  'keptConnections:get',
  'keptConnections:create',
  'keptConnections:update',
  'keptConnections:delete',
  'keptConnections:setTargets',
  'keptConnections:adopt',
  'keptConnections:copyTarget',
  'keptConnections:check',
  'localSecrets:list',
  'localSecrets:get',
  'localSecrets:create',
  'localSecrets:update',
  'localSecrets:rotate',
  'localSecrets:restorePrevious',
  'localSecrets:delete',
  'localSecrets:setTargets',
  'localSecrets:adopt',
  'localSecrets:reveal',
  'localSecrets:copy',
  'localSecrets:importPreview',
  'localSecrets:importApply',
  'push:plan',
  'push:apply',
  'push:latest',
  'review:list',
  'activity:list',
  'activity:export',
  'inventory:export',
  'accounts:list',
  'accounts:saveProvider',
  'accounts:removeProvider',
  'accounts:startLink',
  'accounts:cancelLink',
  'accounts:refresh',
  'accounts:bind',
  'accounts:unlink',
  'accounts:dynamicVariables',
  'accounts:copyDynamicVariables',
  'settings:get',
  'settings:update',
] as const;

export const eventNames = [
  'sync:progress',
  'workspaces:changed',
  'localSecrets:changed',
  'keptConnections:changed',
  'push:progress',
  'accounts:changed',
  'accounts:flow',
  'app:menuCommand',
] as const;

export type ChannelName = (typeof channelNames)[number];
export type EventName = (typeof eventNames)[number];

/** The IPC channel main uses to push events; one channel, the event name inside. */
export const EVENT_CHANNEL = 'keyring:event';
