import { defineConfig } from 'vitest/config';

// Unit and integration tests run in plain Node against the real parts: better-sqlite3 files in
// temp folders, keytar on the session's Secret Service, the SDK against the emulator.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Keychain tests share one Secret Service; files still run in parallel, each with its own
    // keychain service name.
    pool: 'forks',
  },
});
