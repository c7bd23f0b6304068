/**
 * Inline SVG charts for the report: horizontal bars, columns and a heatmap. Each chart is an
 * accessible image (`role="img"`, a title and a description) sized by its viewBox, so it scales
 * with the page; colours come from the page's CSS classes.
 */
import { escapeHtml, formatCompact, formatNumber, truncate } from './format';

/** What a chart is and says, for screen readers and tooltips. */
export interface ChartLabel {
  /** Unique in the page; prefixes the ids of the title and description. */
  readonly id: string;
  readonly title: string;
  /** A sentence summing up the data, read by screen readers. */
  readonly description: string;
}

/** One horizontal bar: a label on the left, an optional name and the value after the bar. */
export interface Bar {
  readonly label: string;
  readonly name?: string;
  readonly value: number;
  readonly highlight?: boolean;
}

/** One column of a column chart. */
export interface ColumnBar {
  readonly label: string;
  readonly value: number;
}

const WIDTH = 600;
/** Rough width of one character of chart text, to leave room for labels. */
const CHAR = 7.6;

function open(label: ChartLabel, height: number, width = WIDTH): string {
  const id = escapeHtml(label.id);
  return (
    `<svg class="chart" viewBox="0 0 ${width} ${height}" style="max-width:${width}px" role="img" ` +
    `aria-labelledby="${id}-title ${id}-desc">` +
    `<title id="${id}-title">${escapeHtml(label.title)}</title>` +
    `<desc id="${id}-desc">${escapeHtml(label.description)}</desc>`
  );
}

const text = (x: number, y: number, cls: string, content: string, anchor = 'start'): string =>
  `<text x="${x}" y="${y}" class="${cls}" text-anchor="${anchor}">${content}</text>`;

/** Horizontal bars, longest = the largest value; highlighted bars use the accent colour. */
export function horizontalBarChart(label: ChartLabel, bars: readonly Bar[], unit: string): string {
  const row = 40;
  const labelChars = Math.max(...bars.map((b) => Math.min(Array.from(b.label).length, 20)), 2);
  const left = Math.round(labelChars * CHAR + 20);
  const nameChars = Math.max(
    ...bars.map((b) => (b.name === undefined ? 0 : Math.min(Array.from(b.name).length, 18))),
  );
  const valueChars = Math.max(...bars.map((b) => formatNumber(b.value).length)) + unit.length + 2;
  const room = WIDTH - left - 8 - (nameChars + valueChars) * CHAR;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const parts = bars.map((bar, i) => {
    const y = 8 + i * row;
    const width = Math.max(2, (bar.value / max) * room);
    const value = `${formatNumber(bar.value)} ${unit}`;
    const name =
      bar.name === undefined ? '' : `<tspan class="name">${escapeHtml(truncate(bar.name, 18))}</tspan> `;
    const tip = `${bar.label}${bar.name === undefined ? '' : `: ${bar.name}`}, ${value}`;
    return (
      `<g class="${bar.highlight === true ? 'bar-row highlight' : 'bar-row'}"><title>${escapeHtml(tip)}</title>` +
      text(left - 12, y + 19, 'label', escapeHtml(truncate(bar.label, 20)), 'end') +
      `<rect x="${left}" y="${y + 2}" width="${width.toFixed(1)}" height="24" rx="4" class="bar"/>` +
      text(left + width + 8, y + 19, 'value', `${name}<tspan class="muted">${escapeHtml(value)}</tspan>`) +
      '</g>'
    );
  });
  return `${open(label, bars.length * row + 12)}${parts.join('')}</svg>`;
}

/** Round tick values from 0 up to at least `max` (steps of 1, 2 or 5 times a power of ten). */
export function niceTicks(max: number, target = 4): number[] {
  if (max <= 0) return [0, 1];
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let t = 0; t < max + step; t += step) ticks.push(t);
  return ticks;
}

