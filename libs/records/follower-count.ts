/**
 * follower_count parsing (DESIGN §1.1): the seed stores it as text such as `437`, `26k`, `1M`.
 */

/** Decimal zeros each suffix stands for: k = 1e3, M = 1e6, B = 1e9 (either letter case). */
const SUFFIX_ZEROS: Readonly<Record<string, number>> = { k: 3, K: 3, m: 6, M: 6, b: 9, B: 9 };

/**
 * Reads a follower count, or returns null when the value is not one.
 *
 * Numbers must be non-negative safe integers. Text (surrounding whitespace ignored) is digits with
 * an optional fraction and an optional `k`/`M`/`B` suffix: `437` → 437, `26k` → 26000, `1.2k` →
 * 1200, `2M` → 2000000. The arithmetic is exact: a value that is not a whole number of followers
 * (`12.5`, `1.2345k`) or exceeds 2^53 − 1 gives null, as does anything else (`User Info Error`,
 * `1,234`, `-5`). Never throws.
 */
export const parseFollowerCount = (value: unknown): number | null => {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const last = text.charCodeAt(text.length - 1);
  const zeros = last >= 48 && last <= 57 ? 0 : SUFFIX_ZEROS[text.charAt(text.length - 1)];
  if (zeros === undefined) return null;
  const end = zeros === 0 ? text.length : text.length - 1;
  let whole = 0;
  let i = 0;
  for (; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    whole = whole * 10 + d;
  }
  if (i === 0 || i > 16) return null;
  let fraction = 0;
  let fractionDigits = 0;
  if (i < end) {
    if (text.charCodeAt(i) !== 46 /* . */ || i + 1 === end) return null;
    for (i++; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return null;
      fraction = fraction * 10 + d;
      fractionDigits++;
      if (fractionDigits > 16) return null;
    }
    while (fractionDigits > 0 && fraction % 10 === 0) {
      fraction /= 10;
      fractionDigits--;
    }
    if (fractionDigits > zeros) return null;
  }
  const count = whole * 10 ** zeros + fraction * 10 ** (zeros - fractionDigits);
  return Number.isSafeInteger(count) ? count : null;
};
