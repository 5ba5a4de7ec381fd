import type { Clock } from '../../src/main/ports/clock';

/** A clock tests move by hand: timers fire when `advance` passes them, never on their own. */
export function manualClock(start = Date.parse('2026-12-01T09:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  let timers: { at: number; run: () => void }[] = [];
  return {
    now: () => now,
    after(ms, run) {
      const timer = { at: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((t) => t !== timer);
      };
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
  };
}
