import { PinlakeError } from '../../errors';
import { reportKeys } from '../../lake/layout';
import type { ObjectStore } from '../../storage/types';

/** Raised when a report cannot be stored under the run id given; the message names the run id. */
export class ReportWriteError extends PinlakeError {
  override readonly name: string = 'ReportWriteError';
  override readonly code: string = 'REPORT_WRITE';
}

/**
 * Stores a rendered report at `reports/<runId>/index.html`, then at `reports/latest/index.html`.
 * The run's copy is written first, so `latest` never points at a report that is not also kept.
 * Throws {@link ReportWriteError} for a run id that is not a safe key segment (letters, digits,
 * `_`, `.`, `-`); storage failures propagate as the store's errors.
 */
export async function writeReport(store: ObjectStore, runId: string, html: string): Promise<void> {
  if (!/^[\w.-]+$/.test(runId))
    throw new ReportWriteError(`run id ${JSON.stringify(runId)} is not a safe key segment`);
  const keys = reportKeys(runId);
  await store.put(keys.run, html);
  await store.put(keys.latest, html);
}
