export { athenaSettingsFor } from './athena-client';
export {
  type AthenaPolling,
  type AthenaRunOptions,
  type AthenaSettings,
  DEFAULT_POLLING,
  runQueriesOnAthena,
  typedValue,
} from './athena-runner';
export { distinctPostsCte, withDistinctPosts } from './athena-sql';
export {
  type CatalogDdlOptions,
  type CatalogTable,
  catalogDdl,
  catalogTables,
  resultTableName,
} from './catalog';
export { AnalyticsQueryError, CatalogError, LakeFileError, ResultTableError } from './errors';
export {
  formatCsv,
  formatResults,
  formatTable,
  groupThousands,
  isResultFormat,
  RESULT_FORMATS,
  type ResultFormat,
} from './format-results';
export { type LocalFiles, localTableFiles } from './lake-files';
export {
  assertRunId,
  type PublishInput,
  publishReport,
  type RebuiltReport,
  rebuildReport,
  runIdFor,
} from './publish-report';
export { AGE_GROUPS, type AgeGroup, isQueryId, QUERY_COLUMNS, QUERY_IDS, type QueryId } from './query-ids';
export { type ReportInput, renderReport } from './report/render-report';
export { ReportWriteError, writeReport } from './report/write-report';
export {
  ANALYTICS_APP_ID,
  type ResultWrite,
  readResultTable,
  resultColumns,
  type StoredResult,
  writeResultTable,
} from './result-tables';
export { type AnalyticsSummary, type RunAnalyticsOptions, runAnalytics } from './run-analytics';
export {
  QUERIES_DIR,
  type QueryResult,
  type ResultRow,
  type ResultValue,
  type RunQueriesOptions,
  readQuery,
  runQueries,
} from './run-queries';
export {
  columnsNamedBy,
  createDistinctTableSql,
  createRowsViewSql,
  rowsViewName,
  type TableFiles,
} from './views';
