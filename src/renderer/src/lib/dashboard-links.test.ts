import { describe, expect, it } from 'vitest';
import { dashboardFor, dependantUrl, noDashboardText, readOnlyManagement } from './dashboard-links';

describe('dashboard links', () => {
  it('go to the dashboard of the workspace’s residency', () => {
    expect(dashboardFor('default')?.agent('agent_1')).toBe('https://elevenlabs.io/app/agents/agents/agent_1');
    expect(dashboardFor('us')?.agentSettings()).toBe('https://elevenlabs.io/app/agents/settings');
    expect(dashboardFor('eu')?.tool('tool 2')).toBe('https://eu.residency.elevenlabs.io/app/agents/tools/tool%202');
    expect(dashboardFor('india')?.phoneNumber('pn_3')).toBe('https://in.residency.elevenlabs.io/app/agents/phone-numbers/pn_3');
    expect(dashboardFor('singapore')?.agentSettings()).toBe('https://sg.residency.elevenlabs.io/app/agents/settings');
  });

  it('are not offered for a custom URL or the demo, whose ids mean nothing on elevenlabs.io', () => {
    expect(dashboardFor('custom')).toBeNull();
    expect(dashboardFor('demo')).toBeNull();
    expect(dependantUrl(dashboardFor('custom'), 'agent', 'agent_1')).toBeNull();
    expect(noDashboardText('custom')).toBe('This workspace is on a custom URL: it has no ElevenLabs dashboard to open.');
  });

  it('exist only for dependants with a page of their own', () => {
    const dashboard = dashboardFor('default');
    expect(dependantUrl(dashboard, 'agent', 'a')).toBe('https://elevenlabs.io/app/agents/agents/a');
    expect(dependantUrl(dashboard, 'mcp_server', 'm')).toBeNull();
  });
});

describe('read-only auth connections', () => {
  const readOnly = [
    ['api_integration_oauth2_auth_code', 'This integration’s sign-in is managed in the ElevenLabs dashboard'],
    ['api_integration_oauth2_custom_app', 'This integration’s OAuth app is managed in the ElevenLabs dashboard'],
    ['whatsapp_auth', 'This WhatsApp account is managed in the ElevenLabs dashboard'],
    ['slack_bot_auth', 'This Slack bot is managed in the ElevenLabs dashboard'],
    ['url_secret', 'This URL secret is managed in the ElevenLabs dashboard'],
    ['refresh_token_auth', 'This refresh-token connection is managed in the ElevenLabs dashboard'],
  ] as const;

  it.each(readOnly)('%s links to the agents settings of the workspace’s dashboard, with its label', (authType, label) => {
    expect(readOnlyManagement(authType, 'default')).toEqual({ label, href: 'https://elevenlabs.io/app/agents/settings', note: null });
    expect(readOnlyManagement(authType, 'eu')?.href).toBe('https://eu.residency.elevenlabs.io/app/agents/settings');
  });

  it('says there is no dashboard for a custom URL or the demo, instead of a link that leads nowhere', () => {
    expect(readOnlyManagement('whatsapp_auth', 'custom')).toEqual({
      label: 'This WhatsApp account is managed in the ElevenLabs dashboard',
      href: null,
      note: 'This workspace is on a custom URL: it has no ElevenLabs dashboard to open.',
    });
    expect(readOnlyManagement('slack_bot_auth', 'demo')?.note).toMatch(/^The demo workspace lives in Agent Keyring/);
  });

  it('is null for the types this app makes, and covers a read-only type it does not know yet', () => {
    for (const authType of ['oauth2_client_credentials', 'basic_auth', 'mtls']) expect(readOnlyManagement(authType, 'default')).toBeNull();
    expect(readOnlyManagement('future_integration_auth', 'us')).toEqual({
      label: 'It is managed in the ElevenLabs dashboard',
      href: 'https://elevenlabs.io/app/agents/settings',
      note: null,
    });
  });
});
