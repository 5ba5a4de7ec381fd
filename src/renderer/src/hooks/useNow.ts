import { useSyncExternalStore } from 'react';

/** One shared clock for every relative time on screen ("3 minutes ago"), ticking every 30 s. */
const TICK_MS = 30_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** Refreshes the clock now (e.g. after a sync finished), so times never read "in 1 minute". */
export function tickNow(): void {
  now = Date.now();
  for (const l of listeners) l();
}

export function useNow(): number {
  return useSyncExternalStore(subscribe, () => now);
}
