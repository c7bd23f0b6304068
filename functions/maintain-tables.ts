import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { getConfig } from '../libs/config';
import { SnapshotCache } from '../libs/delta';
import { maintainTables, type TableUpkeep } from '../libs/maintenance';
import { openStore } from '../libs/storage';

// Built once per container.
const config = getConfig();
const logger = new Logger({ serviceName: 'maintain-tables' });
const store = openStore(config.lakeUri, { endpoint: config.s3Endpoint, region: config.region });
const snapshots = new SnapshotCache();
// Stop starting new work 12 minutes into the 15-minute timeout; the next run goes on from there.
const BUDGET_MS = 12 * 60_000;

/** Hourly schedule → compaction, checkpoints and vacuum of every table in the lake. */
export const handler = middy(async (): Promise<{ tables: TableUpkeep[] }> => {
  const tables = await maintainTables(store, {
    retentionHours: config.vacuumRetentionHours,
    budgetMs: BUDGET_MS,
    snapshots,
  });
  for (const table of tables) logger.info('table maintained', { ...table });
  return { tables };
});
