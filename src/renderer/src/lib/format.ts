import { dependantCountParts } from '../../../shared/dependants';
import type { DependantCounts } from '../../../shared/schemas/inventory';

const numberFormat = new Intl.NumberFormat();
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** "1 secret", "1,234 secrets". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/** "just now", "3 minutes ago", "yesterday". */
export function relativeTime(at: number, now: number): string {
  const diff = at - now;
  if (Math.abs(diff) < 45_000) return 'just now';
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms || unit === 'minute') {
      return relativeFormat.format(Math.round(diff / ms), unit);
    }
  }
  return relativeFormat.format(Math.round(diff / 60_000), 'minute');
}

/**
 * "just now", "5 min ago", "3 h ago", "2 days ago": relativeTime cut to fit narrow places (the
 * sidebar), where the full form ("5 minutes ago") is the tooltip. A time ahead of this
 * computer's clock is "just now".
 */
export function shortRelativeTime(at: number, now: number): string {
  const ago = now - at;
  if (ago < 45_000) return 'just now';
  const minutes = Math.max(1, Math.round(ago / 60_000));
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 2) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  if (days < 30) return `${Math.round(days / 7)} wk ago`;
  if (days < 365) return `${Math.round(days / 30)} mo ago`;
  return `${Math.round(days / 365)} yr ago`;
}

/** "10:42", or "Mar 3, 10:42" when not today. */
export function clockTime(at: number, now: number): string {
  const date = new Date(at);
  const today = new Date(now);
  const time = date.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
  if (date.toDateString() === today.toDateString()) return time;
  return `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: date.getFullYear() === today.getFullYear() ? undefined : 'numeric' })}, ${time}`;
}

/** Full date and time, for tooltips and detail panes. */
export function fullDateTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function dateOnly(at: number): string {
  return new Date(at).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** "2 agents · 1 tool · 1 phone number", or "Unused" (the by-kind parts are the shared formatter's). */
export function dependantsSummary(counts: DependantCounts): string {
  const parts = dependantCountParts(counts);
  return parts.length ? parts.join(' · ') : 'Unused';
}

/** Curly-quoted, as the app's messages quote names. */
export function quoted(name: string): string {
  return `“${name}”`;
}
