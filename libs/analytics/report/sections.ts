/**
 * One report section per analytics question: a heading, a sentence saying what is counted, and
 * the chart or ranked table that answers it (or a note when there is nothing to show yet).
 */
import type { QueryId } from '../query-ids';
import type { QueryResult, ResultRow, ResultValue } from '../run-queries';
import { type Bar, columnChart, heatmap, horizontalBarChart } from './charts';
import { escapeHtml, formatNumber } from './format';

type Results = ReadonlyMap<QueryId, QueryResult>;

const str = (row: ResultRow, column: string): string => String(row[column] ?? '');
const num = (row: ResultRow, column: string): number => Number(row[column] ?? 0);
const shown = (value: ResultValue | undefined): string =>
  typeof value === 'number' || typeof value === 'bigint'
    ? formatNumber(value)
    : escapeHtml(String(value ?? ''));

interface SectionSpec {
  readonly title: string;
  readonly sub: string;
  readonly wide?: boolean;
  readonly body: (rows: readonly ResultRow[], results: Results) => string;
}

const SECTIONS: { readonly [Id in QueryId]: SectionSpec } = {
  top_category_by_country: {
    title: 'Top category in each country',
    sub: 'The most-posted category per country (distinct posts), countries ranked by that count.',
    body: (rows) =>
      rankedTable('Top category in each country', rows, 'category_count', [
        ['Country', 'country'],
        ['Category', 'category'],
      ]),
  },
  top_user_by_country: {
    title: 'Most-followed poster in each country',
    sub: 'Each country’s poster with the most followers; the overall winner is highlighted.',
    body: (rows, results) => {
      const winner = results.get('top_country_by_followers')?.rows[0];
      return rankedTable(
        'Most-followed poster in each country',
        rows,
        'follower_count',
        [
          ['Country', 'country'],
          ['Poster', 'poster_name'],
        ],
        winner === undefined ? undefined : str(winner, 'country'),
      );
    },
  },
  top_country_by_followers: {
    title: 'Country with the most-followed top poster',
    sub: 'Of every country’s most-followed poster, the one with the most followers.',
    body: (rows, results) => {
      const winner = rows[0] as ResultRow;
      const country = str(winner, 'country');
      const leaders = [...(results.get('top_user_by_country')?.rows ?? [])]
        .sort((a, b) => num(b, 'follower_count') - num(a, 'follower_count'))
        .slice(0, 5);
      const poster = leaders.find((r) => str(r, 'country') === country);
      const callout =
        `<p class="callout"><span class="who">${escapeHtml(country)}</span>` +
        `<span class="how"><strong>${shown(winner.follower_count)}</strong> followers` +
        `${poster === undefined ? '' : ` · ${escapeHtml(str(poster, 'poster_name'))}`}</span></p>`;
      if (leaders.length === 0) return callout;
      const bars: Bar[] = leaders.map((r) => ({
        label: str(r, 'country'),
        name: str(r, 'poster_name'),
        value: num(r, 'follower_count'),
        highlight: str(r, 'country') === country,
      }));
      return (
        callout +
        horizontalBarChart(
          {
            id: 'chart-top-country',
            title: 'Countries whose top poster has the most followers',
            description: `${country} leads with ${formatNumber(num(winner, 'follower_count'))} followers.`,
          },
          bars,
          'followers',
        )
      );
    },
  },
  top_category_by_year: {
    title: 'Top category each year',
    sub: 'The most-posted category per year of posting, 2018–2022 (distinct posts).',
    body: (rows) => topBars('chart-category-year', 'Top category each year', rows, 'post_year'),
  },
  top_category_by_age_group: {
    title: 'Top category by age group',
    sub: 'The most-posted category per age group of the poster (distinct posts).',
    body: (rows) => topBars('chart-category-age', 'Top category by age group', rows, 'age_group'),
  },
  median_followers_by_age_group: {
    title: 'Median followers by age group',
    sub: 'Exact median follower count of the posts in each age group.',
    body: (rows) => columns('chart-median-age', 'Median followers by age group', rows, 'age_group'),
  },
  users_joined_by_year: {
    title: 'Users joined by year',
    sub: 'Users (one per distinct post) by the year they joined, 2015–2020.',
    body: (rows) =>
      columns('chart-joined-year', 'Users joined by year', rows, 'post_year', 'number_users_joined'),
  },
  median_followers_by_join_year: {
    title: 'Median followers by joining year',
    sub: 'Exact median follower count by the year the poster joined, 2015–2020.',
    body: (rows) => columns('chart-median-join', 'Median followers by joining year', rows, 'post_year'),
  },
  median_followers_by_age_group_and_join_year: {
    title: 'Median followers by age group and joining year',
    sub: 'Exact median follower count per age group (rows) and joining year (columns); darker is more.',
    wide: true,
    body: (rows) => {
      const groups = [...new Set(rows.map((r) => str(r, 'age_group')))];
      const years = [...new Set(rows.map((r) => str(r, 'post_year')))].sort();
      const cells = new Map(rows.map((r) => [`${str(r, 'age_group')}|${str(r, 'post_year')}`, r]));
      return heatmap(
        {
          id: 'chart-median-age-join',
          title: 'Median followers by age group and joining year',
          description: `${rows.length} medians over ${groups.length} age groups and ${years.length} joining years.`,
        },
        groups,
        years,
        (group, year) => {
          const row = cells.get(`${group}|${year}`);
          return row === undefined ? undefined : num(row, 'median_follower_count');
        },
      );
    },
  },
};

