// One workspace's in-memory data and the operations the API routes perform on it.
// Dependants (agents, tools, phone numbers, MCP servers, the conversation-initiation webhook)
// reference secrets; `used_by` is derived from them through an index built once, because
// they never change after seeding and list pages must not rebuild it.
import {
  type AuthConnectionChanges,
  type AuthConnectionStatus,
  type NewAuthConnection,
  type StoredAuthConnection,
  applyAuthConnectionChanges,
  authConnectionView,
  authTypeMismatch,
} from './auth-connections';
import {
  decodeDependencyCursor,
  decodeSecretListCursor,
  decodeVariableListCursor,
  encodeDependencyCursor,
  encodeSecretListCursor,
  encodeVariableListCursor,
} from './cursor';
import {
  type NewVariable,
  type StoredVariable,
  type VariableChanges,
  type VariableType,
  type StoredValue,
  valueType,
  variableView,
} from './environment-variables';
import { apiError, notFound } from './errors';
import { randomId } from './ids';
import type { WorkspaceProfile } from './user';

export type AccessLevel = 'admin' | 'editor' | 'commenter' | 'viewer';

export interface ResourceRecord {
  id: string;
  name: string;
  createdAtUnixSecs: number;
  /** null: the key's user cannot see it, so it is listed as `{type:"unknown", id}`. */
  accessLevel: AccessLevel | null;
}

export interface ToolRecord extends ResourceRecord {
  secretIds: string[];
  authConnectionId?: string;
}

export interface McpServerRecord extends ResourceRecord {
  secretIds: string[];
  authConnectionId?: string;
}

/** An agent depends on a secret directly, or indirectly through its tools and MCP servers. */
export interface AgentRecord extends ResourceRecord {
  secretIds: string[];
  toolIds: string[];
  mcpServerIds: string[];
}

export interface PhoneNumberRecord {
  id: string;
  phoneNumber: string;
  label: string;
  provider: 'twilio' | 'sip_trunk' | 'exotel';
  secretIds: string[];
}

/** The value itself is never kept: only its length, which is all a test could want to know. */
export interface SecretRecord {
  id: string;
  name: string;
  valueLength: number;
}

export interface WorkspaceSeedData {
  profile: WorkspaceProfile;
  secrets: SecretRecord[];
  tools: ToolRecord[];
  agents: AgentRecord[];
  phoneNumbers: PhoneNumberRecord[];
  mcpServers: McpServerRecord[];
  /** Secrets the workspace's conversation-initiation webhook uses. */
  webhookSecretIds: string[];
  authConnections: StoredAuthConnection[];
  environmentVariables: StoredVariable[];
}

export interface WorkspaceStateOptions {
  caseSensitiveSearch: boolean;
  inUseDeleteStatus: number;
}

export const DEPENDENCY_RESOURCE_TYPES = ['tools', 'agents', 'phone_numbers'] as const;
export type DependencyResourceType = (typeof DEPENDENCY_RESOURCE_TYPES)[number];

export interface VariableListQuery {
  pageSize: number;
  cursor?: string;
  label?: string;
  environment?: string;
  type?: VariableType;
}

export interface SecretListQuery {
  pageSize?: number;
  cursor?: string;
  search: string;
  dependencyLimit?: number;
}

type JsonObject = Record<string, unknown>;

interface AgentUsage {
  agentId: string;
  /** Tools or MCP servers through which the agent uses the secret (`referenced_resource_ids`). */
  via: string[];
}

interface SecretUsage {
  toolIds: string[];
  agents: AgentUsage[];
  phoneNumberIds: string[];
  mcpServerIds: string[];
  webhook: boolean;
}

const NO_USAGE: SecretUsage = { toolIds: [], agents: [], phoneNumberIds: [], mcpServerIds: [], webhook: false };

function isUsed(usage: SecretUsage): boolean {
  return usage.toolIds.length + usage.agents.length + usage.phoneNumberIds.length + usage.mcpServerIds.length > 0 || usage.webhook;
}

/** Secret order: name ascending (code units), then secret_id. */
function compareSecretKey(secret: SecretRecord, name: string, id: string): number {
  if (secret.name !== name) return secret.name < name ? -1 : 1;
  if (secret.id !== id) return secret.id < id ? -1 : 1;
  return 0;
}

