import { useNow } from '../../hooks/useNow';
import { relativeTime } from '../../lib/format';

/** Within this distance of now, times are shown to the second (tokens can live seconds). */
const SECONDS_RANGE_MS = 90_000;

/** "in 4 s", "12 s ago", "now"; farther away as the rest of the app says it ("in 5 minutes"). */
export function liveRelative(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) >= SECONDS_RANGE_MS) return relativeTime(at, now);
  const seconds = Math.round(Math.abs(diff) / 1000);
  if (seconds === 0) return 'now';
  return diff > 0 ? `in ${seconds} s` : `${seconds} s ago`;
}

/** "4:59", for a countdown. */
export function countdown(at: number, now: number): string {
  const total = Math.max(0, Math.ceil((at - now) / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * The time for live relative times: every second while one of `times` is within a minute and a
 * half or so (a 5-second token), otherwise every 30 s like the rest of the app.
 */
export function useLiveNow(times: (number | null | undefined)[]): number {
  const coarse = useNow();
  const close = times.some((t) => typeof t === 'number' && Math.abs(t - coarse) < SECONDS_RANGE_MS + 30_000);
  const fine = useNow(close ? 1000 : 30_000);
  return close ? fine : coarse;
}
