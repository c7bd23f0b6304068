import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The value of a request header, whatever its case (API Gateway keeps the client's casing);
 * undefined when absent. With repeated headers the last value wins, as in API Gateway's `headers`.
 */
export function headerValue(event: Pick<APIGatewayProxyEvent, 'headers'>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) found = value;
  }
  return found;
}
