/**
 * The emulated "Pinterest users": a deterministic generator of realistic posts with the raw fields
 * and values of the seed project's MySQL source, and the NDJSON posts file `pinlake generate` writes.
 */
export { GeneratorError } from './errors';
export { formatFollowers, formatTimestamp } from './formats';
export { drawRowIds, type GenerateOptions, generatePosts } from './generator';
export {
  checkMysqlSource,
  loadPostsIntoMysql,
  type MysqlLoadSummary,
  MysqlSourceError,
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
  PosterError,
  type RecordFailure,
} from './poster';
export { RequestError } from './poster-http';
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
  PostsFileError,
  type PostsFileSummary,
  type WritePostsOptions,
  writePostsFile,
} from './posts-file';
export { POOL_SIZE } from './shares';
export {
  openPostSource,
  type PostSource,
  PostSourceError,
  type PostSourceOptions,
  parsePostLine,
  type SkippedLine,
  type SourcePost,
} from './sources';
