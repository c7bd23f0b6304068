import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, KinesisStreamEvent } from 'aws-lambda';

const EVENTS_DIR = join(__dirname, '..', '..', 'events');
const cache = new Map<string, unknown>();

/** The event sources with fixtures under `events/<source>/<variant>.json`. */
export type EventSource = 'apigw' | 'kinesis';

/** The type of each source's events. */
export interface EventOf {
  apigw: APIGatewayProxyEvent;
  kinesis: KinesisStreamEvent;
}

/**
 * A fixture event, read once and handed out as a fresh deep copy (structuredClone), so a test may
 * change it without affecting any other test.
 */
export function loadEvent<S extends EventSource>(source: S, variant: string): EventOf[S] {
  const file = join(EVENTS_DIR, source, `${variant}.json`);
  let parsed = cache.get(file);
  if (parsed === undefined) {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
    cache.set(file, parsed);
  }
  return structuredClone(parsed) as EventOf[S];
}
