export { findTables, type MaintainOptions, maintainTables, type TableUpkeep } from './maintain-tables';
export {
  createMaintainTablesHandler,
  type MaintainTablesDeps,
  type MaintainTablesSummary,
} from './maintain-tables-handler';
