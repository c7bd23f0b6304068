/**
 * The maintain-tables Lambda handler (an EventBridge schedule, every 2 minutes): middy with Powertools logging
 * around {@link maintainTables}.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { ScheduledEvent } from 'aws-lambda';
import type { ObjectStore } from '../storage/types';
import { type MaintainOptions, maintainTables, type TableUpkeep } from './maintain-tables';

/** What the handler is built from: the lake, Powertools' logger, and the upkeep settings. */
export interface MaintainTablesDeps {
  readonly store: ObjectStore;
  readonly logger: Logger;
  readonly options?: MaintainOptions;
}

/** What a run answers: the upkeep of each table. */
export interface MaintainTablesSummary {
  readonly tables: TableUpkeep[];
}

/** Builds the handler: compacts, checkpoints and vacuums every table, logging each one. */
export function createMaintainTablesHandler(deps: MaintainTablesDeps) {
  const { logger } = deps;
  return middy<Partial<ScheduledEvent>, MaintainTablesSummary>()
    .use(injectLambdaContext(logger))
    .handler(async () => {
      const tables = await maintainTables(deps.store, deps.options);
      for (const table of tables) logger.info('table maintained', { ...table });
      return { tables };
    });
}
