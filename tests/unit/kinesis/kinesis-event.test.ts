import { interpretResponse, toKinesisEvent } from '../../../local/pollers';
import { loadEvent } from '../../helpers/events';

const SEQUENCES = ['100', '200', '300'];

describe('Function: interpretResponse()', () => {
  it.each([
    ['no answer', undefined],
    ['null', null],
    ['an answer without batchItemFailures', { other: 1 }],
    ['an empty list', { batchItemFailures: [] }],
    ['a null list', { batchItemFailures: null }],
  ])('reads %s as full success', (_name, response) => {
    // Act
    const outcome = interpretResponse(response, SEQUENCES, true);

    // Assess
    expect(outcome).toStrictEqual({ kind: 'success' });
  });

  it('reads several failures as a partial failure at the lowest one', () => {
    // Act
    const outcome = interpretResponse(
      { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '200' }] },
      SEQUENCES,
      true,
    );

    // Assess
    expect(outcome).toStrictEqual({ kind: 'partial', failedIndex: 1 });
  });

  it.each([
    [
      { batchItemFailures: [{ itemIdentifier: '' }] },
      'batchItemFailures names "", not a record of the batch',
    ],
    [
      { batchItemFailures: [{ itemIdentifier: null }] },
      'batchItemFailures names null, not a record of the batch',
    ],
    [
      { batchItemFailures: [{ itemId: '200' }] },
      'batchItemFailures names undefined, not a record of the batch',
    ],
    [
      { batchItemFailures: [{ itemIdentifier: '999' }] },
      'batchItemFailures names "999", not a record of the batch',
    ],
    [{ batchItemFailures: 'all' }, 'batchItemFailures is not a list'],
  ])('reads the malformed answer %j as a failure of the whole batch', (response, reason) => {
    // Act
    const outcome = interpretResponse(response, SEQUENCES, true);

    // Assess
    expect(outcome).toStrictEqual({ kind: 'error', reason });
  });

  it('ignores batchItemFailures when ReportBatchItemFailures is off', () => {
    // Act
    const outcome = interpretResponse({ batchItemFailures: [{ itemIdentifier: '100' }] }, SEQUENCES, false);

    // Assess
    expect(outcome).toStrictEqual({ kind: 'success' });
  });
});

describe('Function: toKinesisEvent()', () => {
  it('builds the records exactly as Lambda delivers them (the shape of the pin fixture)', () => {
    // Prepare
    const fixture = loadEvent('kinesis', 'pin');
    const first = fixture.Records[0]!;
    const record = {
      SequenceNumber: first.kinesis.sequenceNumber,
      Data: Buffer.from(first.kinesis.data, 'base64'),
      PartitionKey: first.kinesis.partitionKey,
      ApproximateArrivalTimestamp: new Date(first.kinesis.approximateArrivalTimestamp * 1000),
    };

    // Act
    const event = toKinesisEvent([record], {
      streamArn: first.eventSourceARN,
      shardId: 'shardId-000000000000',
      region: first.awsRegion,
      roleArn: first.invokeIdentityArn,
    });

    // Assess
    expect(event).toStrictEqual({ Records: [first] });
  });
});
