/**
 * Request-level errors of the REST Proxy edge, in Confluent REST Proxy v2's shape:
 * `{"error_code": <HTTP status × 100 + sub-code, or the bare status>, "message": …}`.
 */
import { HttpError } from '../http';

/** The content type of every REST Proxy v2 reply, errors included. */
export const REST_PROXY_REPLY_TYPE = 'application/vnd.kafka.v2+json';

/**
 * A request the REST Proxy edge refuses: its HTTP status and `error_code`, as Confluent's REST Proxy
 * v2 API answers them (its API reference lists the codes; those used here are in docs/batch-path.md).
 */
export class RestProxyError extends HttpError {
  override readonly name: string = 'RestProxyError';
  override readonly code: string = 'REST_PROXY';

  readonly errorCode: number;

  constructor(statusCode: number, errorCode: number, message: string, options?: ErrorOptions) {
    super(statusCode, message, { ...options, body: { error_code: errorCode, message } });
    this.errorCode = errorCode;
  }
}

/** 40401: the topic is not one of the pipeline's (REST Proxy's exact message). */
export function topicNotFound(topic: string, options?: ErrorOptions): RestProxyError {
  return new RestProxyError(404, 40401, `Topic ${topic} not found.`, options);
}

/** 42206: the body is JSON but not a produce request (the message names the field). */
export function invalidPayload(message: string): RestProxyError {
  return new RestProxyError(422, 42206, message);
}

/** 42208: a produce request with no records. */
export function emptyBatch(): RestProxyError {
  return new RestProxyError(422, 42208, 'records is empty: send at least one record');
}
