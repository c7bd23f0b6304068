export { findTables } from './find-tables';
export { type MaintainOptions, maintainTables, type TableUpkeep } from './maintain-tables';
export { createMaintainTablesHandler } from './maintain-tables-handler';
export { readProgress } from './progress';
