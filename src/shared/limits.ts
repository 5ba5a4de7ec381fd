/** Size limits for everything the renderer may send. Checked by the IPC schemas in main. */
export const LIMITS = {
  label: 80,
  apiKey: 512,
  /** Shortest API key accepted, and shortest value the log and reply redactor learns. */
  minCredential: 8,
  url: 2048,
  id: 128,
  searchQuery: 200,
  pageSize: 500,
  maxOffset: 10_000_000,
  workspacesPerRequest: 100,
  /** A workspace secret's name (the emulator enforces the same; the live API's limit is unknown). */
  secretName: 100,
  /** A secret value: generous for keys, tokens and certificates, small enough to stay in a keychain entry. */
  secretValue: 64 * 1024,
  note: 2000,
  tag: 40,
  tagsPerSecret: 20,
  secretsPerRequest: 1000,
  /** An imported .env file. */
  envFile: 1024 * 1024,
} as const;
