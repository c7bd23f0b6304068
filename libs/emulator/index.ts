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
} from './errors';
export { formatFollowers, formatTimestamp } from './formats';
export { drawRowIds, generatePosts } from './generator';
export {
  checkMysqlSource,
  loadPostsIntoMysql,
  parseMysqlUrl,
} from './mysql';
export { PLACEHOLDERS } from './pin-text';
export { generatePoolRow } from './pool-row';
export type { Post } from './post-types';
export {
  type EmulateMode,
  type EmulateProgress,
  type EmulateSummary,
  emulatePosts,
} from './poster';
export {
  backoffDelay,
  type Clock,
  DEFAULT_RETRY,
  TokenBucket,
} from './poster-rate';
export { writePostsFile } from './posts-file';

export {
  openPostSource,
  type PostSource,
  parsePostLine,
  type SkippedLine,
  type SourcePost,
} from './sources';
