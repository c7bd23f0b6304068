import type { APIGatewayProxyEvent } from 'aws-lambda';
import { BadRequestError, PayloadTooLargeError } from './errors';
import { jsonDepthExceeds } from './json-depth';

/** Bounds applied while reading a JSON body. */
export interface JsonBodyLimits {
  /** Largest body in bytes (after base64 decoding when API Gateway encoded it). */
  readonly bodyBytes: number;
  /** Deepest nesting of arrays and objects. */
  readonly jsonDepth: number;
}

/**
 * The request body parsed as JSON, within the limits. Throws a {@link PayloadTooLargeError} (413) for
 * a body over the size limit and a {@link BadRequestError} (400) for an empty body, a body nested
 * deeper than the limit, or text that is not JSON.
 */
export function readJsonBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
  limits: JsonBodyLimits,
): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > limits.bodyBytes) {
    throw new PayloadTooLargeError(
      `request body is ${bytes.length} bytes; the limit is ${limits.bodyBytes} bytes`,
    );
  }
  const text = event.isBase64Encoded ? bytes.toString('utf8') : raw;
  if (text.trim() === '') throw new BadRequestError('request body is empty; expected a JSON document');
  if (jsonDepthExceeds(text, limits.jsonDepth)) {
    throw new BadRequestError(`request body nests arrays and objects deeper than ${limits.jsonDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new BadRequestError(`request body is not valid JSON${reason}`, { cause: error });
  }
}
