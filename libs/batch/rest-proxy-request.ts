/**
 * The REST Proxy v2 produce request (`POST /topics/{topic}`), checked and turned into the records
 * the Kafka producer sends. Pure: no I/O.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Limits } from '../config';
import { BadRequestError, type HttpError, headerValue, PayloadTooLargeError, readJsonBody } from '../http';
import { emptyBatch, invalidPayload, RestProxyError } from './rest-proxy-errors';

/**
 * The one content type accepted: REST Proxy v2 with embedded JSON, what the seed's emulator sends.
 * The binary (`…binary.v2+json`), schema formats and the bare `application/vnd.kafka.v2+json` or
 * `application/json` (which REST Proxy reads as base64 binary) are refused with 415, so a value is
 * never silently taken in the wrong format.
 */
const PRODUCE_CONTENT_TYPE = 'application/vnd.kafka.json.v2+json';

/** One record to produce: the key and value as their JSON text, and the partition asked for. */
export interface ProduceRequestRecord {
  readonly key: string | null;
  readonly value: string;
  readonly partition: number | undefined;
}

/**
 * Throws a 415 {@link RestProxyError} unless the request's `Content-Type` is
 * {@link PRODUCE_CONTENT_TYPE} (parameters such as `charset` are ignored, case does not matter).
 */
export function checkProduceContentType(event: Pick<APIGatewayProxyEvent, 'headers'>): void {
  const header = headerValue(event, 'content-type');
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === PRODUCE_CONTENT_TYPE) return;
  const given = header === undefined ? 'no Content-Type' : `Content-Type ${header}`;
  throw new RestProxyError(
    415,
    415,
    `HTTP 415 Unsupported Media Type: ${given}; send ${PRODUCE_CONTENT_TYPE} (REST Proxy v2, embedded JSON)`,
  );
}

/**
 * Reads the body of a produce request into records, in order. Throws a {@link RestProxyError}:
 * 400 for a body that is empty, not JSON or nested too deep; 413 for a body or a record over the
 * limits; 42208 for an empty `records`; 42206 for any other shape problem (named by its path).
 */
export function parseProduceRequest(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
  limits: Pick<Limits, 'bodyBytes' | 'jsonDepth' | 'recordsPerRequest' | 'recordBytes'>,
): ProduceRequestRecord[] {
  const body = readBody(event, limits);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidPayload('the request body must be a JSON object: {"records": [{"value": …}]}');
  }
  const records = (body as { records?: unknown }).records;
  if (!Array.isArray(records)) {
    throw invalidPayload('records must be an array of {"key"?, "value", "partition"?} objects');
  }
  if (records.length === 0) throw emptyBatch();
  if (records.length > limits.recordsPerRequest) {
    throw invalidPayload(
      `records holds ${records.length} records; at most ${limits.recordsPerRequest} are accepted per request`,
    );
  }
  return records.map((record, index) => toProduceRecord(record, index, limits.recordBytes));
}

function readBody(
  event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>,
  limits: Pick<Limits, 'bodyBytes' | 'jsonDepth'>,
): unknown {
  try {
    return readJsonBody(event, limits);
  } catch (error) {
    if (error instanceof PayloadTooLargeError || error instanceof BadRequestError) {
      const status = (error as HttpError).statusCode;
      throw new RestProxyError(status, status, error.message, { cause: error });
    }
    throw error;
  }
}

function toProduceRecord(record: unknown, index: number, recordBytes: number): ProduceRequestRecord {
  const name = `records[${index}]`;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw invalidPayload(`${name} must be an object {"key"?, "value", "partition"?}`);
  }
  const { key, value, partition } = record as { key?: unknown; value?: unknown; partition?: unknown };
  if (value === undefined || value === null) {
    throw invalidPayload(`${name}.value is required: the record as a JSON value`);
  }
  if (partition !== undefined && partition !== null && !isPartition(partition)) {
    throw invalidPayload(
      `${name}.partition must be a non-negative integer, got ${JSON.stringify(partition)}`,
    );
  }
  const produced = {
    key: key === undefined || key === null ? null : JSON.stringify(key),
    value: JSON.stringify(value),
    partition: typeof partition === 'number' ? partition : undefined,
  };
  const size =
    Buffer.byteLength(produced.value) + (produced.key === null ? 0 : Buffer.byteLength(produced.key));
  if (size > recordBytes) {
    throw new RestProxyError(
      413,
      413,
      `${name} is ${size} bytes as JSON (key plus value); the limit is ${recordBytes} bytes`,
    );
  }
  return produced;
}

function isPartition(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