function topBars(id: string, title: string, rows: readonly ResultRow[], key: string): string {
  const bars = rows.map((r) => ({
    label: str(r, key),
    name: str(r, 'category'),
    value: num(r, 'category_count'),
  }));
  const description = rows.map((r) => `${str(r, key)}: ${str(r, 'category')} (${shown(r.category_count)})`);
  return horizontalBarChart({ id, title, description: `${description.join('; ')}.` }, bars, 'posts');
}

function columns(
  id: string,
  title: string,
  rows: readonly ResultRow[],
  key: string,
  value = 'median_follower_count',
) {
  const bars = rows.map((r) => ({ label: str(r, key), value: num(r, value) }));
  const description = rows.map((r) => `${str(r, key)}: ${shown(r[value])}`);
  return columnChart({ id, title, description: `${description.join('; ')}.` }, bars);
}

/** A table ranked by `valueColumn` (ties share a rank, then by first column) with a meter per row. */
function rankedTable(
  caption: string,
  rows: readonly ResultRow[],
  valueColumn: string,
  textColumns: readonly (readonly [string, string])[],
  winnerKey?: string,
): string {
  const keyColumn = textColumns[0]?.[1] ?? '';
  const sorted = [...rows].sort((a, b) => num(b, valueColumn) - num(a, valueColumn));
  const max = Math.max(...sorted.map((r) => num(r, valueColumn)), 1);
  let rank = 0;
  const body = sorted.map((row, i) => {
    if (i === 0 || num(row, valueColumn) !== num(sorted[i - 1] as ResultRow, valueColumn)) rank = i + 1;
    const winner = winnerKey === undefined ? rank === 1 : str(row, keyColumn) === winnerKey;
    const cells = textColumns.map(([, c], j) => {
      const badge = winner && j === 0 ? '<span class="badge">TOP</span>' : '';
      return `<td>${escapeHtml(str(row, c))}${badge}</td>`;
    });
    const width = ((num(row, valueColumn) / max) * 80).toFixed(0);
    return (
      `<tr${winner ? ' class="winner"' : ''}><td class="rank">${rank}</td>${cells.join('')}` +
      `<td class="num"><span class="meter" style="width:${width}px"></span>${shown(row[valueColumn])}</td></tr>`
    );
  });
  const heads = textColumns.map(([h]) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const valueHead = valueColumn === 'follower_count' ? 'Followers' : 'Posts';
  return (
    `<div class="table-wrap" role="region" tabindex="0" aria-label="${escapeHtml(caption)}">` +
    `<table><caption class="sr-only">${escapeHtml(caption)}</caption>` +
    `<thead><tr><th scope="col">#</th>${heads}<th scope="col" class="num">${valueHead}</th></tr></thead>` +
    `<tbody>${body.join('')}</tbody></table></div>`
  );
}

/** The order of the sections: the two ranked tables side by side, then charts of similar heights in pairs. */
export const REPORT_ORDER: readonly QueryId[] = [
  'top_category_by_country',
  'top_user_by_country',
  'top_country_by_followers',
  'top_category_by_year',
  'top_category_by_age_group',
  'median_followers_by_age_group',
  'users_joined_by_year',
  'median_followers_by_join_year',
  'median_followers_by_age_group_and_join_year',
];

/**
 * The HTML of every question's section, in {@link REPORT_ORDER}, each marked `data-query="<id>"`.
 * A question with no rows, or missing from the results, gets a short note instead of a chart.
 */
export function renderSections(results: readonly QueryResult[]): string {
  const byId: Results = new Map(results.map((r) => [r.id, r]));
  return REPORT_ORDER.map((id) => {
    const spec = SECTIONS[id];
    const result = byId.get(id);
    const body =
      result === undefined
        ? '<p class="empty">Not computed in this run.</p>'
        : result.rows.length === 0
          ? '<p class="empty">No data yet: no posts matched this question.</p>'
          : spec.body(result.rows, byId);
    return (
      `<section class="card${spec.wide === true ? ' wide' : ''}" data-query="${id}" aria-labelledby="h-${id}">` +
      `<h2 id="h-${id}">${escapeHtml(spec.title)}</h2><p class="sub">${escapeHtml(spec.sub)}</p>${body}</section>`
    );
  }).join('\n');
}
