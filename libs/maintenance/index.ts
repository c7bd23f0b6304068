export { findTables } from './find-tables';
export { type MaintainOptions, maintainTables, type TableUpkeep } from './maintain-tables';
export { progressKey, readProgress, type UpkeepProgress } from './progress';
