// Seed workspaces: `demo` (a small voice-agent builder's workspace), `empty`, and `bench:N`
// (N generated secrets for benchmarks). Everything is drawn from a PRNG seeded with the API key
// and the seed name, so the same key and seed give the same ids on every start.
import type { AuthConnectionStatus, AuthType, IntegrationConnectionRef, StoredAuthConnection } from './auth-connections';
import type { StoredValue, StoredVariable, VariableType } from './environment-variables';
import { SeededRandom, shortHash } from './ids';
import type { EmulatorSeed } from './types';
import type { WorkspaceProfile } from './user';
import type { AccessLevel, PhoneNumberRecord, WorkspaceSeedData } from './workspace-state';

/** Seeded resources were created in the year before this instant (2025-06-01). */
const SEED_EPOCH_UNIX = 1_748_736_000;
const SECS_PER_DAY = 86_400;

export function workspaceIdForKey(apiKey: string): string {
  return `ws_${shortHash(`workspace:${apiKey}`, 12)}`;
}

interface ResourceExtras {
  accessLevel?: AccessLevel | null;
  authConnectionId?: string;
}

interface AgentRefs {
  secretIds?: string[];
  toolIds?: string[];
  mcpServerIds?: string[];
}

interface AuthConnectionExtras {
  status?: AuthConnectionStatus;
  statusDetail?: string;
  integrationConnections?: IntegrationConnectionRef[];
}

/** Collects seed records and hands out deterministic ids and creation times. */
class SeedBuilder {
  readonly data: WorkspaceSeedData;

  constructor(
    readonly rng: SeededRandom,
    profile: WorkspaceProfile,
  ) {
    this.data = {
      profile,
      secrets: [],
      tools: [],
      agents: [],
      phoneNumbers: [],
      mcpServers: [],
      webhookSecretIds: [],
      authConnections: [],
      environmentVariables: [],
    };
  }

  secret(name: string): string {
    const id = this.rng.id('sec_');
    this.data.secrets.push({ id, name, valueLength: this.rng.int(24, 72) });
    return id;
  }

  tool(name: string, secretIds: string[], extras: ResourceExtras = {}): string {
    const id = this.rng.id('tool_');
    this.data.tools.push({ ...this.resource(id, name, extras), secretIds, authConnectionId: extras.authConnectionId });
    return id;
  }

  agent(name: string, refs: AgentRefs, extras: ResourceExtras = {}): string {
    const id = this.rng.id('agent_');
    this.data.agents.push({
      ...this.resource(id, name, extras),
      secretIds: refs.secretIds ?? [],
      toolIds: refs.toolIds ?? [],
      mcpServerIds: refs.mcpServerIds ?? [],
    });
    return id;
  }

  mcpServer(name: string, secretIds: string[], extras: ResourceExtras = {}): string {
    const id = this.rng.id('mcp_');
    this.data.mcpServers.push({ ...this.resource(id, name, extras), secretIds, authConnectionId: extras.authConnectionId });
    return id;
  }

  phoneNumber(phoneNumber: string, label: string, provider: PhoneNumberRecord['provider'], secretIds: string[]): string {
    const id = this.rng.id('phnum_');
    this.data.phoneNumbers.push({ id, phoneNumber, label, provider, secretIds });
    return id;
  }

  authConnection(authType: AuthType, name: string, fields: Record<string, unknown>, extras: AuthConnectionExtras = {}): string {
    const id = this.rng.id('ac_');
    const connection: StoredAuthConnection = {
      id,
      authType,
      name,
      fields,
      status: extras.status ?? 'active',
      statusUpdatedAt: new Date(this.createdAt() * 1000).toISOString(),
      integrationConnections: extras.integrationConnections ?? [],
    };
    if (extras.statusDetail !== undefined) connection.statusDetail = extras.statusDetail;
    this.data.authConnections.push(connection);
    return id;
  }

  /** Values by environment: a string, or the id of a secret or connection made before. */
  variable(type: VariableType, label: string, values: Record<string, string>): string {
    const id = this.rng.id('env_');
    const created = this.createdAt();
    const stored = (value: string): StoredValue =>
      type === 'string' ? value : type === 'secret' ? { secret_id: value } : { auth_connection_id: value };
    const variable: StoredVariable = {
      id,
      label,
      type,
      values: new Map(Object.entries(values).map(([environment, value]) => [environment, stored(value)])),
      createdAtUnixSecs: created,
      updatedAtUnixSecs: created + this.rng.int(0, 30) * SECS_PER_DAY,
      createdByUserId: this.data.profile.userId,
    };
    this.data.environmentVariables.push(variable);
    return id;
  }