/** Variable order: label ascending (code units), then id. */
function compareVariable(variable: StoredVariable, label: string, id: string): number {
  if (variable.label !== label) return variable.label < label ? -1 : 1;
  if (variable.id !== id) return variable.id < id ? -1 : 1;
  return 0;
}

function dependantItem(resource: ResourceRecord): JsonObject {
  if (resource.accessLevel === null) return { type: 'unknown', id: resource.id };
  return {
    type: 'available',
    id: resource.id,
    name: resource.name,
    created_at_unix_secs: resource.createdAtUnixSecs,
    access_level: resource.accessLevel,
  };
}

function phoneNumberItem(phone: PhoneNumberRecord): JsonObject {
  return {
    phone_number_id: phone.id,
    phone_number: phone.phoneNumber,
    label: phone.label,
    provider: phone.provider,
  };
}

function byId<T extends { id: string }>(records: T[]): Map<string, T> {
  return new Map(records.map((record) => [record.id, record]));
}

function lookup<T>(map: Map<string, T>, id: string): T {
  const found = map.get(id);
  if (found === undefined) throw new Error(`seed refers to unknown id ${id}`);
  return found;
}

export class WorkspaceState {
  readonly profile: WorkspaceProfile;
  /** Sorted by (name, secret_id) so pages and prefix searches are binary searches. */
  private readonly secretsInOrder: SecretRecord[];
  private readonly secretsById: Map<string, SecretRecord>;
  private readonly tools: Map<string, ToolRecord>;
  private readonly agents: Map<string, AgentRecord>;
  private readonly phoneNumbers: Map<string, PhoneNumberRecord>;
  private readonly mcpServers: Map<string, McpServerRecord>;
  private readonly usageBySecret = new Map<string, SecretUsage>();
  private readonly authConnections: Map<string, StoredAuthConnection>;
  private readonly variables: Map<string, StoredVariable>;

  constructor(
    seed: WorkspaceSeedData,
    private readonly options: WorkspaceStateOptions,
  ) {
    this.profile = seed.profile;
    this.secretsInOrder = [...seed.secrets].sort((a, b) => compareSecretKey(a, b.name, b.id));
    this.secretsById = byId(seed.secrets);
    this.tools = byId(seed.tools);
    this.agents = byId(seed.agents);
    this.phoneNumbers = byId(seed.phoneNumbers);
    this.mcpServers = byId(seed.mcpServers);
    this.authConnections = byId(seed.authConnections);
    this.variables = byId(seed.environmentVariables);
    this.indexSecretUsage(seed);
  }

  /** Every secret's id, name and value length (never the value), for in-process tests. */
  secretList(): { id: string; name: string; valueLength: number }[] {
    return this.secretsInOrder.map(({ id, name, valueLength }) => ({ id, name, valueLength }));
  }

  get secretCount(): number {
    return this.secretsInOrder.length;
  }

  // ---- secrets -------------------------------------------------------------------------------

  listSecrets(query: SecretListQuery): { secrets: JsonObject[]; next_cursor: string | null } {
    const { pageSize, search } = query;
    const after = query.cursor === undefined ? undefined : decodeSecretListCursor(query.cursor, search);
    // With a case-sensitive prefix the matches are one contiguous run of the sorted list.
    const contiguous = search !== '' && this.options.caseSensitiveSearch;
    let index = after === undefined ? 0 : this.firstIndexWhere((s) => compareSecretKey(s, after.afterName, after.afterId) <= 0);
    if (contiguous)
      index = Math.max(
        index,
        this.firstIndexWhere((s) => s.name < search),
      );

    const page: SecretRecord[] = [];
    let hasMore = false;
    for (; index < this.secretsInOrder.length; index += 1) {
      const secret = this.secretsInOrder[index] as SecretRecord;
      if (!this.nameMatches(secret.name, search)) {
        if (contiguous) break;
        continue;
      }
      if (page.length === pageSize) {
        hasMore = true;
        break;
      }
      page.push(secret);
    }
    const last = page[page.length - 1];
    return {
      secrets: page.map((secret) => this.secretView(secret, query.dependencyLimit)),
      next_cursor: hasMore && last !== undefined ? encodeSecretListCursor({ afterName: last.name, afterId: last.id, search }) : null,
    };
  }

  getSecret(secretId: string): JsonObject {
    return this.secretView(this.findSecret(secretId), undefined);
  }

