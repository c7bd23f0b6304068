import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './sls';

// Which fixtures under events/ each function takes, by the event source and route they stand for.

/** The eight functions, in serverless.yml's order. */
export const FUNCTIONS = [
  'ingest-batch',
  'ingest-stream',
  'land-topics',
  'stream-to-delta',
  'commit-staged',
  'batch-clean',
  'batch-analytics',
  'maintain-tables',
] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

/** Every fixture file, as `<source>/<variant>.json`, sorted. */
export function allFixtures(): string[] {
  const dir = join(ROOT, 'events');
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(join(dir, entry.name))
        .filter((file) => file.endsWith('.json'))
        .map((file) => `${entry.name}/${file}`),
    )
    .sort();
}

/** The event-driven function a fixture is for; undefined for schedule fixtures and unknown sources. */
function functionOf(fixture: string): FunctionName | undefined {
  const [source = '', variant = ''] = fixture.split('/');
  if (source === 'apigw') return variant.startsWith('rest-proxy-') ? 'ingest-batch' : 'ingest-stream';
  if (source === 'msk') return 'land-topics';
  if (source === 'kinesis') return 'stream-to-delta';
  return undefined;
}

const SCHEDULED: readonly FunctionName[] = [
  'commit-staged',
  'batch-clean',
  'batch-analytics',
  'maintain-tables',
];

/** Each function's fixtures; a scheduled function takes every `schedule/` fixture. */
export function fixturesByFunction(): Record<FunctionName, string[]> {
  const map = Object.fromEntries(FUNCTIONS.map((name) => [name, [] as string[]])) as Record<
    FunctionName,
    string[]
  >;
  for (const fixture of allFixtures()) {
    if (fixture.startsWith('schedule/')) for (const name of SCHEDULED) map[name].push(fixture);
    const name = functionOf(fixture);
    if (name !== undefined) map[name].push(fixture);
  }
  return map;
}
