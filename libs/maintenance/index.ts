export { findTables } from './find-tables';
export { type MaintainOptions, maintainTables, type TableUpkeep } from './maintain-tables';
export {
  createMaintainTablesHandler,
  type MaintainTablesDeps,
  type MaintainTablesSummary,
} from './maintain-tables-handler';
export { progressKey, readProgress, type UpkeepProgress } from './progress';
