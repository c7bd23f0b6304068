/**
 * Printing benchmark results and keeping docs/benchmarks.md up to date.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import type { BenchResult, Figures } from './types';

const HEADER = `# Benchmarks

Measured with \`npm run bench -- [name…] [--json]\`. Each section is rewritten by the run that measured it,
with the machine it ran on; the reference is measured in the same run. Benchmarks are never timed tests.
`;

/** The machine a run is on, in one line. */
export const describeMachine = (): string => {
  const all = cpus();
  const model = all[0]?.model.trim() ?? 'unknown CPU';
  const memory = `${Math.round(totalmem() / 2 ** 30)} GiB`;
  const node = `Node ${process.version} (${process.platform}-${process.arch})`;
  return `${all.length} × ${model}, ${memory}, ${node}, load average ${loadavg()[0]?.toFixed(1)} at the start`;
};

/** A figure as people read it: thousands separated, small numbers with three significant digits. */
export const formatFigure = (value: number | string): string => {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
};

const rows = (figures: Figures): [string, string][] =>
  Object.entries(figures).map(([key, value]) => [key, formatFigure(value)]);

/** A result as an aligned plain-text table for the terminal. */
export const formatTable = (result: BenchResult): string => {
  const lines = [`${result.name}`];
  const sections: [string, Figures][] = [['', result.figures]];
  if (result.reference) sections.push([`reference: ${result.reference.name}`, result.reference.figures]);
  const width = Math.max(...sections.flatMap(([, f]) => Object.keys(f).map((k) => k.length)));
  for (const [title, figures] of sections) {
    if (title) lines.push(`  ${title}`);
    for (const [key, value] of rows(figures)) lines.push(`    ${key.padEnd(width)}  ${value.padStart(14)}`);
  }
  for (const note of result.notes ?? []) lines.push(`  note: ${note}`);
  return lines.join('\n');
};

/** A two-column Markdown table, aligned as the repository's formatter (Biome) writes it. */
const markdownTable = (figures: Figures): string[] => {
  const body = rows(figures);
  const left = Math.max(6, ...body.map(([key]) => key.length));
  const right = Math.max(5, ...body.map(([, value]) => value.length));
  return [
    `| ${'figure'.padEnd(left)} | ${'value'.padStart(right)} |`,
    `| ${'-'.repeat(left)} | ${'-'.repeat(right - 1)}: |`,
    ...body.map(([key, value]) => `| ${key.padEnd(left)} | ${value.padStart(right)} |`),
  ];
};

/** The Markdown section of a result, markers included. */
export const formatSection = (result: BenchResult, date: Date, machine: string): string => {
  const lines = [
    `<!-- bench:${result.name}:start -->`,
    `## ${result.name}`,
    '',
    `Measured ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}.`,
    '',
    ...markdownTable(result.figures),
  ];
  if (result.reference) {
    lines.push('', `Reference: ${result.reference.name}`, '', ...markdownTable(result.reference.figures));
  }
  if (result.notes?.length) lines.push('', ...result.notes.map((note) => `- ${note}`));
  lines.push(`<!-- bench:${result.name}:end -->`);
  return lines.join('\n');
};

/**
 * Returns `document` (or a new benchmarks page when it is empty) with the result's section
 * replaced between its markers, or appended when it has none yet. Other sections are untouched.
 */
export const replaceSection = (document: string, name: string, section: string): string => {
  const base = document.trim() === '' ? HEADER : document;
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = base.indexOf(start);
  const to = base.indexOf(end, from);
  if (from >= 0 && to > from) return base.slice(0, from) + section + base.slice(to + end.length);
  return `${base.trimEnd()}\n\n${section}\n`;
};
