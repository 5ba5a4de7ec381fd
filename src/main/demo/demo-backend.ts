import { startEmulator, type RunningEmulator } from '../emulator/server';

/**
 * The demo workspace's API: the project's emulator, started in this process on first use on an
 * ephemeral loopback port. Its data is seeded the same way on every launch, so the demo
 * inventory survives restarts; its key is generated per install and kept in the keychain like
 * any other.
 */
export interface DemoBackend {
  baseUrlFor(apiKey: string): Promise<string>;
  close(): Promise<void>;
}

export function createDemoBackend(): DemoBackend {
  let running: Promise<RunningEmulator> | undefined;
  return {
    async baseUrlFor(apiKey) {
      running ??= startEmulator({ seed: 'demo', keys: [] });
      const emulator = await running;
      emulator.addKey({ key: apiKey, seed: 'demo' });
      return emulator.url;
    },
    async close() {
      if (running) await (await running).close();
    },
  };
}
