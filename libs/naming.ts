/**
 * How a pipeline names its streams and topics (DESIGN §2): pure functions of the pipeline id, shared
 * by the functions, the local stack, the emulator and the CLI. Reads no environment.
 */
import { KINDS, type Kind } from './records/tables';

/** What a pipeline id may be: 1-64 letters, digits, `_` or `-` (it names streams, topics and groups). */
export const PIPELINE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** What {@link PIPELINE_ID_PATTERN} means, for messages. */
export const PIPELINE_ID_RULE = 'use 1-64 letters, digits, "_" or "-"';

/** The Kinesis stream of one kind: `streaming-<id>-pin`. */
export function streamName(pipelineId: string, kind: Kind): string {
  return `streaming-${pipelineId}-${kind}`;
}

/** The Kafka topic of one kind: `<id>.pin`. */
export function topicName(pipelineId: string, kind: Kind): string {
  return `${pipelineId}.${kind}`;
}

/** The pipeline's three stream names, in kind order (pin, geo, user). */
export function streamNames(pipelineId: string): string[] {
  return KINDS.map((kind) => streamName(pipelineId, kind));
}

/** The pipeline's three topic names, in kind order (pin, geo, user). */
export function topicNames(pipelineId: string): string[] {
  return KINDS.map((kind) => topicName(pipelineId, kind));
}

/** The kind a stream name carries, or undefined when it is not one of the pipeline's streams. */
export function kindOfStream(pipelineId: string, name: string): Kind | undefined {
  return KINDS.find((kind) => streamName(pipelineId, kind) === name);
}

/** The kind a topic name carries, or undefined when it is not one of the pipeline's topics. */
export function kindOfTopic(pipelineId: string, name: string): Kind | undefined {
  return KINDS.find((kind) => topicName(pipelineId, kind) === name);
}