  createSecret(name: string, value: string): JsonObject {
    let id = randomId('sec_');
    while (this.secretsById.has(id)) id = randomId('sec_');
    const secret: SecretRecord = { id, name, valueLength: value.length };
    this.secretsById.set(id, secret);
    this.insertInOrder(secret);
    return { type: 'stored', secret_id: id, name };
  }

  /** An update replaces name and value (README: Single secrets). */
  updateSecret(secretId: string, name: string, value: string): JsonObject {
    const secret = this.findSecret(secretId);
    this.removeFromOrder(secret);
    secret.name = name;
    secret.valueLength = value.length;
    this.insertInOrder(secret);
    return { type: 'stored', secret_id: secret.id, name: secret.name };
  }

  /** Refused while anything uses the secret; the secret then stays. */
  deleteSecret(secretId: string): void {
    const secret = this.findSecret(secretId);
    const usage = this.usageOf(secretId);
    if (isUsed(usage)) {
      throw apiError(
        this.options.inUseDeleteStatus,
        'secret_in_use',
        `Secret ${secret.name} cannot be deleted because it is in use by ${this.describeUsers(usage)}. ` + 'Remove it from them first.',
      );
    }
    this.removeFromOrder(secret);
    this.secretsById.delete(secretId);
  }

  secretDependencies(
    secretId: string,
    resourceType: DependencyResourceType,
    pageSize: number,
    cursor: string | undefined,
  ): { dependencies: JsonObject[]; next_cursor: string | null } {
    this.findSecret(secretId);
    const usage = this.usageOf(secretId);
    const offset = cursor === undefined ? 0 : decodeDependencyCursor(cursor, secretId, resourceType);
    const total = this.dependantCount(usage, resourceType);
    const end = Math.min(offset + pageSize, total);
    return {
      dependencies: this.dependantItems(usage, resourceType, offset, end),
      next_cursor: end < total ? encodeDependencyCursor({ secretId, resourceType, offset: end }) : null,
    };
  }

  // ---- auth connections ----------------------------------------------------------------------

  listAuthConnections(): { auth_connections: JsonObject[] } {
    return { auth_connections: [...this.authConnections.values()].map((c) => this.authConnectionView(c)) };
  }

  createAuthConnection(request: NewAuthConnection, now: Date): JsonObject {
    const connection: StoredAuthConnection = {
      id: randomId('ac_'),
      authType: request.authType,
      name: request.name,
      fields: request.fields,
      status: 'active',
      statusUpdatedAt: now.toISOString(),
      integrationConnections: [],
      credentialDigests: request.credentialDigests,
    };
    this.authConnections.set(connection.id, connection);
    return this.authConnectionView(connection);
  }

  updateAuthConnection(connectionId: string, changes: AuthConnectionChanges, now: Date): JsonObject {
    const connection = this.findAuthConnection(connectionId);
    if (connection.authType !== changes.authType) throw authTypeMismatch(connection, changes.authType);
    applyAuthConnectionChanges(connection, changes, now);
    return this.authConnectionView(connection);
  }

  /** Refused while a tool, MCP server or integration uses it (they reference it by id); it then stays. */
  deleteAuthConnection(connectionId: string): void {
    const connection = this.findAuthConnection(connectionId);
    const users = this.authConnectionUsers(connection);
    if (users.length > 0) {
      const shown = users.slice(0, 5);
      if (users.length > shown.length) shown.push(`${users.length - shown.length} more`);
      throw apiError(
        this.options.inUseDeleteStatus,
        'auth_connection_in_use',
        `Auth connection ${connection.name} cannot be deleted because it is in use by ${shown.join(', ')}. ` +
          'Point them at another connection first.',
      );
    }
    this.authConnections.delete(connectionId);
  }

  // ---- environment variables -------------------------------------------------------------------

