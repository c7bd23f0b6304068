import { SnapshotCache } from '../libs/delta';
import { openLake } from '../libs/lake/open-lake';
import { lambdaRuntime } from '../libs/lambda-runtime';
import { createMaintainTablesHandler } from '../libs/maintenance';

// Built once per container: the snapshots stay warm from one hourly run to the next.
const { config, logger } = lambdaRuntime();
const store = openLake(config, config.lakeUri);

// Stop starting new work 12 minutes into the 15-minute timeout; the next run goes on from there.
const BUDGET_MS = 12 * 60_000;

/** Hourly schedule → compaction, checkpoints and vacuum of every table (see libs/maintenance). */
export const handler = createMaintainTablesHandler({
  store,
  logger,
  options: {
    retentionHours: config.vacuumRetentionHours,
    budgetMs: BUDGET_MS,
    snapshots: new SnapshotCache(),
  },
});
