export { type AthenaCatalog, type GlueTable, parseS3Uri, readAthenaCatalog, type Workgroup } from './catalog';
export { executeStatement, StatementError, type StatementResult, type TableSource } from './execute';
export { decodeResultsCsv, encodeResultsCsv } from './results-csv';
export { type LocalAthena, type LocalAthenaOptions, startLocalAthena } from './server';
