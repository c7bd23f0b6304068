import type { QueryResult } from '../run-queries';
import { escapeHtml, formatNumber, formatTime } from './format';
import { renderSections } from './sections';
import { REPORT_CSS } from './styles';

/** Everything the report shows about one analytics run. */
export interface ReportInput {
  /** The answers, as {@link runQueries} returns them (any subset of the questions). */
  readonly results: readonly QueryResult[];
  /** Rows per table, e.g. `{ pin: 10000, geo: 10000, user: 10000 }`. */
  readonly volumes: Readonly<Record<string, number>>;
  /** The latest `ingested_at` per table (null when the table is empty). */
  readonly freshness: Readonly<Record<string, Date | null>>;
  /** Quarantined records per stream or topic. */
  readonly quarantine: Readonly<Record<string, number>>;
  /** Batches and runs an event source or Lambda gave up on (on-failure records); default 0. */
  readonly onFailure?: number;
  readonly runId: string;
  readonly generatedAt: Date;
}

const LOGO =
  '<svg width="30" height="30" viewBox="0 0 30 30" aria-hidden="true"><circle cx="15" cy="15" r="15" fill="#e60023"/>' +
  '<path d="M15 6.5a7 7 0 0 0-2.6 13.5l-1.3 5.5 3.6-4.6a7 7 0 1 0 .3-14.4z" fill="#fff"/></svg>';

function tiles(input: ReportInput): string {
  const tables = [...new Set([...Object.keys(input.volumes), ...Object.keys(input.freshness)])];
  const tableTiles = tables.map((table) => {
    const rows = input.volumes[table];
    const latest = input.freshness[table];
    return (
      `<div class="tile" data-table="${escapeHtml(table)}"><h2>${escapeHtml(table)} rows</h2>` +
      `<p class="big">${rows === undefined ? '–' : formatNumber(rows)}</p>` +
      `<p class="small">latest ingest<br>${latest == null ? 'none yet' : formatTime(latest)}</p></div>`
    );
  });
  const sources = Object.entries(input.quarantine).filter(([, count]) => count > 0);
  const total = sources.reduce((sum, [, count]) => sum + count, 0);
  const list = sources.map(([source, count]) => `<li>${escapeHtml(source)}: ${formatNumber(count)}</li>`);
  const quarantine =
    `<div class="tile${total > 0 ? ' warn' : ''}" data-table="quarantine"><h2>Quarantined</h2>` +
    `<p class="big">${formatNumber(total)}</p>` +
    (list.length === 0 ? '<p class="small">no records set aside</p>' : `<ul>${list.join('')}</ul>`) +
    '</div>';
  const onFailure = input.onFailure ?? 0;
  const failed =
    onFailure === 0
      ? ''
      : `<div class="tile warn" data-table="onfailure"><h2>Given up</h2><p class="big">${formatNumber(onFailure)}</p>` +
        '<p class="small">batches or runs in <code>quarantine/onfailure/</code></p></div>';
  return `<div class="tiles" aria-label="Run summary">${tableTiles.join('')}${quarantine}${failed}</div>`;
}

/**
 * Renders the analytics report as one self-contained HTML page.
 *
 * The page has no external resources (inline CSS, charts as inline SVG, system fonts), so it opens
 * offline and from any store. It shows the run id and time, rows and latest ingest per table,
 * quarantine counts, and one section per question (`data-query="<id>"`), with a note where a
 * question has no rows. All text from the data is HTML-escaped. Pure: writes nothing.
 */
export function renderReport(input: ReportInput): string {
  const generated = formatTime(input.generatedAt);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>pinlake analytics · ${escapeHtml(input.runId)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><div class="wrap">
<div class="brand">${LOGO}<span>pinlake</span></div>
<h1>Analytics report</h1>
<p class="meta">Run <code>${escapeHtml(input.runId)}</code> · generated <time datetime="${input.generatedAt.toISOString()}">${generated}</time></p>
</div></header>
<main class="wrap">
${tiles(input)}
<div class="grid">
${renderSections(input.results)}
</div>
</main>
<footer class="wrap"><p>Counts are over distinct posts (records sharing an <code>ind</code> are one post; the first ingested is kept). Medians are exact and interpolated over known follower counts. Ties go to the name first in code-point order.</p></footer>
</body>
</html>
`;
}
