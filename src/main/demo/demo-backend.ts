import type { Logger } from '../logging/logger';
import { startEmulator, type RunningEmulator } from '../../emulator/server';

/**
 * The demo workspace's API: the project's emulator, started in this process on first use on an
 * ephemeral loopback port. Its data is seeded the same way on every launch, so the demo
 * inventory survives restarts; its key is generated per install and kept in the keychain like
 * any other. It has no control endpoints (nothing may inject faults or build seeds through it)
 * and answers only the keys the app admits: the one stored with the demo workspace.
 */
export interface DemoBackend {
  /** The emulator's address, accepting `apiKey` as the demo workspace's key. */
  baseUrlFor(apiKey: string): Promise<string>;
  close(): Promise<void>;
}

export function createDemoBackend(log: Logger): DemoBackend {
  let running: Promise<RunningEmulator> | undefined;
  return {
    async baseUrlFor(apiKey) {
      running ??= startEmulator({
        seed: 'demo',
        keys: [],
        controlEndpoints: false,
        log: (message, fields) => log.warn(`demo emulator: ${message}`, fields),
      });
      const emulator = await running;
      emulator.addKey({ key: apiKey, seed: 'demo' });
      return emulator.url;
    },
    async close() {
      if (running) await (await running).close();
    },
  };
}
