import { PinlakeError } from '../errors';

/** A generator was asked for something it cannot produce (a bad seed or post count, an unknown category). */
export class GeneratorError extends PinlakeError {
  override readonly name: string = 'GeneratorError';
  override readonly code: string = 'GENERATOR';
}

/** The posts file could not be written; the message names the file. */
export class PostsFileError extends PinlakeError {
  override readonly name: string = 'PostsFileError';
  override readonly code: string = 'POSTS_FILE';
}

/** The poster was called with settings it cannot use; names the setting. */
export class PosterError extends PinlakeError {
  override readonly name: string = 'PosterError';
  override readonly code: string = 'POSTER';
}

/** A request that got no HTTP reply (refused, reset, timed out, aborted); names the URL. */
export class RequestError extends PinlakeError {
  override readonly name: string = 'RequestError';
  override readonly code: string = 'REQUEST';
}

/** The MySQL source could not be reached, read or loaded; the message names the database or table. */
export class MysqlSourceError extends PinlakeError {
  override readonly name: string = 'MysqlSourceError';
  override readonly code: string = 'MYSQL_SOURCE';
}

/** A source spec that cannot be opened (a missing file, a missing post count); names the source. */
export class PostSourceError extends PinlakeError {
  override readonly name: string = 'PostSourceError';
  override readonly code: string = 'POST_SOURCE';
}
