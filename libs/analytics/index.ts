export { AGE_GROUPS, type AgeGroup, isQueryId, QUERY_COLUMNS, QUERY_IDS, type QueryId } from './query-ids';
export { type ReportInput, renderReport } from './report/render-report';
export { ReportWriteError, reportKeys, writeReport } from './report/write-report';
export {
  AnalyticsQueryError,
  QUERIES_DIR,
  type QueryResult,
  type ResultRow,
  type ResultValue,
  type RunQueriesOptions,
  runQueries,
} from './run-queries';
export { createViewSql, type TableFiles } from './views';
