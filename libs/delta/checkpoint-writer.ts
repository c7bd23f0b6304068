/** Writing a checkpoint and `_last_checkpoint` for a committed version. */
import type { ObjectStore } from '../storage/types';
import { encodeCheckpoint } from './checkpoint';
import { readLastCheckpoint } from './log';
import { checkpointFileName, LOG_DIR, tableKey } from './paths';
import type { ReplayState } from './replay';

/**
 * Writes `<version>.checkpoint.parquet` for the state (its version must already be committed): the
 * protocol, metaData, every txn, every live add, and the tombstones younger than the table's retention.
 * Then points `_last_checkpoint` at it unless a newer checkpoint is already recorded there. The older
 * tombstones are dropped from `state` too: a warm state (maintain-tables' snapshot cache) then holds
 * what a reader of the checkpoint would, instead of every tombstone since the container started.
 */
export async function writeCheckpoint(
  store: ObjectStore,
  tablePath: string,
  state: ReplayState,
  now: number,
): Promise<{ version: number; size: number; sizeInBytes: number; numOfAddFiles: number }> {
  const cutoff = state.tombstoneCutoff(now);
  const actions = state.toActions(cutoff);
  state.forgetTombstones(cutoff);
  const bytes = encodeCheckpoint(actions);
  await store.put(tableKey(tablePath, checkpointFileName(state.version)), bytes);
  const last = {
    version: state.version,
    size: actions.length,
    sizeInBytes: bytes.byteLength,
    numOfAddFiles: state.files.size,
  };
  const current = await readLastCheckpoint(store, tablePath);
  if (!current || current.version < state.version) {
    await store.put(tableKey(tablePath, `${LOG_DIR}/_last_checkpoint`), JSON.stringify(last));
  }
  return last;
}
