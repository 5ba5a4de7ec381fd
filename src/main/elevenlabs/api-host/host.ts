// The API host process: owns the official SDK (about 100 MB once loaded) so the main process
// stays light and never blocks on it. Started by the main process as an Electron utility
// process, or as a Node child process by the preview and tests. Runs operations from the table
// in ../operations.ts and answers each call with events, then one result or error.
import { enableCompileCache } from './compile-cache';
import { AppError } from '../../errors';
import { operations, type OperationName } from '../operations';
import { createSdkRunner } from '../sdk-runner';
import { defaultApiSettings, type ApiSettings } from '../types';
import { API_SETTINGS_ENV, CODE_CACHE_DIR_ENV, type FromHost, type ToHost } from './protocol';

// Before the SDK is loaded: a host started after an idle stop reads its compiled code instead of
// parsing it again. Written once the SDK has loaded and no call is waiting.
const compileCache = enableCompileCache(process.env[CODE_CACHE_DIR_ENV], __dirname);

interface ParentPort {
  on(event: 'message', listener: (event: { data: ToHost }) => void): void;
  postMessage(message: FromHost): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (message: FromHost): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};
/**
 * Sends, resolving once the message has left (a Node child's pipe holds 64 KiB: a large page
 * leaves only while this process waits), so the next page is shaped while main takes this one.
 */
const sent = (message: FromHost): Promise<void> =>
  new Promise((resolve) => {
    if (parentPort || !process.send) {
      send(message);
      setImmediate(resolve);
    } else process.send(message, undefined, undefined, () => resolve());
  });

const settings: ApiSettings = { ...defaultApiSettings, ...(JSON.parse(process.env[API_SETTINGS_ENV] ?? '{}') as Partial<ApiSettings>) };
const runner = createSdkRunner(settings);
// The SDK is loaded as soon as the host starts, not at its first call: main starts the host
// ahead of need (a sync's keychain reads, a plan the user is reading), and the load overlaps that.
let sdkLoaded = false;
const running = new Map<number, AbortController>();
const flushWhenQuiet = () => {
  if (sdkLoaded && running.size === 0) setImmediate(() => compileCache.flush());
};
// Once, the first time the host has nothing to do: the listing's code is warmed (no call is
// made to wait for it), then the compiled code is written.
let warmed = false;
const warmWhenQuiet = () => {
  if (warmed || !sdkLoaded || running.size > 0) return;
  warmed = true;
  setImmediate(() => void runner.warm().then(flushWhenQuiet));
};
void runner.preload().then(() => {
  sdkLoaded = true;
  warmWhenQuiet();
  flushWhenQuiet();
});

async function handle(message: ToHost): Promise<void> {
  if (message.type === 'abort') {
    running.get(message.id)?.abort();
    return;
  }
  const { id } = message;
  const controller = new AbortController();
  running.set(id, controller);
  try {
    if (!Object.hasOwn(operations, message.operation)) throw new AppError('internal', 'Unknown API operation.');
    const value = await runner.run(message.target, message.operation as OperationName, message.request, {
      signal: controller.signal,
      emit: (event) => sent({ type: 'event', id, value: event }),
      onRetry: (notice) => send({ type: 'retry', id, notice }),
    });
    send({ type: 'result', id, value });
  } catch (error) {
    const problem =
      error instanceof AppError ? error.toIpcError() : { code: 'internal' as const, message: 'The API host failed unexpectedly.' };
    send({ type: 'error', id, error: problem });
  } finally {
    running.delete(id);
    warmWhenQuiet();
    flushWhenQuiet();
  }
}

if (parentPort) parentPort.on('message', (event) => void handle(event.data));
else {
  process.on('message', (message: ToHost) => void handle(message));
  // A Node child whose parent is gone has nobody to answer.
  process.on('disconnect', () => process.exit(0));
}
