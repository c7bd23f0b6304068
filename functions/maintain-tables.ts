import { lambdaRuntime } from '../libs/lambda-runtime';
import { createMaintainTablesHandler } from '../libs/maintenance';

// Built once per container.
const { config, store, logger } = lambdaRuntime();

/** Hourly schedule → compaction, checkpoints and vacuum of every table (see libs/maintenance). */
export const handler = createMaintainTablesHandler({
  store,
  logger,
  options: { retentionHours: config.vacuumRetentionHours },
});
