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
} as const;
