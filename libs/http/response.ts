import type { APIGatewayProxyResult } from 'aws-lambda';

/** The fixed body of every unexpected failure; the real error goes to the log only. */
export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/** An API Gateway proxy result with a JSON body and `Content-Type: application/json`. */
export function jsonResponse(
  statusCode: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