  /** Label order (then id), filtered; `environment` also narrows each variable's values to it. */
  listVariables(query: VariableListQuery): { environment_variables: JsonObject[]; next_cursor: string | null; has_more: boolean } {
    const filters = JSON.stringify([query.label ?? null, query.environment ?? null, query.type ?? null]);
    const after = query.cursor === undefined ? undefined : decodeVariableListCursor(query.cursor, filters);
    const matching = [...this.variables.values()]
      .filter((v) => query.label === undefined || v.label === query.label)
      .filter((v) => query.environment === undefined || v.values.has(query.environment))
      .filter((v) => query.type === undefined || v.type === query.type)
      .filter((v) => after === undefined || compareVariable(v, after.afterLabel, after.afterId) > 0)
      .sort((a, b) => compareVariable(a, b.label, b.id));
    const page = matching.slice(0, query.pageSize);
    const hasMore = matching.length > page.length;
    const last = page[page.length - 1];
    return {
      environment_variables: page.map((v) => variableView(v, this.profile.workspaceId, query.environment)),
      next_cursor: hasMore && last !== undefined ? encodeVariableListCursor({ afterLabel: last.label, afterId: last.id, filters }) : null,
      has_more: hasMore,
    };
  }

  getVariable(variableId: string): JsonObject {
    return variableView(this.findVariable(variableId), this.profile.workspaceId);
  }

  createVariable(request: NewVariable, now: Date): JsonObject {
    const duplicate = [...this.variables.values()].find((v) => v.label === request.label);
    if (duplicate) {
      throw apiError(409, 'environment_variable_exists', `An environment variable labelled ${request.label} already exists.`);
    }
    for (const [environment, value] of request.values) this.checkReference(environment, value);
    let id = randomId('env_');
    while (this.variables.has(id)) id = randomId('env_');
    const at = Math.floor(now.getTime() / 1000);
    const variable: StoredVariable = {
      id,
      label: request.label,
      type: request.type,
      values: new Map(request.values),
      createdAtUnixSecs: at,
      updatedAtUnixSecs: at,
      createdByUserId: this.profile.userId,
    };
    this.variables.set(id, variable);
    return variableView(variable, this.profile.workspaceId);
  }

  /** Each key replaces that environment, null removes it; all checked before anything changes. */
  updateVariable(variableId: string, changes: VariableChanges, now: Date): JsonObject {
    const variable = this.findVariable(variableId);
    for (const [environment, value] of changes) {
      if (value === null) continue;
      const kind = valueType(value);
      if (kind !== variable.type) {
        throw apiError(
          400,
          'environment_variable_type_mismatch',
          `values.${environment}: ${variable.label} is a ${variable.type} variable; a ${kind} value cannot be set on it.`,
        );
      }
      this.checkReference(environment, value);
    }
    for (const [environment, value] of changes) {
      if (value === null) variable.values.delete(environment);
      else variable.values.set(environment, value);
    }
    variable.updatedAtUnixSecs = Math.floor(now.getTime() / 1000);
    return variableView(variable, this.profile.workspaceId);
  }

  // ---- test controls (README: Control endpoints) -------------------------------------------------

  /** A tool or MCP server that uses the connection (no API route makes one), for in-use tests. */
  addAuthConnectionUser(connectionId: string, kind: 'tool' | 'mcp_server', name: string, accessible: boolean, now: Date): string {
    this.findAuthConnection(connectionId);
    const id = randomId(kind === 'tool' ? 'tool_' : 'mcp_');
    const record = {
      id,
      name,
      createdAtUnixSecs: Math.floor(now.getTime() / 1000),
      accessLevel: accessible ? ('admin' as const) : null,
      secretIds: [],
      authConnectionId: connectionId,
    };
    if (kind === 'tool') this.tools.set(id, record);
    else this.mcpServers.set(id, record);
    return id;
  }

  /** What ElevenLabs' token manager or tool runs would set (README: Auth connections). */
  setAuthConnectionStatus(connectionId: string, status: AuthConnectionStatus, detail: string | undefined, now: Date): void {
    const connection = this.findAuthConnection(connectionId);
    connection.status = status;
    if (detail === undefined) delete connection.statusDetail;
    else connection.statusDetail = detail;
    connection.statusUpdatedAt = now.toISOString();
  }

  /** SHA-256 digests of the write-only fields last sent, by wire name. */
  authConnectionCredentialDigests(connectionId: string): Record<string, string> {
    return { ...this.findAuthConnection(connectionId).credentialDigests };
  }

  // ---- internals -----------------------------------------------------------------------------

