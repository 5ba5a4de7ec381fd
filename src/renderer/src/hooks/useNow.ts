import { useCallback, useSyncExternalStore } from 'react';

/**
 * Shared clocks for times on screen: every 30 s for "3 minutes ago", every second for a live
 * countdown. One timer per interval, whoever listens.
 */
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer: ReturnType<typeof setInterval> | undefined;
}

const clocks = new Map<number, Clock>();

function clockOf(intervalMs: number): Clock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = { now: Date.now(), listeners: new Set(), timer: undefined };
    clocks.set(intervalMs, clock);
  }
  return clock;
}

function subscribeTo(intervalMs: number, listener: () => void): () => void {
  const clock = clockOf(intervalMs);
  clock.listeners.add(listener);
  if (!clock.timer) {
    clock.now = Date.now();
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const l of clock.listeners) l();
    }, intervalMs);
  }
  return () => {
    clock.listeners.delete(listener);
    if (clock.listeners.size === 0 && clock.timer) {
      clearInterval(clock.timer);
      clock.timer = undefined;
    }
  };
}

/** Refreshes every clock now (e.g. after a sync finished), so times never read "in 1 minute". */
export function tickNow(): void {
  const now = Date.now();
  for (const clock of clocks.values()) {
    clock.now = now;
    for (const l of clock.listeners) l();
  }
}

/** The time, refreshed every `intervalMs` (30 s unless a countdown needs seconds). */
export function useNow(intervalMs = 30_000): number {
  const subscribe = useCallback((listener: () => void) => subscribeTo(intervalMs, listener), [intervalMs]);
  return useSyncExternalStore(subscribe, () => clockOf(intervalMs).now);
}
