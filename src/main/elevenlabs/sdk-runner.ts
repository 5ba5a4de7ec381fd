import { setTimeout as sleep } from 'node:timers/promises';
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { AppError } from '../errors';
import { redactorFor } from '../logging/redactor';
import { toApiProblem } from './api-problem';
import { hostOf } from './endpoints';
import { guardedFetch } from './guarded-fetch';
import { warmListing } from './api-host/warm-listing';
import { operations, type OperationContext, type OperationName, type SdkRequestOptions } from './operations';
import type { ApiSettings, ApiTarget, RetryNotice } from './types';

type Sdk = typeof import('@elevenlabs/elevenlabs-js');

export interface RunOptions {
  signal: AbortSignal;
  /** Resolves once the event has left for the caller. */
  emit(event: unknown): Promise<void>;
  onRetry(notice: RetryNotice): void;
}

/** Clients kept for reuse (their connection pools); a handful of workspaces is the normal case. */
const MAX_CLIENTS = 50;

/**
 * Runs operations from the table with the official SDK, inside the API host. The one place where
 * requests get their timeout, cancellation and retry policy, where errors become AppErrors, and
 * where everything a server sent back is scrubbed of the key that was sent to it.
 */
export function createSdkRunner(settings: ApiSettings, now: () => number = Date.now) {
  let sdk: Promise<Sdk> | undefined;
  const clients = new Map<string, Promise<ElevenLabsClient>>();
  const loadSdk = () => (sdk ??= import('@elevenlabs/elevenlabs-js'));

  const clientFor = (target: ApiTarget): Promise<ElevenLabsClient> => {
    const key = `${target.baseUrl}\u0000${target.apiKey}`;
    let client = clients.get(key);
    if (!client) {
      if (clients.size >= MAX_CLIENTS) clients.clear();
      client = loadSdk().then(
        ({ ElevenLabsClient }) =>
          new ElevenLabsClient({
            // Always explicit, so ELEVENLABS_API_KEY from the environment is never used by accident.
            apiKey: target.apiKey,
            baseUrl: target.baseUrl,
            timeoutInSeconds: settings.timeoutSeconds,
            maxRetries: 0,
            fetch: guardedFetch(),
          }),
      );
      clients.set(key, client);
    }
    return client;
  };

  return {
    /** Loads the SDK now, ahead of the first call (a failure shows at that call). */
    preload: (): Promise<unknown> => loadSdk().catch(() => undefined),
    /** Runs the listing's code on a made-up reply (warm-listing.ts); a failure only means it stays cold. */
    warm: (): Promise<void> =>
      loadSdk()
        .then((loaded) => warmListing(loaded, settings))
        .catch(() => undefined),
    async run(target: ApiTarget, name: OperationName, request: unknown, options: RunOptions): Promise<unknown> {
      const spec = operations[name] as {
        retries: 'reads' | 'rate_limit_only';
        secrets?: (request: unknown) => string[];
        run(client: ElevenLabsClient, request: unknown, context: OperationContext<unknown>): Promise<unknown>;
      };
      const credentials = redactorFor([target.apiKey, ...(spec.secrets?.(request) ?? [])]);
      const host = hostOf(target.baseUrl);
      const problem = (error: unknown) => {
        const mapped = toApiProblem(error, { host, credentials, aborted: options.signal.aborted, now });
        return new AppError(mapped.code, credentials.scrub(mapped.message), credentials.scrubDeep(mapped.extra));
      };
      const context: OperationContext<unknown> = {
        host,
        settings,
        emit: (event) => options.emit(credentials.scrubDeep(event)),
        request: (send) =>
          sendWithPolicy(send, { retries: spec.retries, settings, signal: options.signal, problem, onRetry: options.onRetry }),
      };
      try {
        const client = await clientFor(target);
        // Whatever the server sent back is data to show and store: it never carries the key.
        return credentials.scrubDeep(await spec.run(client, request, context));
      } catch (error) {
        throw problem(error);
      }
    },
  };
}

/**
 * One HTTP request: the SDK's own retries are off, so they happen here: a 429 for as long as the
 * server asks (up to `maxRetryWaitSeconds`), and, for reads only, a 5xx with back-off.
 */
async function sendWithPolicy<T>(
  send: (options: SdkRequestOptions) => Promise<T>,
  policy: {
    retries: 'reads' | 'rate_limit_only';
    settings: ApiSettings;
    signal: AbortSignal;
    problem: (error: unknown) => AppError;
    onRetry: (notice: RetryNotice) => void;
  },
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await perRequest(policy.signal, (abortSignal) =>
        send({ abortSignal, timeoutInSeconds: policy.settings.timeoutSeconds, maxRetries: 0 }),
      );
    } catch (error) {
      const problem = policy.problem(error);
      const waitSeconds = retryWaitSeconds(problem, attempt, policy.retries);
      const retry = attempt < policy.settings.maxRetries && waitSeconds !== undefined && waitSeconds <= policy.settings.maxRetryWaitSeconds;
      if (!retry) throw problem;
      policy.onRetry({ attempt: attempt + 1, code: problem.code, waitSeconds });
      try {
        await sleep(waitSeconds * 1000, undefined, { signal: policy.signal });
      } catch {
        throw new AppError('cancelled', 'Cancelled.');
      }
    }
  }
}

/** How long to wait before retrying, or undefined when the failure is not worth a retry. */
function retryWaitSeconds(problem: AppError, attempt: number, retries: 'reads' | 'rate_limit_only'): number | undefined {
  if (problem.code === 'rate_limited') return problem.extra.retryAfterSeconds ?? backoffSeconds(attempt);
  if (problem.code === 'server_error' && retries === 'reads') return backoffSeconds(attempt);
  return undefined;
}

/** 1 s, 2 s, 4 s... with ±10 % jitter, so clients that failed together do not retry together. */
function backoffSeconds(attempt: number): number {
  return Math.round(2 ** attempt * (0.9 + Math.random() * 0.2) * 10) / 10;
}

/**
 * The SDK adds an abort listener per request and never removes it; each request gets a signal
 * of its own so a 1,000-page listing does not pile listeners onto the operation's signal.
 */
function perRequest<T>(signal: AbortSignal, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  return run(controller.signal).finally(() => signal.removeEventListener('abort', forward));
}
