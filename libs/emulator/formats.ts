/** The text forms of raw values: seed-style timestamps and follower counts. */
import { MILLIONS_SHARE, THOUSANDS_SHARE } from './shares';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** "YYYY-MM-DD HH:MM:SS" for whole epoch seconds (1970 onwards), in UTC. */
export function formatTimestamp(epochSeconds: number): string {
  // Days to a civil date (the proleptic Gregorian algorithm), cheaper than Date#toISOString.
  const days = Math.floor(epochSeconds / 86400);
  const secondOfDay = epochSeconds - days * 86400;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  return `${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(secondOfDay % 60)}`;
}

const below1 = (x: number): number => Math.min(x, 1 - 2 ** -32);

/** 1–999 spread evenly over the decades 1-9, 10-99, 100-999 (log-like) for `x` in [0, 1]. */
function decades(x: number): number {
  const d = Math.floor(below1(x) * 3);
  return Math.floor(10 ** d * (1 + 9 * (below1(x) * 3 - d)));
}

/** "26k", "2M" or "437" for a follower quantile `f` in [0, 1): smaller `f`, more followers. */
export function formatFollowers(f: number): string {
  const millionsEnd = MILLIONS_SHARE;
  const thousandsEnd = millionsEnd + THOUSANDS_SHARE;
  if (f < millionsEnd) {
    const x = below1(1 - f / millionsEnd);
    return `${Math.floor(1 + 15 * x * x * x)}M`;
  }
  if (f < thousandsEnd) return `${decades(1 - (f - millionsEnd) / (thousandsEnd - millionsEnd))}k`;
  return String(decades(1 - (f - thousandsEnd) / (1 - thousandsEnd)) - 1);
}
