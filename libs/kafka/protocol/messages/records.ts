/** Produce, Fetch and ListOffsets bodies (the data path). */
import { field as f, type MessageSchema } from '../schema';

/** Produce (key 0): record batches for partitions, answered with base offsets. */
export const Produce: MessageSchema = {
  name: 'Produce',
  apiKey: 0,
  // v0-2 are listed because librdkafka enables gzip/snappy only for brokers that list them; their
  // old message formats are then refused per batch (UNSUPPORTED_FOR_MESSAGE_FORMAT).
  minVersion: 0,
  maxVersion: 11,
  flexibleFrom: 9,
  request: [
    f('transactionalId', 'string', '3+', '3+'),
    f('acks', 'int16', '0+'),
    f('timeoutMs', 'int32', '0+'),
    f(
      'topicData',
      [
        f('name', 'string', '0+'),
        f('partitionData', [f('index', 'int32', '0+'), f('records', 'records', '0+', '0+')], '0+'),
      ],
      '0+',
    ),
  ],
  response: [
    f(
      'responses',
      [
        f('name', 'string', '0+'),
        f(
          'partitionResponses',
          [
            f('index', 'int32', '0+'),
            f('errorCode', 'int16', '0+'),
            f('baseOffset', 'int64', '0+'),
            f('logAppendTimeMs', 'int64', '2+'),
            f('logStartOffset', 'int64', '5+'),
            f(
              'recordErrors',
              [f('batchIndex', 'int32', '8+'), f('batchIndexErrorMessage', 'string', '8+', '8+')],
              '8+',
            ),
            f('errorMessage', 'string', '8+', '8+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
    f('throttleTimeMs', 'int32', '1+'),
  ],
};

/** Fetch (key 1): stored batches from an offset (served by the embedded broker). */
export const Fetch: MessageSchema = {
  name: 'Fetch',
  apiKey: 1,
  minVersion: 0,
  maxVersion: 12,
  flexibleFrom: 12,
  request: [
    f('replicaId', 'int32', '0-14'),
    f('maxWaitMs', 'int32', '0+'),
    f('minBytes', 'int32', '0+'),
    f('maxBytes', 'int32', '3+'),
    f('isolationLevel', 'int8', '4+'),
    f('sessionId', 'int32', '7+'),
    f('sessionEpoch', 'int32', '7+'),
    f(
      'topics',
      [
        f('topic', 'string', '0-12'),
        f(
          'partitions',
          [
            f('partition', 'int32', '0+'),
            f('currentLeaderEpoch', 'int32', '9+'),
            f('fetchOffset', 'int64', '0+'),
            f('lastFetchedEpoch', 'int32', '12+'),
            f('logStartOffset', 'int64', '5+'),
            f('partitionMaxBytes', 'int32', '0+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
    f('forgottenTopicsData', [f('topic', 'string', '7-12'), f('partitions', 'int32[]', '7+')], '7+'),
    f('rackId', 'string', '11+'),
  ],
  response: [
    f('throttleTimeMs', 'int32', '1+'),
    f('errorCode', 'int16', '7+'),
    f('sessionId', 'int32', '7+'),
    f(
      'responses',
      [
        f('topic', 'string', '0-12'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('errorCode', 'int16', '0+'),
            f('highWatermark', 'int64', '0+'),
            f('lastStableOffset', 'int64', '4+'),
            f('logStartOffset', 'int64', '5+'),
            f(
              'abortedTransactions',
              [f('producerId', 'int64', '4+'), f('firstOffset', 'int64', '4+')],
              '4+',
              '4+',
            ),
            f('preferredReadReplica', 'int32', '11+'),
            f('records', 'records', '0+', '0+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
};

/** ListOffsets (key 2): offsets by time, earliest and latest. */
export const ListOffsets: MessageSchema = {
  name: 'ListOffsets',
  apiKey: 2,
  minVersion: 1,
  maxVersion: 9,
  flexibleFrom: 6,
  request: [
    f('replicaId', 'int32', '0+'),
    f('isolationLevel', 'int8', '2+'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('currentLeaderEpoch', 'int32', '4+'),
            f('timestamp', 'int64', '0+'),
            f('maxNumOffsets', 'int32', '0'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
  response: [
    f('throttleTimeMs', 'int32', '2+'),
    f(
      'topics',
      [
        f('name', 'string', '0+'),
        f(
          'partitions',
          [
            f('partitionIndex', 'int32', '0+'),
            f('errorCode', 'int16', '0+'),
            f('oldStyleOffsets', 'int64[]', '0'),
            f('timestamp', 'int64', '1+'),
            f('offset', 'int64', '1+'),
            f('leaderEpoch', 'int32', '4+'),
          ],
          '0+',
        ),
      ],
      '0+',
    ),
  ],
};
