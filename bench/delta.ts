/**
 * `npm run bench -- delta`: the Delta log's costs on the local store.
 * - snapshot load of a 10,000-commit streaming table (one add and one txn per commit, an OPTIMIZE of
 *   the last 100 files every 100 commits, a simulated month so that week-old tombstones expire),
 *   from its newest checkpoint and, for comparison, from the JSON commits alone;
 * - commit latency (median and p95) of small commits: the whole appendFiles path (load the snapshot,
 *   upload a file, commit) and a bare commit with the snapshot in hand;
 * - reading the active files with our reader, against DuckDB's read_parquet of the same list.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Action } from '../libs/delta/actions';
import { serializeActions } from '../libs/delta/actions';
import { writeCheckpoint } from '../libs/delta/checkpoint-writer';
import { commit } from '../libs/delta/commit';
import { commitFileName } from '../libs/delta/paths';
import { readRows } from '../libs/delta/read';
import { ReplayState } from '../libs/delta/replay';
import { loadSnapshot } from '../libs/delta/snapshot';
import { appendFiles, createTable } from '../libs/delta/write';
import { encodeTable } from '../libs/parquet/encode';
import { TABLE_COLUMNS, type UserRow } from '../libs/records/tables';
import { FileStore } from '../libs/storage/file-store';
import { bestOf } from './measure';
import type { BenchOptions, BenchResult, Figures } from './types';

const COMMITS = 10_000;
const COMPACT_EVERY = 100;
// Checkpoints are written for the last versions only: loading reads just the newest one, and writing
// a thousand of them would make the build, not the measurement, the long part of the run.
const CHECKPOINTS_FROM = COMMITS - 100;
const STEP_MS = 250_000;
const LATENCY_COMMITS = 200;

const users = (n: number): UserRow[] =>
  Array.from({ length: n }, (_, i) => ({
    ind: i,
    user_name: `user ${i}`,
    age: 20 + (i % 50),
    date_joined: new Date(Date.UTC(2017, 0, 1 + i)),
    source: `kinesis:streaming-pinlake-user:shardId-000000000000:${i}`,
    ingested_at: new Date(Date.UTC(2024, 0, 1, 0, 0, i)),
  }));

async function buildTable(store: FileStore): Promise<{ buildMs: number; dataFiles: string[] }> {
  const started = performance.now();
  const columns = TABLE_COLUMNS.user;
  await createTable(store, 'big', columns);
  const file = encodeTable(columns, users(10));
  const stats = JSON.stringify(file.stats);
  const state = new ReplayState();
  state.apply((await loadSnapshot(store, 'big')).state.toActions(0), 0);
  const start = Date.now() - COMMITS * STEP_MS;
  let block: string[] = [];
  for (let v = 1; v < COMMITS; v++) {
    const now = start + v * STEP_MS;
    const actions: Action[] = [
      { commitInfo: { timestamp: now, operation: 'STREAMING UPDATE', readVersion: v - 1 } },
    ];
    if (v % COMPACT_EVERY === 0) {
      const path = `part-00000-compacted-${v}-c000.snappy.parquet`;
      actions.push({
        add: {
          path,
          partitionValues: {},
          size: file.bytes.byteLength,
          modificationTime: now,
          dataChange: false,
          stats,
        },
      });
      for (const old of block) {
        actions.push({
          remove: {
            path: old,
            deletionTimestamp: now,
            dataChange: false,
            extendedFileMetadata: true,
            partitionValues: {},
            size: file.bytes.byteLength,
          },
        });
      }
      block = [];
    } else {
      const path = `part-00000-append-${v}-c000.snappy.parquet`;
      block.push(path);
      actions.push({ txn: { appId: `shard-${v % 4}`, version: v, lastUpdated: now } });
      actions.push({
        add: {
          path,
          partitionValues: {},
          size: file.bytes.byteLength,
          modificationTime: now,
          dataChange: true,
          stats,
          tags: { 'pinlake.hwm': `4959033827149025660855969253836157109592157598913${v}` },
        },
      });
    }
    await store.put(`big/${commitFileName(v)}`, serializeActions(actions));
    state.apply(actions, v);
    if (v >= CHECKPOINTS_FROM && v % 10 === 0) await writeCheckpoint(store, 'big', state, now);
  }
  const dataFiles = [...state.files.keys()];
  for (const path of dataFiles) await store.put(`big/${path}`, file.bytes);
  return { buildMs: performance.now() - started, dataFiles };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (ms: number): number => Math.round(ms * 100) / 100;

async function commitLatency(store: FileStore): Promise<Figures> {
  const columns = TABLE_COLUMNS.user;
  await createTable(store, 'small', columns);
  const file = encodeTable(columns, users(5));
  const full: number[] = [];
  for (let i = 1; i <= LATENCY_COMMITS; i++) {
    const t = performance.now();
    await appendFiles(store, 'small', [file], { txn: { appId: 'shard-0', version: i } });
    full.push(performance.now() - t);
  }
  const bare: number[] = [];
  let snapshot = await loadSnapshot(store, 'small');
  for (let i = 1; i <= LATENCY_COMMITS; i++) {
    const t = performance.now();
    const result = await commit(store, 'small', [], { snapshot, txns: [{ appId: 'shard-1', version: i }] });
    bare.push(performance.now() - t);
    if (result.status === 'committed') snapshot = result.snapshot;
  }
  return {
    'appendFiles (load + upload + commit) median ms': round(percentile(full, 50)),
    'appendFiles p95 ms': round(percentile(full, 95)),
    'commit with snapshot in hand median ms': round(percentile(bare, 50)),
    'commit with snapshot in hand p95 ms': round(percentile(bare, 95)),
  };
}

/** Runs the benchmark; see the module comment. */
export const run = async (_options: BenchOptions): Promise<BenchResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'pinlake-bench-delta-'));
  const store = new FileStore(dir);
  const duck = await DuckDBInstance.create(':memory:', { threads: '1' });
  const connection = await duck.connect();
  try {
    const { buildMs, dataFiles } = await buildTable(store);
    const viaCheckpoint = await bestOf(5, () => loadSnapshot(store, 'big'));
    const jsonOnly = await bestOf(1, () => loadSnapshot(store, 'big', { ignoreCheckpoints: true }));
    const snapshot = await loadSnapshot(store, 'big');
    let rows = 0;
    const ourRead = await bestOf(3, async () => {
      rows = (await readRows(store, snapshot)).length;
    });
    const list = dataFiles.map((p) => `'${join(dir, 'big', p)}'`).join(', ');
    let duckRows = 0;
    const duckRead = await bestOf(3, async () => {
      const result = await connection.runAndReadAll(`select * from read_parquet([${list}])`);
      duckRows = result.currentRowCount;
    });
    if (duckRows !== rows) throw new Error(`bench delta: DuckDB read ${duckRows} rows, ours ${rows}`);
    return {
      name: 'delta',
      figures: {
        commits: COMMITS,
        'active files': snapshot.files.length,
        'tombstones kept': snapshot.tombstones.length,
        'loadSnapshot from checkpoint ms': round(viaCheckpoint),
        'loadSnapshot from JSON commits only ms': round(jsonOnly),
        'readRows of the active files ms': round(ourRead),
        rows,
        ...(await commitLatency(store)),
        'table build s': round(buildMs / 1000),
      },
      reference: {
        name: 'DuckDB (threads=1) read_parquet of the same active file list',
        figures: { 'read ms': round(duckRead), rows: duckRows },
      },
      notes: [
        'Local store (FileStore) on this machine; loads are the best of 5 after a warm-up, reads the best of 3.',
        `Checkpoints exist for versions ${CHECKPOINTS_FROM}..${COMMITS - 1} (every 10); loading reads the newest one plus the commits after it.`,
        `Commit latency: ${LATENCY_COMMITS} sequential one-file commits with a txn, median and p95.`,
      ],
    };
  } finally {
    connection.closeSync();
    duck.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
};
