import { creatableAuthTypes } from '../../../shared/schemas/auth-connections';
import type { DependantKind } from '../../../shared/schemas/inventory';
import type { Residency } from '../../../shared/schemas/workspaces';

/**
 * Where things live in the ElevenLabs dashboard of a workspace's residency. Links open in the
 * system browser: Electron's window-open handler sends http(s) links there, the preview opens a tab.
 * A workspace on a custom URL (an emulator, a proxy) and the demo have no dashboard: their ids
 * mean nothing on elevenlabs.io, so no link is offered for them.
 */
const dashboardHosts: Record<Residency, string | null> = {
  default: 'https://elevenlabs.io',
  us: 'https://elevenlabs.io',
  eu: 'https://eu.residency.elevenlabs.io',
  india: 'https://in.residency.elevenlabs.io',
  singapore: 'https://sg.residency.elevenlabs.io',
  custom: null,
  demo: null,
};

export interface Dashboard {
  agent(agentId: string): string;
  tool(toolId: string): string;
  phoneNumber(phoneNumberId: string): string;
  /** Workspace secrets and auth connections have no page of their own: they are in the agents settings. */
  agentSettings(): string;
}

/** The dashboard of a workspace's residency, or null when it has none (custom URL, demo). */
export function dashboardFor(residency: Residency): Dashboard | null {
  const host = dashboardHosts[residency];
  if (!host) return null;
  const agentsApp = `${host}/app/agents`;
  return {
    agent: (agentId) => `${agentsApp}/agents/${encodeURIComponent(agentId)}`,
    tool: (toolId) => `${agentsApp}/tools/${encodeURIComponent(toolId)}`,
    phoneNumber: (phoneNumberId) => `${agentsApp}/phone-numbers/${encodeURIComponent(phoneNumberId)}`,
    agentSettings: () => `${agentsApp}/settings`,
  };
}

/** Said where a link would be, for a workspace with no dashboard. */
export function noDashboardText(residency: Residency): string {
  return residency === 'demo'
    ? 'The demo workspace lives in Agent Keyring: it has no ElevenLabs dashboard.'
    : 'This workspace is on a custom URL: it has no ElevenLabs dashboard to open.';
}

/** The dashboard page of something that uses a secret, when it has one. */
export function dependantUrl(dashboard: Dashboard | null, kind: DependantKind, id: string): string | null {
  if (!dashboard) return null;
  switch (kind) {
    case 'agent':
      return dashboard.agent(id);
    case 'tool':
      return dashboard.tool(id);
    case 'phone_number':
      return dashboard.phoneNumber(id);
    default:
      return null;
  }
}

/**
 * What manages a read-only auth connection (made by the dashboard or an integration; the API
 * lists it but cannot change it), said on its card with a link to the workspace's agents
 * settings in the dashboard, where ElevenLabs lists a workspace's auth connections. Null: the
 * type is one this app makes.
 */
export function readOnlyManagement(
  authType: string,
  residency: Residency,
): { label: string; href: string | null; note: string | null } | null {
  if (creatable.has(authType)) return null;
  const what = readOnlyWhat[authType] ?? 'It';
  const dashboard = dashboardFor(residency);
  return {
    label: `${what} is managed in the ElevenLabs dashboard`,
    href: dashboard ? dashboard.agentSettings() : null,
    note: dashboard ? null : noDashboardText(residency),
  };
}

const creatable = new Set<string>(creatableAuthTypes);

/** Each read-only type, as the subject of "… is managed in the ElevenLabs dashboard". */
const readOnlyWhat: Record<string, string> = {
  api_integration_oauth2_auth_code: 'This integration’s sign-in',
  api_integration_oauth2_custom_app: 'This integration’s OAuth app',
  whatsapp_auth: 'This WhatsApp account',
  slack_bot_auth: 'This Slack bot',
  url_secret: 'This URL secret',
  refresh_token_auth: 'This refresh-token connection',
};
