export { checkApiKey } from './api-key';
export { readJsonBody } from './body';
export { toErrorResponse } from './error-mapper';
export {
  BadRequestError,
  ForbiddenError,
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
} from './errors';
export { headerValue } from './headers';
export { jsonDepthExceeds } from './json-depth';
export { httpEdge } from './middleware';
export { jsonResponse } from './response';
