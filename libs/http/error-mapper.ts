import type { APIGatewayProxyResult } from 'aws-lambda';
import { HttpError } from './errors';
import { INTERNAL_ERROR_MESSAGE, jsonResponse } from './response';

/** The part of a logger the mapper uses (Powertools' Logger fits). */
export interface ErrorLogger {
  error(message: string, ...extra: unknown[]): void;
}

/**
 * Turns any error into the reply the caller sees: an {@link HttpError} into its status and body,
 * anything else into a 500 `{"message":"Internal server error","requestId":…}` with the real error
 * (and its stack) logged with the request id, never sent.
 */
export function toErrorResponse(
  error: unknown,
  logger: ErrorLogger,
  requestId: string | undefined,
): APIGatewayProxyResult {
  if (error instanceof HttpError) return jsonResponse(error.statusCode, error.body);
  logger.error('unexpected error while handling the request', {
    requestId,
    error: error instanceof Error ? error : new Error(String(error)),
  });
  return jsonResponse(500, { message: INTERNAL_ERROR_MESSAGE, requestId: requestId ?? null });
}