  /** A random-looking token (for a string variable that should have been a secret). */
  token(length: number): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let text = '';
    for (let i = 0; i < length; i += 1) text += alphabet[this.rng.int(0, alphabet.length - 1)];
    return text;
  }

  private createdAt(): number {
    return SEED_EPOCH_UNIX - this.rng.int(1, 365) * SECS_PER_DAY + this.rng.int(0, SECS_PER_DAY - 1);
  }

  private resource(id: string, name: string, extras: ResourceExtras) {
    const accessLevel = extras.accessLevel === undefined ? 'admin' : extras.accessLevel;
    return { id, name, createdAtUnixSecs: this.createdAt(), accessLevel };
  }
}

type PlanFields = Pick<WorkspaceProfile, 'firstName' | 'tier' | 'characterLimit' | 'voiceLimit' | 'professionalVoiceLimit'>;

const DEMO_PLAN: PlanFields = {
  firstName: 'Avery',
  tier: 'creator',
  characterLimit: 100_000,
  voiceLimit: 30,
  professionalVoiceLimit: 1,
};
const EMPTY_PLAN: PlanFields = {
  firstName: 'Sam',
  tier: 'free',
  characterLimit: 10_000,
  voiceLimit: 3,
  professionalVoiceLimit: 0,
};
const BENCH_PLAN: PlanFields = {
  firstName: 'Bench',
  tier: 'pro',
  characterLimit: 500_000,
  voiceLimit: 160,
  professionalVoiceLimit: 1,
};

function profileFor(apiKey: string, rng: SeededRandom, fields: PlanFields): WorkspaceProfile {
  return {
    ...fields,
    userId: `user_${shortHash(`user:${apiKey}`, 16)}`,
    workspaceId: workspaceIdForKey(apiKey),
    seatType: 'workspace_admin',
    characterCount: rng.int(0, fields.characterLimit / 2),
    createdAtUnix: SEED_EPOCH_UNIX - rng.int(400, 900) * SECS_PER_DAY,
  };
}

// ---- demo --------------------------------------------------------------------------------------

