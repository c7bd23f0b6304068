import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';
import { getConfig } from '../libs/config';
import { maintainTables, type TableUpkeep } from '../libs/maintenance';
import { openStore } from '../libs/storage';

// Built once per container.
const config = getConfig();
const logger = new Logger({ serviceName: 'maintain-tables' });
const store = openStore(config.lakeUri, { endpoint: config.s3Endpoint, region: config.region });

/** Hourly schedule → compaction, checkpoints and vacuum of every table in the lake. */
export const handler = middy(async (): Promise<{ tables: TableUpkeep[] }> => {
  const tables = await maintainTables(store, { retentionHours: config.vacuumRetentionHours });
  for (const table of tables) logger.info('table maintained', { ...table });
  return { tables };
});
