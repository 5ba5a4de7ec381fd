import { AppError } from '../errors';

/** Pages of one listing the app will ever ask for: 1,000 pages of 100 is 100,000 secrets. */
export const MAX_LIST_PAGES = 1_000;
/** Pages of one secret's dependants of one kind (100 per page). */
export const MAX_DEPENDANT_PAGES = 100;

/**
 * Keeps a cursor loop finite whatever the server says: a cursor seen before (the server would
 * send the same pages forever) or more pages than the cap ends the loop with a clear error.
 */
export class CursorGuard {
  readonly #seen = new Set<string>();
  #pages = 0;

  constructor(
    private readonly what: string,
    private readonly host: string,
    private readonly maxPages: number,
  ) {}

  /** Call with each page's next cursor before requesting it; throws instead of looping. */
  follow(cursor: string): void {
    this.#pages += 1;
    if (this.#seen.has(cursor)) {
      throw new AppError(
        'unexpected_response',
        `${this.host} sent the same page cursor twice while listing ${this.what}, so it would have sent the same pages forever. Agent Keyring stopped after ${this.#pages} pages.`,
      );
    }
    if (this.#pages >= this.maxPages) {
      throw new AppError(
        'unexpected_response',
        `${this.host} kept sending more pages of ${this.what} (over ${this.maxPages}), more than any workspace Agent Keyring supports. It stopped asking.`,
      );
    }
    this.#seen.add(cursor);
  }
}
