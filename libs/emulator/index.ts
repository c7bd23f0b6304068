/**
 * The emulated "Pinterest users": a deterministic generator of realistic posts with the raw fields
 * and values of the seed project's MySQL source, and the NDJSON posts file `pinlake generate` writes.
 */
export {
  GeneratorError,
  MysqlSourceError,
  PosterError,
  PostSourceError,
  PostsFileError,
  RequestError,
} from './errors';
export { formatFollowers, formatTimestamp } from './formats';
export { drawRowIds, type GenerateOptions, generatePosts } from './generator';
export {
  checkMysqlSource,
  loadPostsIntoMysql,
  type MysqlLoadSummary,
  parseMysqlUrl,
  readMysqlPosts,
  SOURCE_TABLES,
} from './mysql';
export { PLACEHOLDERS } from './pin-text';
export { generatePoolRow } from './pool-row';
export type { Post, RawGeo, RawPin, RawUser } from './post-types';
export {
  type EmulateMode,
  type EmulateOptions,
  type EmulateProgress,
  type EmulateSummary,
  emulatePosts,
  type RecordFailure,
} from './poster';
export {
  backoffDelay,
  type Clock,
  DEFAULT_RETRY,
  type RetryPolicy,
  systemClock,
  TokenBucket,
} from './poster-rate';
export {
  POSTS_FILE_NAME,
  type PostsFileSummary,
  type WritePostsOptions,
  writePostsFile,
} from './posts-file';
export { POOL_SIZE } from './shares';
export {
  openPostSource,
  type PostSource,
  type PostSourceOptions,
  parsePostLine,
  type SkippedLine,
  type SourcePost,
} from './sources';
