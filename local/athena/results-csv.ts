/**
 * Query results as Athena writes them to the result location: CSV, a header row, every value quoted
 * (`"` doubled inside), a null as an empty unquoted field.
 */

/** Encodes the header and rows (undefined = null) as Athena's result CSV. */
export function encodeResultsCsv(header: readonly string[], rows: readonly (string | undefined)[][]): string {
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  const line = (values: readonly (string | undefined)[]) =>
    values.map((v) => (v === undefined ? '' : quote(v))).join(',');
  return [line(header), ...rows.map(line)].map((l) => `${l}\n`).join('');
}

/** Decodes Athena's result CSV into rows of fields (undefined for a null); the first row is the header. */
export function decodeResultsCsv(text: string): (string | undefined)[][] {
  const rows: (string | undefined)[][] = [];
  let row: (string | undefined)[] = [];
  let i = 0;
  while (i < text.length) {
    let value: string | undefined;
    if (text[i] === '"') {
      let end = i + 1;
      let out = '';
      for (;;) {
        const quote = text.indexOf('"', end);
        if (quote < 0) throw new Error('unterminated quoted field in result CSV');
        out += text.slice(end, quote);
        if (text[quote + 1] === '"') {
          out += '"';
          end = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      value = out;
    } else {
      value = undefined;
    }
    row.push(value);
    if (text[i] === ',') {
      i += 1;
    } else if (text[i] === '\n') {
      rows.push(row);
      row = [];
      i += 1;
    } else if (i < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[i])} in result CSV`);
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
