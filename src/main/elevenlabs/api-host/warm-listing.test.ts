import { afterEach, describe, expect, it, vi } from 'vitest';
import * as sdk from '@elevenlabs/elevenlabs-js';
import { operations } from '../operations';
import { defaultApiSettings } from '../types';
import type { SecretBatch } from '../listed-secret';
import { WARM_SECRETS, madeUpListing, warmListing } from './warm-listing';

afterEach(() => vi.restoreAllMocks());

describe('warming the listing in a fresh API host', () => {
  it('runs the SDK and the listing operation on the made-up reply without any request leaving the host', async () => {
    const network = vi.spyOn(globalThis, 'fetch');
    await warmListing(sdk, defaultApiSettings);
    expect(network).not.toHaveBeenCalled();
  });

  it('makes a reply the SDK parses as the published shape, every kind of dependant included', async () => {
    const reply = madeUpListing(WARM_SECRETS);
    const client = new sdk.ElevenLabsClient({
      apiKey: 'test',
      baseUrl: 'http://warm-up.invalid',
      maxRetries: 0,
      fetch: async () => new Response(reply, { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const batches: SecretBatch[] = [];
    const result = await operations.streamSecrets.run(
      client,
      {},
      {
        request: (send) => send({ abortSignal: new AbortController().signal, timeoutInSeconds: 5, maxRetries: 0 }),
        emit: async (batch) => void batches.push(batch),
        host: 'warm-up.invalid',
        settings: defaultApiSettings,
      },
    );
    expect(result).toEqual({ pages: 1, secrets: WARM_SECRETS, unpaged: true });
    const kinds = new Set(batches.flatMap((batch) => batch.dependants.map((values) => values[0])));
    expect([...kinds].sort()).toEqual(['agent', 'mcp_server', 'other', 'phone_number', 'tool']);
    // Made-up agents without access are parsed as such.
    expect(batches.flatMap((batch) => batch.dependants).some((values) => values[3] === 'unknown')).toBe(true);
  });
});
