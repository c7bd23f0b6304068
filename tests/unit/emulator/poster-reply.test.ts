import { judgeReply } from '../../../libs/emulator/poster-http';

const reply = (status: number, body: unknown) => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  retryAfterMs: undefined,
});

describe('judgeReply', () => {
  it('accepts a 2xx stream reply and a REST Proxy reply whose record has no error code', () => {
    // Prepare
    const stream = reply(200, { SequenceNumber: '1', ShardId: 'shardId-000000000000' });
    const batch = reply(200, { offsets: [{ partition: 0, offset: 4, error_code: null, error: null }] });

    // Act
    const verdicts = [judgeReply(false, stream), judgeReply(true, batch)];

    // Assess
    expect(verdicts).toStrictEqual([{ ok: true }, { ok: true }]);
  });

  it('retries Kafka error 50003 but not 50002, naming the code and message', () => {
    // Prepare
    const offsets = (code: number) => ({
      offsets: [{ partition: null, offset: null, error_code: code, error: 'Leader not available' }],
    });

    // Act
    const verdicts = [
      judgeReply(true, reply(200, offsets(50003))),
      judgeReply(true, reply(200, offsets(50002))),
    ];

    // Assess
    expect(verdicts).toStrictEqual([
      { ok: false, retry: true, error: 'Kafka error 50003: Leader not available' },
      { ok: false, retry: false, error: 'Kafka error 50002: Leader not available' },
    ]);
  });

  it('retries 429 and 5xx, fails 4xx at once, quoting the API message or the raw body', () => {
    // Prepare
    const replies = [
      reply(429, { message: 'Too Many Requests' }),
      reply(502, { message: 'Internal server error' }),
      reply(404, { error_code: 40401, message: 'Topic x not found' }),
      reply(400, { Message: 'bad stream body' }),
      reply(503, '<html>Service Unavailable</html>'),
    ];

    // Act
    const verdicts = replies.map((r) => judgeReply(true, r));

    // Assess
    expect(verdicts).toStrictEqual([
      { ok: false, retry: true, error: 'HTTP 429: Too Many Requests' },
      { ok: false, retry: true, error: 'HTTP 502: Internal server error' },
      { ok: false, retry: false, error: 'HTTP 404: Topic x not found' },
      { ok: false, retry: false, error: 'HTTP 400: bad stream body' },
      { ok: false, retry: true, error: 'HTTP 503: <html>Service Unavailable</html>' },
    ]);
  });
});
