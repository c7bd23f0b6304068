/**
 * String rules shared by every text column (DESIGN §1.1): blanks, placeholders, hard limits and
 * odd Unicode.
 */

/**
 * The longest text kept, in UTF-16 code units. The seed's longest real value is 199 characters;
 * anything past this is garbage (a stuck client, an attack) and would bloat Parquet statistics, so
 * it becomes null and is counted as nulled rather than quarantining the whole record.
 */
export const MAX_TEXT_LENGTH = 65_536;

/**
 * Applies the text rules to a raw string field: null stays null; empty, whitespace-only (per
 * `String.prototype.trim`), longer than {@link MAX_TEXT_LENGTH} or equal to one of `placeholders`
 * becomes null; lone surrogates become U+FFFD so the value survives UTF-8 (Parquet) unchanged.
 * Other characters, NUL included, are kept; the text is not trimmed.
 */
export const cleanText = (value: string | null, placeholders?: readonly string[]): string | null => {
  if (value === null || value.length === 0 || value.length > MAX_TEXT_LENGTH) return null;
  const first = value.charCodeAt(0);
  // A printable ASCII first character proves the text is not blank without a trim() copy.
  if ((first <= 32 || first >= 127) && value.trim().length === 0) return null;
  if (placeholders?.includes(value)) return null;
  return value.isWellFormed() ? value : value.toWellFormed();
};
