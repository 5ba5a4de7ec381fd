// Shared by the emulator's tests: start one emulator per test file and talk to it through the
// official SDK, or raw fetch where the SDK refuses to send what a test needs.
import { ElevenLabsClient, ElevenLabsError } from '@elevenlabs/elevenlabs-js';
import { afterAll, beforeAll, expect } from 'vitest';
import { startEmulator } from '../../src/emulator/server';
import type { EmulatorOptions, RunningEmulator } from '../../src/emulator/types';

export const FULL_KEY = 'sk_test_full';

/** Starts an emulator before the file's tests and closes it after; call the getter inside tests. */
export function useEmulator(options: EmulatorOptions = {}): () => RunningEmulator {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ keys: [{ key: FULL_KEY }], ...options });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return () => {
    if (emulator === undefined) throw new Error('emulator not started');
    return emulator;
  };
}

export function sdk(
  emulator: RunningEmulator,
  apiKey = FULL_KEY,
  options: { maxRetries?: number; timeoutInSeconds?: number } = {},
): ElevenLabsClient {
  return new ElevenLabsClient({ apiKey, baseUrl: emulator.url, maxRetries: 0, ...options });
}

/** The error an SDK call rejects with; fails the test when it resolves. */
export async function sdkError(call: Promise<unknown>): Promise<ElevenLabsError> {
  const outcome = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ElevenLabsError);
  return outcome as ElevenLabsError;
}

export interface RawReply {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function raw(
  emulator: RunningEmulator,
  method: string,
  path: string,
  options: { apiKey?: string; body?: unknown; rawBody?: string } = {},
): Promise<RawReply> {
  const headers: Record<string, string> = {};
  if (options.apiKey !== undefined) headers['xi-api-key'] = options.apiKey;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