function seedDemo(b: SeedBuilder): void {
  const calendar = b.secret('GOOGLE_CALENDAR_TOKEN');
  const slack = b.secret('SLACK_BOT_TOKEN');
  const twilio = b.secret('TWILIO_AUTH_TOKEN');
  const hubspot = b.secret('HUBSPOT_PRIVATE_APP_TOKEN');
  const stripe = b.secret('STRIPE_RESTRICTED_KEY');
  const zendesk = b.secret('ZENDESK_API_TOKEN');
  const webhookSigning = b.secret('WEBHOOK_SIGNING_SECRET');
  const weather = b.secret('OPENWEATHER_API_KEY');
  const docsMcp = b.secret('MCP_DOCS_API_KEY');
  const sipTrunk = b.secret('SIP_TRUNK_PASSWORD');
  const customLlm = b.secret('CUSTOM_LLM_API_KEY');
  // Leftovers nothing uses any more: what the review screen should find.
  const leftovers = [
    'OLD_ZENDESK_TOKEN_2023',
    'LEGACY_MAILCHIMP_API_KEY',
    'STRIPE_TEST_KEY_OLD',
    'AIRTABLE_PAT_DEPRECATED',
    'SENDGRID_API_KEY',
  ];
  const leftoverIds = leftovers.map((name) => b.secret(name));
  const stripeTestOld = leftoverIds[2] as string;

  const salesforce = b.authConnection('oauth2_client_credentials', 'Salesforce API', {
    provider: 'salesforce',
    client_id: '3MVG9demoClientIdForAgentKeyring',
    token_url: 'https://login.salesforce.com/services/oauth2/token',
    scopes: ['api', 'refresh_token'],
    basic_auth_in_header: true,
  });
  const catalog = b.authConnection('bearer_auth', 'Product Catalog gateway', { provider: 'catalog-gateway' });
  const legacyBilling = b.authConnection(
    'basic_auth',
    'Legacy billing API',
    { provider: 'billing-legacy', username: 'svc-voice-agent' },
    { status: 'credential_invalid', statusDetail: 'The billing API answered 401 Unauthorized with these credentials.' },
  );
  const forecast = b.authConnection('custom_header_auth', 'Weather forecast header', {
    provider: 'openweather',
    header_name: 'X-Api-Key',
  });
  b.authConnection(
    'api_integration_oauth2_auth_code',
    'Google Calendar (Avery)',
    {
      provider: 'google',
      token_url: 'https://oauth2.googleapis.com/token',
      expires_at: '2026-09-30T12:00:00Z',
      integration_id: 'google_calendar',
      credential_id: b.rng.id('cred_'),
      scopes: ['https://www.googleapis.com/auth/calendar.events', 'openid', 'email'],
      scope_separator: ' ',
    },
    { integrationConnections: [{ id: b.rng.id('intc_'), name: 'Google Calendar' }] },
  );
  const slackBot = b.authConnection('slack_bot_auth', 'Acme Slack bot', { provider: 'Slack' });

  const checkCalendar = b.tool('check_calendar_availability', [calendar]);
  const bookAppointment = b.tool('book_appointment', [calendar], { accessLevel: 'editor' });
  const postToSlack = b.tool('post_to_slack', [slack]);
  const lookupCrm = b.tool('lookup_crm_contact', [hubspot]);
  const createTicket = b.tool('create_support_ticket', [zendesk]);
  const lookupInvoice = b.tool('lookup_invoice', [stripe], { accessLevel: 'viewer' });
  const getWeather = b.tool('get_weather', [weather]);
  const createLead = b.tool('create_salesforce_lead', [], { authConnectionId: salesforce });
  b.tool('get_forecast', [], { authConnectionId: forecast, accessLevel: 'commenter' });
  b.tool('notify_on_call_channel', [], { authConnectionId: slackBot });
  // Made by a teammate who did not share it: listed as {type:"unknown"}.
  const refundPayment = b.tool('refund_payment', [stripe], { accessLevel: null });

  const docs = b.mcpServer('Internal Docs MCP', [docsMcp]);
  b.mcpServer('Product Catalog MCP', [], { authConnectionId: catalog, accessLevel: 'editor' });

  b.agent('Front Desk Receptionist', { toolIds: [checkCalendar, getWeather, lookupCrm] });
  b.agent('Appointment Scheduler', { toolIds: [checkCalendar, bookAppointment] }, { accessLevel: 'editor' });
  b.agent('Support Triage', { secretIds: [customLlm], toolIds: [createTicket, postToSlack], mcpServerIds: [docs] });
  b.agent('Outbound Sales Caller', { secretIds: [twilio], toolIds: [lookupCrm, createLead] });
  b.agent('Billing Assistant', { toolIds: [lookupInvoice, refundPayment] }, { accessLevel: null });
  b.agent('Escalations Desk', { secretIds: [zendesk] }, { accessLevel: null });

  b.phoneNumber('+14155550123', 'Front desk main line', 'twilio', [twilio]);
  b.phoneNumber('+12125550187', 'Sales outbound', 'twilio', [twilio]);
  b.phoneNumber('+442079460958', 'London office (SIP)', 'sip_trunk', [sipTrunk]);

  b.data.webhookSecretIds.push(webhookSigning);

  // Environment variables: one agent against production, staging and dev. Staging is set for
  // nine of the ten (BILLING_AUTH lacks it); PAYMENTS_KEY's staging value names a leftover
  // secret nothing else uses (so it can be deleted); ANALYTICS_WRITE_KEY is a key pasted into a
  // plain string (a generated one), which should have been a secret. The emulator keeps no tool
  // configuration (URLs, headers), so no tool refers to them as {{system_env__<label>}}.
  b.variable('string', 'API_BASE_URL', {
    production: 'https://api.brightsmile-dental.example/v2',
    staging: 'https://staging-api.brightsmile-dental.example/v2',
    dev: 'http://localhost:8080/v2',
  });
  b.variable('string', 'BOOKING_WEBHOOK_URL', {
    production: 'https://hooks.brightsmile-dental.example/booking',
    staging: 'https://hooks.staging.brightsmile-dental.example/booking',
  });
  b.variable('string', 'CALENDAR_ID', {
    production: 'front-desk@brightsmile-dental.example',
    staging: 'front-desk-staging@brightsmile-dental.example',
  });
  b.variable('string', 'TRANSFER_PHONE_NUMBER', { production: '+14155550123', staging: '+14155550199', dev: '+14155550100' });
  b.variable('string', 'ANALYTICS_WRITE_KEY', { production: `sk_${b.token(32)}`, staging: `sk_${b.token(32)}` });
  b.variable('secret', 'CRM_TOKEN', { production: hubspot, staging: hubspot });
  b.variable('secret', 'PAYMENTS_KEY', { production: stripe, staging: stripeTestOld });
  b.variable('secret', 'SLACK_ALERTS_TOKEN', { production: slack, staging: slack, dev: slack });
  b.variable('auth_connection', 'CRM_AUTH', { production: salesforce, staging: salesforce });
  b.variable('auth_connection', 'BILLING_AUTH', { production: legacyBilling });
}

