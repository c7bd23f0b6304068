export { checkApiKey } from './api-key';
export { type JsonBodyLimits, readJsonBody } from './body';
export { type ErrorLogger, toErrorResponse } from './error-mapper';
export {
  BadRequestError,
  ForbiddenError,
  HttpError,
  type HttpErrorOptions,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
} from './errors';
export { headerValue } from './headers';
export { jsonDepthExceeds } from './json-depth';
export { type HttpEdgeOptions, httpEdge } from './middleware';
export { INTERNAL_ERROR_MESSAGE, jsonResponse } from './response';