  private indexSecretUsage(seed: WorkspaceSeedData): void {
    const agentUsage = new Map<string, AgentUsage>();
    const usageFor = (secretId: string): SecretUsage => {
      let usage = this.usageBySecret.get(secretId);
      if (usage === undefined) {
        usage = { toolIds: [], agents: [], phoneNumberIds: [], mcpServerIds: [], webhook: false };
        this.usageBySecret.set(secretId, usage);
      }
      return usage;
    };
    const agentUses = (secretId: string, agentId: string): AgentUsage => {
      const key = `${secretId}\u0000${agentId}`;
      let entry = agentUsage.get(key);
      if (entry === undefined) {
        entry = { agentId, via: [] };
        agentUsage.set(key, entry);
        usageFor(secretId).agents.push(entry);
      }
      return entry;
    };

    for (const tool of seed.tools) for (const id of tool.secretIds) usageFor(id).toolIds.push(tool.id);
    for (const phone of seed.phoneNumbers) for (const id of phone.secretIds) usageFor(id).phoneNumberIds.push(phone.id);
    for (const mcp of seed.mcpServers) for (const id of mcp.secretIds) usageFor(id).mcpServerIds.push(mcp.id);
    for (const id of seed.webhookSecretIds) usageFor(id).webhook = true;
    for (const agent of seed.agents) {
      for (const id of agent.secretIds) agentUses(id, agent.id);
      for (const toolId of agent.toolIds) {
        for (const id of lookup(this.tools, toolId).secretIds) agentUses(id, agent.id).via.push(toolId);
      }
      for (const mcpId of agent.mcpServerIds) {
        for (const id of lookup(this.mcpServers, mcpId).secretIds) agentUses(id, agent.id).via.push(mcpId);
      }
    }
  }

  private usageOf(secretId: string): SecretUsage {
    return this.usageBySecret.get(secretId) ?? NO_USAGE;
  }

  private nameMatches(name: string, search: string): boolean {
    if (search === '') return true;
    if (this.options.caseSensitiveSearch) return name.startsWith(search);
    return name.toLowerCase().startsWith(search.toLowerCase());
  }

