/**
 * Client errors the HTTP edge knows how to answer. Each carries its status code and the JSON body
 * sent back; anything that is not an {@link HttpError} becomes a 500 with a fixed message.
 */
import { PinlakeError } from '../errors';

/** Options of an {@link HttpError}: the usual `cause`, and a body replacing `{"message": …}`. */
export interface HttpErrorOptions extends ErrorOptions {
  readonly body?: Readonly<Record<string, unknown>>;
}

/** An error with an HTTP status and a reply body safe to show the caller (no internals). */
export class HttpError extends PinlakeError {
  override readonly name: string = 'HttpError';
  override readonly code: string = 'HTTP';

  readonly statusCode: number;
  readonly body: Readonly<Record<string, unknown>>;

  constructor(statusCode: number, message: string, options?: HttpErrorOptions) {
    super(message, options);
    this.statusCode = statusCode;
    this.body = options?.body ?? { message };
  }
}

/** 400: the request is malformed (not JSON, missing field, too many records, …). */
export class BadRequestError extends HttpError {
  override readonly name: string = 'BadRequestError';
  override readonly code: string = 'BAD_REQUEST';

  constructor(message: string, options?: HttpErrorOptions) {
    super(400, message, options);
  }
}

/** 403 `{"message":"Forbidden"}`, exactly what API Gateway answers for a missing or wrong API key. */
export class ForbiddenError extends HttpError {
  override readonly name: string = 'ForbiddenError';
  override readonly code: string = 'FORBIDDEN';

  constructor(options?: HttpErrorOptions) {
    super(403, 'Forbidden', options);
  }
}

/** 404: the named resource (stream, topic) is not one of the pipeline's. */
export class NotFoundError extends HttpError {
  override readonly name: string = 'NotFoundError';
  override readonly code: string = 'NOT_FOUND';

  constructor(message: string, options?: HttpErrorOptions) {
    super(404, message, options);
  }
}

/** 405: the path exists but not with this method. */
export class MethodNotAllowedError extends HttpError {
  override readonly name: string = 'MethodNotAllowedError';
  override readonly code: string = 'METHOD_NOT_ALLOWED';

  constructor(message: string, options?: HttpErrorOptions) {
    super(405, message, options);
  }
}

/** 413: the body or one record is larger than the limit. */
export class PayloadTooLargeError extends HttpError {
  override readonly name: string = 'PayloadTooLargeError';
  override readonly code: string = 'PAYLOAD_TOO_LARGE';

  constructor(message: string, options?: HttpErrorOptions) {
    super(413, message, options);
  }
}

/** 429: the backend is throttling; the caller should retry later. */
export class TooManyRequestsError extends HttpError {
  override readonly name: string = 'TooManyRequestsError';
  override readonly code: string = 'TOO_MANY_REQUESTS';

  constructor(message: string, options?: HttpErrorOptions) {
    super(429, message, options);
  }
}
