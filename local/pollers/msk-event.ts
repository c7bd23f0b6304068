import type { MSKEvent, MSKRecord } from 'aws-lambda';
import type { OffsetRecord } from '../../libs/kafka';

/** Where an MSK batch comes from: the cluster's ARN and bootstrap list, and the topic-partition. */
export interface MskEventSource {
  readonly clusterArn: string;
  readonly bootstrapServers: string;
  readonly topic: string;
  readonly partition: number;
}

/**
 * The MSK event Lambda hands a function for a batch of one topic-partition: records grouped under
 * `"<topic>-<partition>"`, key and value base64 (the key left out when null, a null value as ""),
 * timestamps in epoch milliseconds, header values as byte arrays.
 */
export function toMskEvent(records: readonly OffsetRecord[], source: MskEventSource): MSKEvent {
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: source.clusterArn,
    bootstrapServers: source.bootstrapServers,
    records: {
      [`${source.topic}-${source.partition}`]: records.map((record) => toMskRecord(record, source)),
    },
  };
}

function toMskRecord(record: OffsetRecord, source: MskEventSource): MSKRecord {
  const event = {
    topic: source.topic,
    partition: source.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: 'CREATE_TIME' as const,
    ...(record.key === null ? {} : { key: record.key.toString('base64') }),
    value: record.value?.toString('base64') ?? '',
    headers: record.headers.map((header) => ({ [header.key]: [...(header.value ?? Buffer.alloc(0))] })),
  };
  return event as MSKRecord;
}