// ---- bench:N -----------------------------------------------------------------------------------

const BENCH_SERVICES = [
  'airtable',
  'asana',
  'calendly',
  'datadog',
  'docusign',
  'dropbox',
  'github',
  'google_calendar',
  'hubspot',
  'intercom',
  'jira',
  'mailchimp',
  'notion',
  'openweather',
  'pipedrive',
  'salesforce',
  'segment',
  'sendgrid',
  'sentry',
  'shopify',
  'slack',
  'stripe',
  'twilio',
  'zendesk',
  'zoom',
];
const BENCH_PURPOSES = [
  'access_token',
  'api_key',
  'auth_token',
  'bot_token',
  'client_secret',
  'oauth_token',
  'password',
  'private_key',
  'refresh_token',
  'signing_secret',
  'webhook_secret',
];
const BENCH_TOOL_VERBS = ['lookup', 'create', 'update', 'sync', 'notify', 'fetch', 'search', 'book'];
const BENCH_AGENT_ROLES = [
  'Support Agent',
  'Receptionist',
  'Sales Caller',
  'Scheduler',
  'Concierge',
  'Collections Agent',
  'Survey Caller',
  'Helpdesk',
];
const BENCH_POOLS = { agents: 50, tools: 80, phoneNumbers: 10, mcpServers: 5 };
const BENCH_USED_SHARE = 0.6;

function pad(index: number, width: number): string {
  return String(index).padStart(width, '0');
}

function seedBenchPools(b: SeedBuilder): void {
  const { rng } = b;
  const access = (): AccessLevel | null => (rng.chance(0.08) ? null : rng.pick(['admin', 'admin', 'editor', 'viewer'] as const));
  const toolIds = Array.from({ length: BENCH_POOLS.tools }, (_, i) =>
    b.tool(`${rng.pick(BENCH_TOOL_VERBS)}_${rng.pick(BENCH_SERVICES)}_${pad(i, 2)}`, [], { accessLevel: access() }),
  );
  for (let i = 0; i < BENCH_POOLS.mcpServers; i += 1) {
    b.mcpServer(`${rng.pick(BENCH_SERVICES)} MCP ${i + 1}`, [], { accessLevel: access() });
  }
  // A tenth of the agents use tools, which makes them indirect dependants of those tools' secrets.
  for (let i = 0; i < BENCH_POOLS.agents; i += 1) {
    const tools = i % 10 === 0 ? rng.sample(toolIds, rng.int(1, 2)) : [];
    b.agent(`${rng.pick(BENCH_AGENT_ROLES)} ${pad(i + 1, 2)}`, { toolIds: tools }, { accessLevel: access() });
  }
  for (let i = 0; i < BENCH_POOLS.phoneNumbers; i += 1) {
    const areaCode = rng.pick(['415', '212', '312', '646', '737']);
    b.phoneNumber(`+1${areaCode}555${pad(100 + i, 4)}`, `Line ${i + 1}`, i % 3 === 0 ? 'sip_trunk' : 'twilio', []);
  }
}

