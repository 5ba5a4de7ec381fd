// Warms the code a sync's listing runs, in a host that has just started and has nothing to do.
// A fresh host parsed a 10,000-secret reply about 40 ms slower than a warm one: the SDK's reply
// parsing and this app's shaping ran as cold bytecode. Running them on a made-up reply, served by a
// fetch that never touches the network, lets V8 compile them before the first sync needs them.
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { operations } from '../operations';
import type { ApiSettings } from '../types';

/** Secrets in the made-up reply: enough calls for V8 to optimise the per-secret code. */
export const WARM_SECRETS = 1500;

/** A listing reply of the published shape: stored secrets used by agents, tools, phone numbers, MCP servers. */
export function madeUpListing(count: number): string {
  const resource = (kind: string, n: number) => ({
    type: 'available',
    id: `${kind}_${n}`,
    name: `${kind} ${n}`,
    created_at_unix_secs: 1_700_000_000 + n,
    access_level: 'admin',
  });
  const secrets = Array.from({ length: count }, (_, n) => ({
    type: 'stored',
    secret_id: `warm_${n}`,
    name: `WARM_SECRET_${n}`,
    used_by: {
      tools: n % 3 === 0 ? [] : [resource('tool', n % 40)],
      tools_has_more: false,
      agents: n % 2 === 0 ? [resource('agent', n % 25), { type: 'unknown', id: `agent_hidden_${n % 5}` }] : [],
      agents_has_more: false,
      phone_numbers:
        n % 7 === 0 ? [{ phone_number_id: `phone_${n % 4}`, phone_number: '+15550100', label: 'Front desk', provider: 'twilio' }] : [],
      phone_numbers_has_more: false,
      mcp_servers: n % 11 === 0 ? [resource('mcp', n % 3)] : [],
      others: n % 13 === 0 ? ['conversation_initiation_webhook'] : [],
    },
  }));
  return JSON.stringify({ secrets, next_cursor: null });
}

/** Runs the listing operation once on the made-up reply; nothing is sent anywhere. */
export async function warmListing(sdk: typeof import('@elevenlabs/elevenlabs-js'), settings: ApiSettings): Promise<void> {
  const reply = madeUpListing(WARM_SECRETS);
  const client: ElevenLabsClient = new sdk.ElevenLabsClient({
    apiKey: 'warm-up',
    // Never contacted: the fetch below answers every request itself.
    baseUrl: 'http://warm-up.invalid',
    maxRetries: 0,
    fetch: async () => new Response(reply, { status: 200, headers: { 'content-type': 'application/json' } }),
  });
  const abortSignal = new AbortController().signal;
  await operations.streamSecrets.run(
    client,
    {},
    {
      request: (send) => send({ abortSignal, timeoutInSeconds: settings.timeoutSeconds, maxRetries: 0 }),
      emit: async () => undefined,
      host: 'warm-up.invalid',
      settings,
    },
  );
}
