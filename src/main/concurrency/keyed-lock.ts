/**
 * Runs tasks one at a time per key (a workspace id): a second task for the same key starts only
 * when the first has settled. Keeps keychain writes and the rows that own them in step when
 * requests race (replace a key while removing the workspace, two replacements at once).
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
