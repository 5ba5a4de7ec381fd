// The API host process: owns the official SDK (1.5 s and ~100 MB to load) so the main process
// stays light and never blocks on it. Started by the main process as an Electron utility
// process, or as a Node child process by the preview and tests. Answers one message per call.
import { AppError } from '../../errors';
import { createSdkGateway, type SdkGatewayOptions } from '../sdk-gateway';
import type { ApiTarget, WorkspaceApi } from '../types';
import type { FromHost, ToHost } from './protocol';

interface ParentPort {
  on(event: 'message', listener: (event: { data: ToHost }) => void): void;
  postMessage(message: FromHost): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
const send = (message: FromHost): void => {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
};

const options = JSON.parse(process.env['AGENT_KEYRING_API_OPTIONS'] ?? '{}') as Partial<SdkGatewayOptions>;
const gateway = createSdkGateway({ timeoutSeconds: 30, maxRetries: 2, ...options });
/** One SDK client per workspace target, reused across calls. */
const clients = new Map<string, WorkspaceApi>();
const running = new Map<number, AbortController>();

function apiFor(target: ApiTarget): WorkspaceApi {
  const key = `${target.baseUrl}\u0000${target.apiKey}`;
  let api = clients.get(key);
  if (!api) {
    if (clients.size > 50) clients.clear();
    clients.set(key, (api = gateway.forWorkspace(target)));
  }
  return api;
}

async function handle(message: ToHost): Promise<void> {
  if (message.type === 'abort') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const api = apiFor(message.target);
    const method = api[message.method] as (...args: unknown[]) => Promise<unknown>;
    const args = message.method === 'streamSecrets' ? [...message.args, (items: unknown) => send({ type: 'page', id: message.id, value: items })] : message.args;
    // Every method takes its abort signal last; this call's own stands in for the caller's.
    send({ type: 'result', id: message.id, value: await method.apply(api, [...args, controller.signal]) });
  } catch (error) {
    const problem = error instanceof AppError ? error.toIpcError() : { code: 'internal' as const, message: 'The API host failed unexpectedly.' };
    send({ type: 'error', id: message.id, error: problem });
  } finally {
    running.delete(message.id);
  }
}

if (parentPort) parentPort.on('message', (event) => void handle(event.data));
else {
  process.on('message', (message: ToHost) => void handle(message));
  // A Node child whose parent is gone has nobody to answer.
  process.on('disconnect', () => process.exit(0));
}
