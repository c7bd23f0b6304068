import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { ForbiddenError } from './errors';
import { headerValue } from './headers';

/**
 * Checks the `x-api-key` header as API Gateway does for a method that requires a key.
 * Does nothing when `expected` is undefined (no key configured); otherwise throws a
 * {@link ForbiddenError} (403 `{"message":"Forbidden"}`) when the key is missing or different.
 */
export function checkApiKey(
  event: Pick<APIGatewayProxyEvent, 'headers'>,
  expected: string | undefined,
): void {
  if (expected === undefined) return;
  const given = headerValue(event, 'x-api-key');
  if (given === undefined || !sameSecret(given, expected)) throw new ForbiddenError();
}

// Compare digests so the comparison takes the same time whatever the lengths.
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
