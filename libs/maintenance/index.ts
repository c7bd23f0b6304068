export { findTables, type MaintainOptions, maintainTables, type TableUpkeep } from './maintain-tables';
