/**
 * The reliability tests' bookkeeping: clients that send records with unique ids and note every one
 * the API acknowledged (HTTP 200, REST Proxy record without an error code), and a reading of the lake
 * that finds each id in the stream tables and in the raw landing (by Kafka offset, so a file landed
 * twice is not a duplicate, a record produced twice is).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { listRawFiles, listRawIndexes, readRawFile } from '../../../libs/batch';
import { loadSnapshot, readRows } from '../../../libs/delta';
import { generatePosts } from '../../../libs/emulator';
import { judgeReply } from '../../../libs/emulator/poster-http';
import { KINDS, type Kind } from '../../../libs/records';
import type { ObjectStore } from '../../../libs/storage';
import { firstLine } from '../../helpers/first-line';

export const bin = join(__dirname, '../../../bin/pinlake.js');

/** The ids acknowledged per path and kind. */
export type Acked = Record<'stream' | 'batch', Record<Kind, Set<number>>>;

export const emptyAcked = (): Acked => ({
  stream: { pin: new Set(), geo: new Set(), user: new Set() },
  batch: { pin: new Set(), geo: new Set(), user: new Set() },
});

const template = [...generatePosts({ posts: 1, seed: 7 })][0]!;

/** The raw record of `kind` for post `id` (the template post with its id replaced). */
function recordOf(kind: Kind, id: number): Record<string, unknown> {
  return kind === 'pin' ? { ...template.pin, index: id } : { ...template[kind], ind: id };
}

/** Sends one record on one path; resolves whether the API acknowledged it (network errors: false). */
async function sendRecord(api: string, pipelineId: string, path: 'stream' | 'batch', kind: Kind, id: number) {
  const record = recordOf(kind, id);
  try {
    const response =
      path === 'stream'
        ? await fetch(`${api}/streams/streaming-${pipelineId}-${kind}/record`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              StreamName: `streaming-${pipelineId}-${kind}`,
              Data: record,
              PartitionKey: String(id),
            }),
          })
        : await fetch(`${api}/topics/${pipelineId}.${kind}`, {
            method: 'POST',
            headers: { 'content-type': 'application/vnd.kafka.json.v2+json' },
            body: JSON.stringify({ records: [{ value: record }] }),
          });
    const body = await response.text();
    return judgeReply(path === 'batch', { status: response.status, body, retryAfterMs: undefined }).ok;
  } catch {
    return false;
  }
}

/**
 * `clients` loops, each sending ids from a shared counter (every record of the id on both paths)
 * until `until()` says stop; returns how many requests were sent and answered 200.
 */
export async function runClients(options: {
  api: string;
  pipelineId: string;
  clients: number;
  firstId: number;
  acked: Acked;
  until: () => boolean;
}): Promise<{ requests: number; ok: number }> {
  let next = options.firstId;
  const counts = { requests: 0, ok: 0 };
  const client = async () => {
    while (!options.until()) {
      const id = next++;
      for (const path of ['stream', 'batch'] as const) {
        for (const kind of KINDS) {
          counts.requests++;
          if (await sendRecord(options.api, options.pipelineId, path, kind, id)) {
            options.acked[path][kind].add(id);
            counts.ok++;
          } else await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, client));
  return counts;
}

/** The ids per kind found in the stream tables and in the raw landing (one per Kafka offset). */
export async function lakeIds(
  store: ObjectStore,
  pipelineId: string,
): Promise<Record<'stream' | 'batch', Record<Kind, number[]>>> {
  const found = { stream: { pin: [], geo: [], user: [] }, batch: { pin: [], geo: [], user: [] } } as Record<
    'stream' | 'batch',
    Record<Kind, number[]>
  >;
  for (const kind of KINDS) {
    if ((await store.list(`tables/stream/${kind}/_delta_log/`)).length > 0) {
      const rows = await readRows(store, await loadSnapshot(store, `tables/stream/${kind}`));
      found.stream[kind] = rows.map((row) => Number(row.ind));
    }
    const topic = `${pipelineId}.${kind}`;
    for (const [partition, files] of await listRawFiles(store, topic)) {
      const indexes = await listRawIndexes(store, topic, partition);
      const byOffset = new Map<number, number>();
      for (const file of files) {
        const read = await readRawFile(store, file, indexes.get(file.startOffset) ?? []);
        if (read.status !== 'read') throw new Error(`raw file ${file.key} cannot be read`);
        for (const r of read.records) {
          const value = JSON.parse(Buffer.from(r.bytes).toString('utf8')) as Record<string, number>;
          byOffset.set(r.offset, kind === 'pin' ? value.index! : value.ind!);
        }
      }
      found.batch[kind].push(...byOffset.values());
    }
  }
  return found;
}

/** Per path: acknowledged, lost (acknowledged, not in the lake) and duplicated (in the lake more than once). */
export function reconcile(acked: Acked, found: Record<'stream' | 'batch', Record<Kind, number[]>>) {
  const summary = { acknowledged: 0, lost: 0, duplicated: 0, landed: 0 };
  for (const path of ['stream', 'batch'] as const) {
    for (const kind of KINDS) {
      const seen = new Map<number, number>();
      for (const id of found[path][kind]) seen.set(id, (seen.get(id) ?? 0) + 1);
      summary.acknowledged += acked[path][kind].size;
      summary.landed += found[path][kind].length;
      for (const id of acked[path][kind]) if (!seen.has(id)) summary.lost++;
      for (const count of seen.values()) if (count > 1) summary.duplicated += count - 1;
    }
  }
  return summary;
}

/** Spawns `pinlake stack --json` on a free API port; resolves the child and its endpoints. */
export async function spawnStack(lake: string, pipelineId: string) {
  const child = spawn(process.execPath, [
    bin,
    'stack',
    '--json',
    '--api-port',
    '0',
    '--pipeline-id',
    pipelineId,
    '--lake',
    lake,
  ]);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const line = await firstLine(child, () => stderr);
  return { child, endpoints: JSON.parse(line) as { api: string }, stderr: () => stderr };
}

/** Resolves the exit code once the child has exited. */
export function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