  /** Index of the first secret for which `isBefore` is false (isBefore must be monotonic). */
  private firstIndexWhere(isBefore: (secret: SecretRecord) => boolean): number {
    let low = 0;
    let high = this.secretsInOrder.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (isBefore(this.secretsInOrder[middle] as SecretRecord)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private insertInOrder(secret: SecretRecord): void {
    const index = this.firstIndexWhere((s) => compareSecretKey(s, secret.name, secret.id) < 0);
    this.secretsInOrder.splice(index, 0, secret);
  }

  private removeFromOrder(secret: SecretRecord): void {
    const index = this.firstIndexWhere((s) => compareSecretKey(s, secret.name, secret.id) < 0);
    this.secretsInOrder.splice(index, 1);
  }

  private findSecret(secretId: string): SecretRecord {
    const secret = this.secretsById.get(secretId);
    if (secret === undefined) throw notFound('secret_not_found', `Secret with id ${secretId} was not found.`);
    return secret;
  }

  private findVariable(variableId: string): StoredVariable {
    const variable = this.variables.get(variableId);
    if (variable === undefined) {
      throw notFound('environment_variable_not_found', `Environment variable with id ${variableId} was not found.`);
    }
    return variable;
  }

  /** A reference must name a secret or connection of this workspace. */
  private checkReference(environment: string, value: StoredValue): void {
    if (typeof value === 'string') return;
    if ('secret_id' in value && !this.secretsById.has(value.secret_id)) {
      throw apiError(400, 'secret_not_found', `values.${environment}: no secret with id ${value.secret_id} exists in this workspace.`);
    }
    if ('auth_connection_id' in value && !this.authConnections.has(value.auth_connection_id)) {
      throw apiError(
        400,
        'auth_connection_not_found',
        `values.${environment}: no auth connection with id ${value.auth_connection_id} exists in this workspace.`,
      );
    }
  }

  private findAuthConnection(connectionId: string): StoredAuthConnection {
    const connection = this.authConnections.get(connectionId);
    if (connection === undefined) {
      throw notFound('auth_connection_not_found', `Auth connection with id ${connectionId} was not found.`);
    }
    return connection;
  }

  private secretView(secret: SecretRecord, dependencyLimit: number | undefined): JsonObject {
    return { type: 'stored', secret_id: secret.id, name: secret.name, used_by: this.usedBy(secret.id, dependencyLimit) };
  }

  /** `dependency_limit` cuts tools, agents and phone numbers and says so in `*_has_more`. */
  private usedBy(secretId: string, limit: number | undefined): JsonObject {
    const usage = this.usageOf(secretId);
    const cut = (type: DependencyResourceType) => {
      const total = this.dependantCount(usage, type);
      const end = limit === undefined ? total : Math.min(limit, total);
      return { items: this.dependantItems(usage, type, 0, end), hasMore: end < total };
    };
    const tools = cut('tools');
    const agents = cut('agents');
    const phoneNumbers = cut('phone_numbers');
    return {
      tools: tools.items,
      tools_has_more: tools.hasMore,
      agents: agents.items,
      agents_has_more: agents.hasMore,
      phone_numbers: phoneNumbers.items,
      phone_numbers_has_more: phoneNumbers.hasMore,
      mcp_servers: usage.mcpServerIds.map((id) => dependantItem(lookup(this.mcpServers, id))),
      others: usage.webhook ? ['conversation_initiation_webhook'] : [],
    };
  }

  private dependantCount(usage: SecretUsage, type: DependencyResourceType): number {
    if (type === 'tools') return usage.toolIds.length;
    if (type === 'agents') return usage.agents.length;
    return usage.phoneNumberIds.length;
  }

  /** Items [start, end) of one dependant list; only those are rendered. */
  private dependantItems(usage: SecretUsage, type: DependencyResourceType, start: number, end: number): JsonObject[] {
    if (type === 'tools') {
      return usage.toolIds.slice(start, end).map((id) => dependantItem(lookup(this.tools, id)));
    }
    if (type === 'agents') {
      return usage.agents.slice(start, end).map(({ agentId, via }) => ({
        ...dependantItem(lookup(this.agents, agentId)),
        ...(via.length > 0 ? { referenced_resource_ids: via } : {}),
      }));
    }
    return usage.phoneNumberIds.slice(start, end).map((id) => phoneNumberItem(lookup(this.phoneNumbers, id)));
  }

  /** Names who uses a secret, for the refusal message; resources without access are only counted. */
  private describeUsers(usage: SecretUsage): string {
    const named: string[] = [];
    let hidden = 0;
    const add = (kind: string, resource: ResourceRecord) => {
      if (resource.accessLevel === null) hidden += 1;
      else named.push(`${kind} "${resource.name}"`);
    };
    for (const id of usage.toolIds) add('tool', lookup(this.tools, id));
    for (const { agentId } of usage.agents) add('agent', lookup(this.agents, agentId));
    for (const id of usage.mcpServerIds) add('MCP server', lookup(this.mcpServers, id));
    for (const id of usage.phoneNumberIds) {
      const phone = lookup(this.phoneNumbers, id);
      named.push(`phone number ${phone.phoneNumber} (${phone.label})`);
    }
    if (usage.webhook) named.push('the conversation initiation webhook');

    const shown = named.slice(0, 5);
    if (named.length > shown.length) shown.push(`${named.length - shown.length} more`);
    if (hidden > 0) shown.push(`${hidden} ${hidden === 1 ? 'resource' : 'resources'} you cannot access`);
    return shown.join(', ');
  }

  /** Who uses a connection, for the in-use refusal; resources hidden from the user are only counted. */
  private authConnectionUsers(connection: StoredAuthConnection): string[] {
    const named: string[] = [];
    let hidden = 0;
    const add = (kind: string, resource: ResourceRecord) => {
      if (resource.accessLevel === null) hidden += 1;
      else named.push(`${kind} "${resource.name}"`);
    };
    for (const tool of this.tools.values()) if (tool.authConnectionId === connection.id) add('tool', tool);
    for (const mcp of this.mcpServers.values()) if (mcp.authConnectionId === connection.id) add('MCP server', mcp);
    for (const integration of connection.integrationConnections) named.push(`integration "${integration.name}"`);
    if (hidden > 0) named.push(`${hidden} ${hidden === 1 ? 'resource' : 'resources'} you cannot access`);
    return named;
  }

  private authConnectionView(connection: StoredAuthConnection): JsonObject {
    const tools = [...this.tools.values()].filter((tool) => tool.authConnectionId === connection.id);
    const mcpServers = [...this.mcpServers.values()].filter((mcp) => mcp.authConnectionId === connection.id);
    return authConnectionView(connection, {
      tools: tools.map(dependantItem),
      mcp_servers: mcpServers.map(dependantItem),
      integration_connections: connection.integrationConnections,
    });
  }
}
