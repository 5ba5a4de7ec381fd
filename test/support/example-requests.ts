import type { ChannelName, RequestOf } from '../../src/shared/contract';

/**
 * One valid request per channel, for the generated bad-input tests. Typed against the contract,
 * so a new channel without an example does not compile.
 */
export const exampleRequests: { [C in ChannelName]: RequestOf<C> } = {
  'app:getInfo': {},
  'workspaces:list': {},
  'workspaces:add': {
    label: 'Production',
    residency: 'custom',
    baseUrl: 'http://127.0.0.1:9',
    apiKey: 'sk_example',
    saveUnverified: false,
    acceptWorkspaceMismatch: false,
  },
  'workspaces:addDemo': {},
  'workspaces:rename': { workspaceId: 'w', label: 'New name' },
  'workspaces:replaceKey': { workspaceId: 'w', apiKey: 'sk_example', saveUnverified: false, acceptWorkspaceMismatch: false },
  'workspaces:cancelKeyCheck': {},
  'workspaces:remove': { workspaceId: 'w' },
  'workspaces:setActive': { workspaceId: 'w' },
  'inventory:sync': { workspaceIds: ['w'] },
  'inventory:cancelSync': {},
  'inventory:searchSecrets': {
    query: 'stripe',
    workspaceId: 'w',
    usage: 'any',
    presence: 'present',
    usedBy: { workspaceId: 'w', kind: 'agent', dependantId: 'agent_1' },
    offset: 0,
    limit: 100,
  },
  'inventory:getSecret': { workspaceId: 'w', secretId: 's' },
  'inventory:listDependants': { workspaceId: null },
  'authConnections:list': { workspaceId: 'w', query: '' },
};
