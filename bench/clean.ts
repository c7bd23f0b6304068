/**
 * The `clean` benchmark: records per second through `cleanRecord` for each kind, on raw bytes
 * built from the real samples, against two references measured in the same run: `JSON.parse` of
 * the same bytes (the floor: cleaning cannot beat parsing) and DuckDB with one thread loading the
 * same records from NDJSON into a table (the usual tool for the job).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  type CleanMeta,
  cleanRecord,
  GeoRawSchema,
  ID_FIELD,
  KINDS,
  type Kind,
  PinRawSchema,
  parseRecordBytes,
  UserRawSchema,
} from '../libs/records';
import { loadConsumerRecords } from '../tests/unit/records/samples';
import { bestOfEach, perSecond, ratio } from './measure';
import type { BenchOptions, BenchResult, Figures } from './types';

const RECORDS = Number(process.env.BENCH_CLEAN_RECORDS ?? 200_000);
const REPEAT = 3;
const SAMPLE_META: CleanMeta = { source: 'sample', ingestedAt: new Date(0) };
const SCHEMAS = { pin: PinRawSchema, geo: GeoRawSchema, user: UserRawSchema };

/** `count` NDJSON records of a kind: the distinct samples over and over, each with its own id. */
const buildNdjson = (kind: Kind, count: number): string => {
  const samples = loadConsumerRecords(kind)
    .map((r) => r.value)
    .filter((value) => cleanRecord(kind, value, SAMPLE_META).ok); // the user dump holds a stray pin and geo
  const lines: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const sample = samples[i % samples.length]!;
    lines[i] = JSON.stringify({ ...sample, [ID_FIELD[kind]]: i });
  }
  return `${lines.join('\n')}\n`;
};

/** The records as Kafka and Kinesis hand them over: one view per record into a batch buffer. */
const splitRecords = (ndjson: Buffer): Buffer[] => {
  const records: Buffer[] = [];
  let start = 0;
  for (let end = ndjson.indexOf(10); end >= 0; end = ndjson.indexOf(10, start)) {
    records.push(ndjson.subarray(start, end));
    start = end + 1;
  }
  return records;
};

const measureKind = async (kind: Kind, dir: string) => {
  const ndjson = Buffer.from(buildNdjson(kind, RECORDS));
  const records = splitRecords(ndjson);
  const values = records.map((bytes) => parseRecordBytes(bytes));
  const meta: CleanMeta = { source: `bench:${kind}`, ingestedAt: new Date() };
  const file = join(dir, `${kind}.ndjson`);
  await writeFile(file, ndjson);
  const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await instance.connect();
  let quarantined = 0;
  try {
    const ms = await bestOfEach(REPEAT, {
      clean: () => {
        quarantined = 0;
        for (const bytes of records) if (!cleanRecord(kind, bytes, meta).ok) quarantined++;
      },
      parse: () => {
        for (const bytes of records) parseRecordBytes(bytes);
      },
      zod: () => {
        for (const value of values) SCHEMAS[kind].safeParse(value);
      },
      duckdb: () =>
        connection.run(`CREATE OR REPLACE TABLE records AS SELECT * FROM read_ndjson_auto('${file}')`),
    });
    if (quarantined > 0) throw new Error(`bench clean: ${quarantined} ${kind} records were quarantined`);
    return { bytes: ndjson.byteLength, ...ms };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
};

/** Runs the benchmark; see the module comment. */
export const run = async (_options: BenchOptions): Promise<BenchResult> => {
  if (!Number.isSafeInteger(RECORDS) || RECORDS < 1) {
    throw new Error(`bench clean: BENCH_CLEAN_RECORDS must be a positive integer, got ${RECORDS}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'pinlake-bench-clean-'));
  const figures: Figures = { 'records per kind': RECORDS };
  const reference: Figures = {};
  try {
    for (const kind of KINDS) {
      const m = await measureKind(kind, dir);
      const clean = perSecond(RECORDS, m.clean);
      const duck = perSecond(RECORDS, m.duckdb);
      const parse = perSecond(RECORDS, m.parse);
      figures[`${kind}: cleanRecord records/s`] = clean;
      figures[`${kind}: MB/s`] = Math.round(m.bytes / 1e6 / (m.clean / 1000));
      figures[`${kind}: ×DuckDB`] = ratio(clean, duck);
      figures[`${kind}: ×JSON.parse`] = ratio(clean, parse);
      figures[`${kind}: ceiling, JSON.parse ×DuckDB`] = ratio(parse, duck);
      figures[`${kind}: zod safeParse alone records/s`] = perSecond(RECORDS, m.zod);
      reference[`${kind}: DuckDB read_ndjson_auto records/s`] = duck;
      reference[`${kind}: JSON.parse records/s`] = parse;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return {
    name: 'clean',
    figures,
    reference: {
      name: 'DuckDB (threads=1) NDJSON → table; JSON.parse alone (the floor)',
      figures: reference,
    },
    notes: [
      'cleanRecord: raw bytes (one Buffer view per record) → clean row, the hot path of every pipeline.',
      'Inputs: the real consumer samples repeated with distinct ids; best of 3 rounds after a warm-up, contenders taking turns each round.',
      'DuckDB loads the same NDJSON into a table with inferred types but applies no cleaning rules.',
      'zod safeParse alone: the documented raw schemas on already-parsed values, for comparison.',
      'ceiling: parsing alone relative to DuckDB; cleaning cannot beat it, so ×DuckDB stays below it.',
    ],
  };
};