/** Vertical columns over a value axis with gridlines; each column is labelled with its value. */
export function columnChart(label: ChartLabel, columns: readonly ColumnBar[]): string {
  const height = 300;
  const [top, bottom, left, right] = [28, 40, 64, 16];
  const ticks = niceTicks(Math.max(...columns.map((c) => c.value), 0));
  const axisMax = ticks[ticks.length - 1] ?? 1;
  const plotHeight = height - top - bottom;
  const band = (WIDTH - left - right) / Math.max(columns.length, 1);
  const yOf = (v: number) => top + plotHeight - (v / axisMax) * plotHeight;
  const grid = ticks.map(
    (t) =>
      `<line x1="${left}" x2="${WIDTH - right}" y1="${yOf(t).toFixed(1)}" y2="${yOf(t).toFixed(1)}" class="grid"/>` +
      text(left - 8, yOf(t) + 4, 'tick', escapeHtml(formatCompact(t)), 'end'),
  );
  const bars = columns.map((c, i) => {
    const width = Math.min(band * 0.62, 72);
    const x = left + i * band + (band - width) / 2;
    const y = yOf(c.value);
    const value = formatNumber(c.value);
    return (
      `<g class="bar-row"><title>${escapeHtml(`${c.label}: ${value}`)}</title>` +
      `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width.toFixed(1)}" ` +
      `height="${(top + plotHeight - y).toFixed(1)}" rx="4" class="bar"/>` +
      text(x + width / 2, y - 7, 'value', escapeHtml(value), 'middle') +
      text(x + width / 2, height - bottom + 22, 'label', escapeHtml(truncate(c.label, 12)), 'middle') +
      '</g>'
    );
  });
  return `${open(label, height)}${grid.join('')}${bars.join('')}</svg>`;
}

/** A grid of coloured cells (log scale, darker = larger) with each value written in its cell. */
export function heatmap(
  label: ChartLabel,
  rows: readonly string[],
  columns: readonly string[],
  valueAt: (row: string, column: string) => number | undefined,
): string {
  const width = 1000;
  const [top, left, cellHeight] = [30, 70, 46];
  const cellWidth = Math.min((width - left - 8) / Math.max(columns.length, 1), 150);
  const values = rows.flatMap((r) => columns.map((c) => valueAt(r, c))).filter((v) => v !== undefined);
  const scale = logScale(values);
  const header = columns.map((c, j) =>
    text(left + j * cellWidth + cellWidth / 2, top - 10, 'label', escapeHtml(c), 'middle'),
  );
  const cells = rows.flatMap((r, i) => [
    text(left - 10, top + i * cellHeight + cellHeight / 2 + 5, 'label', escapeHtml(r), 'end'),
    ...columns.map((c, j) => {
      const value = valueAt(r, c);
      const [x, y] = [left + j * cellWidth + 2, top + i * cellHeight + 2];
      const shade = value === undefined ? 0 : scale(value);
      const cls = value === undefined ? 'cell empty' : shade > 0.55 ? 'cell dark' : 'cell';
      const fill = value === undefined ? '' : ` style="fill-opacity:${(0.12 + shade * 0.88).toFixed(2)}"`;
      const shown = value === undefined ? '–' : formatNumber(value);
      const tip = `${r}, ${c}: ${value === undefined ? 'no data' : shown}`;
      return (
        `<g class="${cls}"><title>${escapeHtml(tip)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y}" width="${(cellWidth - 4).toFixed(1)}" height="${cellHeight - 4}" rx="4"${fill}/>` +
        text(x + (cellWidth - 4) / 2, y + cellHeight / 2 + 2, 'cell-value', escapeHtml(shown), 'middle') +
        '</g>'
      );
    }),
  ]);
  const used = left + columns.length * cellWidth + 8;
  return `${open(label, top + rows.length * cellHeight + 8, used)}${header.join('')}${cells.join('')}</svg>`;
}

/** Maps values to [0, 1] on a log scale between the smallest and largest (all 1 when they are equal). */
function logScale(values: readonly number[]): (value: number) => number {
  const logs = values.map((v) => Math.log10(1 + Math.max(v, 0)));
  const [low, high] = [Math.min(...logs), Math.max(...logs)];
  return (value) => (high === low ? 1 : (Math.log10(1 + Math.max(value, 0)) - low) / (high - low));
}
