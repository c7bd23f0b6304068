import {
  type Clock,
  emulatePosts,
  generatePoolRow,
  type Post,
  PosterError,
  type SourcePost,
} from '../../../libs/emulator';
import { type Answer, produceReply, type Received, type ScriptedApi, startScriptedApi } from './scripted-api';

// The poster's retries, failures, aborts and rate limit, against a plain HTTP server whose answers
// each test scripts (the real ingest functions cannot be made to answer 429 or cut a connection).
const PIPELINE = 'pinlake';
const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5 };

/** Posts with distinct ids 0..count-1. */
const distinctPosts = (count: number, seed = 3): Post[] =>
  Array.from({ length: count }, (_, id) => generatePoolRow(seed, id));

const idOfRequest = (request: Received): unknown => {
  const body = request.body as {
    records?: { value: { index?: number; ind?: number } }[];
    Data?: { index?: number; ind?: number };
  };
  const record = body.records?.[0]?.value ?? body.Data;
  return record?.index ?? record?.ind;
};

let api: ScriptedApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const ok = (request: Received): Answer =>
  request.method === 'POST' ? produceReply() : { status: 200, body: {} };

describe('emulatePosts with a scripted API', () => {
  it('sends a post as batch pin, geo, user then stream pin, geo, user, with the seed scripts bodies', async () => {
    // Prepare
    api = await startScriptedApi(ok);
    const posts = distinctPosts(5);

    // Act
    const summary = await emulatePosts({
      api: api.url,
      apiKey: 'k1',
      source: posts,
      mode: 'both',
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary.records).toStrictEqual({ sent: 30, failed: 0 });
    for (const post of posts) {
      const id = post.pin.index;
      const batch = (kind: 'pin' | 'geo' | 'user') => ({
        method: 'POST',
        path: `/topics/pinlake.${kind}`,
        contentType: 'application/vnd.kafka.json.v2+json',
        apiKey: 'k1',
        body: { records: [{ value: post[kind] }] },
      });
      const stream = (kind: 'pin' | 'geo' | 'user') => ({
        method: 'PUT',
        path: `/streams/streaming-pinlake-${kind}/record`,
        contentType: 'application/json',
        apiKey: 'k1',
        body: { StreamName: `streaming-pinlake-${kind}`, Data: post[kind], PartitionKey: String(id) },
      });
      expect(api.received.filter((request) => idOfRequest(request) === id)).toStrictEqual([
        batch('pin'),
        batch('geo'),
        batch('user'),
        stream('pin'),
        stream('geo'),
        stream('user'),
      ]);
    }
  });

  it('retries 5xx, 429, retriable Kafka errors and cut connections until each record is accepted', async () => {
    // Prepare
    api = await startScriptedApi((request, before) => {
      if (before === 0)
        return request.method === 'POST' ? produceReply(50003) : { status: 503, body: { message: 'busy' } };
      if (before === 1)
        return { status: 429, body: { message: 'Too Many Requests' }, headers: { 'Retry-After': '0' } };
      if (before === 2) return 'drop';
      return ok(request);
    });

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: distinctPosts(3),
      mode: 'both',
      pipelineId: PIPELINE,
      retry: FAST_RETRY,
    });

    // Assess
    expect(summary).toStrictEqual({
      mode: 'both',
      posts: 3,
      postsComplete: 3,
      postsIncomplete: 0,
      records: { sent: 18, failed: 0 },
      requests: { '200': 27, '429': 18, '503': 9, network: 18 },
      retries: 54,
      failures: [],
      stoppedBy: 'end',
      sourceError: null,
      durationMs: expect.any(Number),
      postsPerSecond: expect.any(Number),
    });
  });

  it('reports each record that finally failed with its post, request, attempts and the API message', async () => {
    // Prepare
    api = await startScriptedApi((request) => {
      if (request.path.endsWith('.pin')) return produceReply(50002);
      if (request.path.endsWith('.geo')) return { status: 400, body: { message: 'bad geo' } };
      return { status: 500, body: { message: 'Internal server error' } };
    });
    const posts = distinctPosts(2);

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: posts,
      mode: 'batch',
      concurrency: 1,
      pipelineId: PIPELINE,
      retry: { ...FAST_RETRY, maxAttempts: 3 },
    });

    // Assess
    const failures = posts.flatMap((post, i) => [
      {
        post: i + 1,
        id: post.pin.index,
        kind: 'pin',
        request: 'POST /topics/pinlake.pin',
        attempts: 1,
        error: 'Kafka error 50002: Kafka error 50002',
      },
      {
        post: i + 1,
        id: post.pin.index,
        kind: 'geo',
        request: 'POST /topics/pinlake.geo',
        attempts: 1,
        error: 'HTTP 400: bad geo',
      },
      {
        post: i + 1,
        id: post.pin.index,
        kind: 'user',
        request: 'POST /topics/pinlake.user',
        attempts: 3,
        error: 'HTTP 500: Internal server error',
      },
    ]);
    expect(summary).toStrictEqual({
      mode: 'batch',
      posts: 2,
      postsComplete: 0,
      postsIncomplete: 2,
      records: { sent: 0, failed: 6 },
      requests: { '200': 2, '400': 2, '500': 6 },
      retries: 4,
      failures,
      stoppedBy: 'end',
      sourceError: null,
      durationMs: expect.any(Number),
      postsPerSecond: expect.any(Number),
    });
  });

  it('stops on abort without starting new posts and lets the posts in flight finish whole', async () => {
    // Prepare
    const controller = new AbortController();
    api = await startScriptedApi((request) => {
      if (api?.received.length === 10) controller.abort();
      return ok(request);
    });
    const posts = distinctPosts(200);

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: posts,
      mode: 'stream',
      concurrency: 4,
      pipelineId: PIPELINE,
      signal: controller.signal,
    });

    // Assess
    const received = new Map<unknown, number>();
    for (const request of api.received)
      received.set(idOfRequest(request), (received.get(idOfRequest(request)) ?? 0) + 1);
    expect(summary.stoppedBy).toBe('abort');
    expect(summary.posts).toBeLessThan(200);
    expect(summary.postsIncomplete).toBe(0);
    expect(summary.records).toStrictEqual({ sent: 3 * summary.posts, failed: 0 });
    expect([...received.values()]).toStrictEqual(Array.from({ length: summary.posts }, () => 3));
  });

  it('cuts requests still unanswered after the grace period and reports their posts as incomplete', async () => {
    // Prepare
    const controller = new AbortController();
    api = await startScriptedApi((request) => {
      if ((api?.received.length ?? 0) < 8) return ok(request);
      controller.abort();
      return 'hang';
    });

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: distinctPosts(50),
      mode: 'stream',
      concurrency: 2,
      pipelineId: PIPELINE,
      signal: controller.signal,
      graceMs: 20,
    });

    // Assess
    const cut = summary.failures.filter((failure) => failure.attempts === 1);
    const unsent = summary.failures.filter((failure) => failure.attempts === 0);
    expect(summary.stoppedBy).toBe('abort');
    expect(summary.records.sent).toBe(7);
    expect(summary.records.sent + summary.records.failed).toBe(3 * summary.posts);
    expect(summary.postsComplete + summary.postsIncomplete).toBe(summary.posts);
    expect(summary.postsIncomplete).toBe(new Set(summary.failures.map((failure) => failure.post)).size);
    expect(cut.length).toBe(summary.requests.network);
    expect(cut.every((failure) => failure.error.endsWith('(not retried: the run was aborted)'))).toBe(true);
    expect(unsent.every((failure) => failure.error === 'not sent: the run was aborted')).toBe(true);
    expect(cut.length + unsent.length).toBe(summary.records.failed);
  });

  it('ends with the source error after sending every post the source gave', async () => {
    // Prepare
    api = await startScriptedApi(ok);
    async function* failing(): AsyncGenerator<SourcePost> {
      yield* distinctPosts(3);
      throw new Error('cannot read row 3 of pinterest_data');
    }

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: failing(),
      mode: 'stream',
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary).toMatchObject({
      posts: 3,
      postsComplete: 3,
      records: { sent: 9, failed: 0 },
      stoppedBy: 'source-error',
      sourceError: 'cannot read row 3 of pinterest_data',
    });
  });

  it('spaces posts by the rate limit: 11 posts at 20/s with a burst of 2 take 450 ms of waiting', async () => {
    // Prepare
    api = await startScriptedApi(ok);
    const sleeps: number[] = [];
    let now = 0;
    const clock: Clock = {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    };

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: distinctPosts(11),
      mode: 'stream',
      concurrency: 1,
      rate: 20,
      clock,
      pipelineId: PIPELINE,
    });

    // Assess
    expect(sleeps).toStrictEqual(Array.from({ length: 9 }, () => 50));
    expect(summary.durationMs).toBe(450);
    expect(summary.postsPerSecond).toBe(24.4);
  });

  it('never exceeds the rate on the real clock: 15 posts at 50/s take at least 200 ms', async () => {
    // Prepare
    api = await startScriptedApi(ok);
    const started = performance.now();

    // Act
    const summary = await emulatePosts({
      api: api.url,
      source: distinctPosts(15),
      mode: 'stream',
      rate: 50,
      pipelineId: PIPELINE,
    });

    // Assess
    expect(summary.postsComplete).toBe(15);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
  });

  it('refuses an API URL that is not http or https, naming it', async () => {
    // Prepare
    const options = { api: 'ftp://example.com', source: [], mode: 'batch' as const, pipelineId: PIPELINE };

    // Act
    const attempt = emulatePosts(options);

    // Assess
    await expect(attempt).rejects.toThrow(
      new PosterError('--api must be an http:// or https:// URL, got "ftp://example.com"'),
    );
  });
});
