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
