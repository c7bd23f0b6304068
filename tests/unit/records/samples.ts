/**
 * The real sample records (fixtures/SOURCES.md): Kafka consumer dumps of the three topics and the
 * older pin schema, for the cleaning tests and the `clean` benchmark.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kind } from '../../../libs/records';

const FIXTURES = join(__dirname, 'fixtures');

/** One record as the Kafka console consumer printed it. */
export interface ConsumerRecord {
  topic: string;
  key: unknown;
  value: Record<string, unknown>;
  partition: number;
  offset: number;
}

/** The consumer records of a kind's topic, in file order (duplicates and strays included). */
export const loadConsumerRecords = (kind: Kind): ConsumerRecord[] =>
  JSON.parse(readFileSync(join(FIXTURES, `${kind}_consumer.sample`), 'utf8')) as ConsumerRecord[];

/** The 200 pins of the older schema (no poster_name, category first), split from the concatenated file. */
export const loadOlderPins = (): Record<string, unknown>[] => {
  const text = readFileSync(join(FIXTURES, 'pinterest_data.sample'), 'utf8');
  return text
    .replace(/}\s*{/g, '}\n{')
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
};
