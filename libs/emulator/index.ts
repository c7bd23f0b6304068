/**
 * The emulated "Pinterest users": a deterministic generator of realistic posts with the raw fields
 * and values of the seed project's MySQL source, and the NDJSON posts file `pinlake generate` writes.
 */
export { GeneratorError } from './errors';
export { formatFollowers, formatTimestamp } from './formats';
export { drawRowIds, type GenerateOptions, generatePosts } from './generator';
export { PLACEHOLDERS } from './pin-text';
export { generatePoolRow } from './pool-row';
export type { Post, RawGeo, RawPin, RawUser } from './post-types';
export {
  POSTS_FILE_NAME,
  PostsFileError,
  type PostsFileSummary,
  type WritePostsOptions,
  writePostsFile,
} from './posts-file';
export { POOL_SIZE } from './shares';
