export { athenaSettingsFor } from './athena-client';
export {
  type AthenaSettings,
  runQueriesOnAthena,
} from './athena-runner';
export { withDistinctPosts } from './athena-sql';

export { AnalyticsQueryError, LakeFileError, ResultTableError } from './errors';
export {
  formatResults,
  groupThousands,
} from './format-results';

export {
  rebuildReport,
  runIdFor,
} from './publish-report';
export { QUERY_COLUMNS, QUERY_IDS, type QueryId } from './query-ids';
export { type ReportInput, renderReport } from './report/render-report';
export { ReportWriteError, writeReport } from './report/write-report';
export {
  ANALYTICS_APP_ID,
  readResultTable,
} from './result-tables';
export { type AnalyticsSummary, runAnalytics } from './run-analytics';
export {
  QUERIES_DIR,
  type QueryResult,
  type ResultRow,
  readQuery,
  runQueries,
} from './run-queries';
export {
  createRowsViewSql,
  rowsViewName,
} from './views';
