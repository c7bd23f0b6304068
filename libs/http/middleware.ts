import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { checkApiKey } from './api-key';
import { type ErrorLogger, toErrorResponse } from './error-mapper';

/** Settings of the {@link httpEdge} middleware. */
export interface HttpEdgeOptions {
  readonly logger: ErrorLogger;
  /** The key callers must send in `x-api-key`; undefined disables the check. */
  readonly apiKey: string | undefined;
}

/**
 * The middy middleware every HTTP function uses: checks the API key before the handler, and maps
 * every error to its reply afterwards (see {@link toErrorResponse}), so a handler only throws.
 */
export function httpEdge(
  options: HttpEdgeOptions,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    name: 'httpEdge',
    before: (request) => {
      checkApiKey(request.event, options.apiKey);
    },
    onError: (request) => {
      const requestId = request.event.requestContext?.requestId ?? request.context.awsRequestId;
      request.response = toErrorResponse(request.error, options.logger, requestId);
    },
  };
}