/** Adds the secret to 1–4 dependants drawn from the pools. */
function useBenchSecret(b: SeedBuilder, secretId: string): void {
  const { rng, data } = b;
  for (let n = rng.int(1, 4); n > 0; n -= 1) {
    const roll = rng.next();
    const target =
      roll < 0.5
        ? rng.pick(data.tools)
        : roll < 0.8
          ? rng.pick(data.agents)
          : roll < 0.88
            ? rng.pick(data.phoneNumbers)
            : roll < 0.98
              ? rng.pick(data.mcpServers)
              : { secretIds: data.webhookSecretIds };
    // This secret's references are added one after another, so a repeat pick is the last entry.
    if (target.secretIds[target.secretIds.length - 1] !== secretId) target.secretIds.push(secretId);
  }
}

/** Variables of a `bench:N` seed without its own count. */
export const DEFAULT_BENCH_VARIABLES = 12;

function seedBench(b: SeedBuilder, count: number, variableCount: number): void {
  const { rng } = b;
  seedBenchPools(b);
  const width = Math.max(5, String(count - 1).length);
  for (let index = 0; index < count; index += 1) {
    const id = b.secret(`${rng.pick(BENCH_SERVICES)}_${rng.pick(BENCH_PURPOSES)}_${pad(index, width)}`);
    if (rng.chance(BENCH_USED_SHARE)) useBenchSecret(b, id);
  }

  const crm = b.authConnection('oauth2_client_credentials', 'CRM client credentials', {
    provider: 'salesforce',
    client_id: 'bench-client-id',
    token_url: 'https://login.salesforce.com/services/oauth2/token',
  });
  const catalog = b.authConnection('bearer_auth', 'Catalog bearer', { provider: 'catalog' });
  b.authConnection('basic_auth', 'Legacy basic', { provider: 'legacy', username: 'bench' }, { status: 'revoked' });
  b.authConnection('whatsapp_auth', 'WhatsApp Business', { provider: 'whatsapp', phone_number_id: '109876543210987' });
  const firstTool = b.data.tools[0];
  if (firstTool !== undefined) firstTool.authConnectionId = crm;
  seedBenchVariables(b, variableCount, [crm, catalog]);
}

/**
 * `count` variables, a third of each type (secret ones only when there are secrets), each with
 * production and staging and every third with dev too: a consistent matrix, with no string that
 * looks like a credential, so Review finds nothing in them.
 */
function seedBenchVariables(b: SeedBuilder, count: number, connections: string[]): void {
  const { rng } = b;
  const secretIds = b.data.secrets.map((secret) => secret.id);
  const width = Math.max(4, String(count - 1).length);
  for (let index = 0; index < count; index += 1) {
    const types: VariableType[] = secretIds.length > 0 ? ['string', 'secret', 'auth_connection'] : ['string', 'auth_connection'];
    const type = types[index % types.length] as VariableType;
    const service = rng.pick(BENCH_SERVICES);
    const label = `${service.toUpperCase()}_${type === 'string' ? 'URL' : type === 'secret' ? 'TOKEN' : 'AUTH'}_${pad(index, width)}`;
    const environments = index % 3 === 0 ? ['production', 'staging', 'dev'] : ['production', 'staging'];
    const value = (environment: string): string => {
      if (type === 'string') return `https://${environment}.${service}.bench.example/v1`;
      if (type === 'secret') return rng.pick(secretIds);
      return rng.pick(connections);
    };
    b.variable(type, label, Object.fromEntries(environments.map((environment) => [environment, value(environment)])));
  }
}

// ---- entry -------------------------------------------------------------------------------------

export function buildSeed(seed: EmulatorSeed, apiKey: string): WorkspaceSeedData {
  const rng = new SeededRandom(`${apiKey}\n${seed}`);
  if (seed === 'demo') {
    const builder = new SeedBuilder(rng, profileFor(apiKey, rng, DEMO_PLAN));
    seedDemo(builder);
    return builder.data;
  }
  if (seed === 'empty') {
    return new SeedBuilder(rng, profileFor(apiKey, rng, EMPTY_PLAN)).data;
  }
  const builder = new SeedBuilder(rng, profileFor(apiKey, rng, BENCH_PLAN));
  const [secrets, variables] = seed.slice('bench:'.length).split(':');
  seedBench(builder, Number(secrets), variables === undefined ? DEFAULT_BENCH_VARIABLES : Number(variables));
  return builder.data;
}
