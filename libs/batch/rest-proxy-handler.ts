/**
 * The ingest-batch Lambda handler: the Confluent REST Proxy v2 produce call (`POST /topics/{topic}`)
 * in front of the pipeline's Kafka topics, behind the HTTP edge (API key, error mapping).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { maybeFail } from '../chaos';
import type { Config } from '../config';
import { httpEdge, jsonResponse } from '../http';
import { type KafkaProducer, type ProduceResult, UnknownTopicError } from '../kafka';
import { kindOfTopic } from '../naming';
import { REST_PROXY_REPLY_TYPE, RestProxyError, topicNotFound } from './rest-proxy-errors';
import { checkProduceContentType, parseProduceRequest } from './rest-proxy-request';

/** What the REST Proxy edge needs: its settings, a producer built once, a logger and metrics. */
export interface RestProxyDeps {
  readonly config: Pick<Config, 'pipelineId' | 'apiKey' | 'limits'>;
  readonly producer: KafkaProducer;
  readonly logger: Logger;
  /**
   * Where `ProducedRecords` and `ProduceRecordErrors` go: a record Kafka refused is still a 200 reply
   * (REST Proxy's per-record `error_code`), so this metric and its alarm are what make it visible.
   */
  readonly metrics?: Metrics;
}

/** Where one record landed, or why not (REST Proxy v2's `PartitionOffset`). */
interface PartitionOffset {
  readonly partition: number | null;
  readonly offset: number | null;
  /** null, 50002 (Kafka error) or 50003 (retriable Kafka error: sending the record again may work). */
  readonly error_code: number | null;
  readonly error: string | null;
}

/** The 200 reply of a produce call: one entry per record, in request order. */
interface ProduceReply {
  readonly offsets: PartitionOffset[];
  readonly key_schema_id: null;
  readonly value_schema_id: null;
}

/**
 * Builds the `ingest-batch` handler (API Gateway REST proxy events). Unknown errors become a 500
 * with a fixed message (the real error is logged); see {@link handleProduceRequest} for the rest.
 */
export function createRestProxyHandler(deps: RestProxyDeps) {
  const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>().use(injectLambdaContext(deps.logger));
  if (deps.metrics) handler.use(logMetrics(deps.metrics));
  return handler
    .use(httpEdge({ logger: deps.logger, apiKey: deps.config.apiKey }))
    .handler((event) => handleProduceRequest(event, deps));
}

/**
 * Answers one produce request as REST Proxy v2 does, with `Content-Type: application/vnd.kafka.v2+json`:
 * 200 with one offset per record (a record Kafka refused carries 50002/50003 and null partition and
 * offset); 404/40401 for a topic that is not the pipeline's; 405 for another method; 415 for another
 * content type; 400, 413 or 422xx for a bad body, before anything is produced. The value (and key) is
 * produced as its JSON text in UTF-8. Chaos step `ingest-batch:before-reply` fails after Kafka has
 * the records, as a crash before replying would.
 */
export async function handleProduceRequest(
  event: APIGatewayProxyEvent,
  deps: RestProxyDeps,
): Promise<APIGatewayProxyResult> {
  try {
    const topic = topicOf(event);
    if (event.httpMethod !== 'POST') {
      throw new RestProxyError(
        405,
        405,
        `HTTP 405 Method Not Allowed: ${event.httpMethod} /topics/${topic}; use POST`,
      );
    }
    if (kindOfTopic(deps.config.pipelineId, topic) === undefined) throw topicNotFound(topic);
    checkProduceContentType(event);
    const records = parseProduceRequest(event, deps.config.limits);
    let results: ProduceResult[];
    // --chaos fails the edge before it produces: a failure after Kafka took the records is a lost
    // reply, which makes any HTTP client send them again (HTTP is at-least-once; docs/design.md §4).
    maybeFail('ingest-batch:before-produce');
    try {
      results = await deps.producer.produce(topic, records);
    } catch (error) {
      if (error instanceof UnknownTopicError) throw topicNotFound(topic, { cause: error });
      throw error;
    }
    const refused = results.filter((result) => !('offset' in result)).length;
    deps.metrics?.addMetric('ProducedRecords', MetricUnit.Count, results.length - refused);
    deps.metrics?.addMetric('ProduceRecordErrors', MetricUnit.Count, refused);
    if (refused > 0) deps.logger.error('Kafka refused records', { topic, refused, of: results.length });
    const reply: ProduceReply = {
      offsets: results.map(toPartitionOffset),
      key_schema_id: null,
      value_schema_id: null,
    };
    return jsonResponse(200, reply, { 'Content-Type': REST_PROXY_REPLY_TYPE });
  } catch (error) {
    if (error instanceof RestProxyError) {
      return jsonResponse(error.statusCode, error.body, { 'Content-Type': REST_PROXY_REPLY_TYPE });
    }
    throw error;
  }
}

function toPartitionOffset(result: ProduceResult): PartitionOffset {
  if ('offset' in result)
    return { partition: result.partition, offset: result.offset, error_code: null, error: null };
  return { partition: null, offset: null, error_code: result.retriable ? 50003 : 50002, error: result.error };
}

// The topic from the path parameter, else from the segment after `topics` (a greedy proxy resource).
function topicOf(event: APIGatewayProxyEvent): string {
  const fromParameter = event.pathParameters?.topic;
  if (fromParameter !== undefined) return fromParameter;
  const segments = (event.path ?? '').split('/').filter((s) => s !== '');
  const at = segments.indexOf('topics');
  const segment = at >= 0 && segments.length === at + 2 ? segments[at + 1] : undefined;
  if (segment === undefined) {
    throw new RestProxyError(404, 404, `HTTP 404 Not Found: no route for ${event.httpMethod} ${event.path}`);
  }
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
