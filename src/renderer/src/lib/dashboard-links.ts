import type { DependantKind } from '../../../shared/schemas/inventory';

/**
 * Where things live in the ElevenLabs dashboard. Links open in the system browser: Electron's
 * window-open handler sends http(s) links there, the browser preview opens a tab.
 */
const AGENTS_APP = 'https://elevenlabs.io/app/agents';

export const dashboardUrls = {
  agent: (agentId: string) => `${AGENTS_APP}/agents/${encodeURIComponent(agentId)}`,
  tool: (toolId: string) => `${AGENTS_APP}/tools/${encodeURIComponent(toolId)}`,
  phoneNumber: (phoneNumberId: string) => `${AGENTS_APP}/phone-numbers/${encodeURIComponent(phoneNumberId)}`,
  /** Workspace secrets have no page of their own: they are listed in the agents settings. */
  workspaceSecrets: () => `${AGENTS_APP}/settings`,
};

/** The dashboard page of something that uses a secret, when it has one. */
export function dependantUrl(kind: DependantKind, id: string): string | null {
  switch (kind) {
    case 'agent':
      return dashboardUrls.agent(id);
    case 'tool':
      return dashboardUrls.tool(id);
    case 'phone_number':
      return dashboardUrls.phoneNumber(id);
    default:
      return null;
  }
}
