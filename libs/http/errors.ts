/**
 * Client errors the HTTP edge knows how to answer. Each carries its status code and the JSON body
 * sent back; anything that is not an {@link HttpError} becomes a 500 with a fixed message.
 */

/** Options of an {@link HttpError}: the usual `cause`, and a body replacing `{"message": …}`. */
export interface HttpErrorOptions extends ErrorOptions {
  readonly body?: Readonly<Record<string, unknown>>;
}

/** An error with an HTTP status and a reply body safe to show the caller (no internals). */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly body: Readonly<Record<string, unknown>>;

  constructor(statusCode: number, message: string, options?: HttpErrorOptions) {
    super(message, options);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.body = options?.body ?? { message };
  }
}

/** 400: the request is malformed (not JSON, missing field, too many records, …). */
export class BadRequestError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(400, message, options);
    this.name = 'BadRequestError';
  }
}

/** 403 `{"message":"Forbidden"}`, exactly what API Gateway answers for a missing or wrong API key. */
export class ForbiddenError extends HttpError {
  constructor(options?: HttpErrorOptions) {
    super(403, 'Forbidden', options);
    this.name = 'ForbiddenError';
  }
}

/** 404: the named resource (stream, topic) is not one of the pipeline's. */
export class NotFoundError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(404, message, options);
    this.name = 'NotFoundError';
  }
}

/** 405: the path exists but not with this method. */
export class MethodNotAllowedError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(405, message, options);
    this.name = 'MethodNotAllowedError';
  }
}

/** 413: the body or one record is larger than the limit. */
export class PayloadTooLargeError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(413, message, options);
    this.name = 'PayloadTooLargeError';
  }
}

/** 429: the backend is throttling; the caller should retry later. */
export class TooManyRequestsError extends HttpError {
  constructor(message: string, options?: HttpErrorOptions) {
    super(429, message, options);
    this.name = 'TooManyRequestsError';
  }
}
