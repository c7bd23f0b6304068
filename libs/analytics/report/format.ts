/** Text helpers for the report: HTML escaping and readable numbers and times. */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A number with thousands separators and at most one decimal, e.g. `114,422.5`; bigints in full. */
export function formatNumber(value: number | bigint): string {
  return NUMBER.format(value);
}

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A short number for axis ticks, e.g. `1.5M`, `26K`. */
export function formatCompact(value: number): string {
  return COMPACT.format(value);
}

/** A UTC time as `2024-01-01 12:00:00 UTC`. */
export function formatTime(time: Date): string {
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Shortens a label to `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
