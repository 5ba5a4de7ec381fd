/**
 * The OS keychain, reduced to what the app needs. Every secret value lives here and only here;
 * the database holds the account name ("ref") that points at it.
 */
export interface Keychain {
  /** Human-readable backend, e.g. "Secret Service (libsecret)". */
  readonly description: string;
  get(ref: string): Promise<string | null>;
  set(ref: string, value: string): Promise<void>;
  /** True when an entry was deleted, false when there was none. */
  delete(ref: string): Promise<boolean>;
}
