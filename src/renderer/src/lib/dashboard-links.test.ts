import { describe, expect, it } from 'vitest';
import { dashboardFor, dependantUrl, noDashboardText } from './dashboard-links';

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
