import { backoffDelay, type Clock, DEFAULT_RETRY, TokenBucket } from '../../../libs/emulator';

/** A clock that only moves when told to. */
function manualClock() {
  let now = 0;
  const clock: Clock = { now: () => now, sleep: async () => undefined };
  return { clock, advance: (ms: number) => (now += ms) };
}

describe('TokenBucket', () => {
  it('lets a burst of its capacity through at once, then reserves one token per 1/rate second', () => {
    // Prepare
    const { clock } = manualClock();
    const bucket = new TokenBucket(10, 2, clock);

    // Act
    const waits = Array.from({ length: 5 }, () => bucket.take());

    // Assess
    expect(waits).toStrictEqual([0, 0, 100, 200, 300]);
  });

  it('refills with time, never beyond its capacity', () => {
    // Prepare
    const { clock, advance } = manualClock();
    const bucket = new TokenBucket(10, 3, clock);
    bucket.take();
    bucket.take();
    bucket.take();

    // Act
    advance(150);
    const afterShortPause = [bucket.take(), bucket.take()];
    advance(10_000);
    const afterLongPause = [bucket.take(), bucket.take(), bucket.take(), bucket.take()];

    // Assess
    expect(afterShortPause).toStrictEqual([0, 50]);
    expect(afterLongPause).toStrictEqual([0, 0, 0, 100]);
  });

  it('queues callers beyond the burst at 1/rate intervals: a second holds at most rate + capacity', () => {
    // Prepare
    const { clock } = manualClock();
    const bucket = new TokenBucket(50, 5, clock);

    // Act
    const waits = Array.from({ length: 200 }, () => bucket.take());

    // Assess
    expect(waits.slice(0, 8)).toStrictEqual([0, 0, 0, 0, 0, 20, 40, 60]);
    expect(waits.filter((wait) => wait <= 1000)).toHaveLength(55);
  });

  it('defaults its capacity to a tenth of a second of posts, at least one', () => {
    // Prepare
    const { clock } = manualClock();

    // Act
    const capacities = [new TokenBucket(500, undefined, clock), new TokenBucket(3, undefined, clock)].map(
      (bucket) => bucket.capacity,
    );

    // Assess
    expect(capacities).toStrictEqual([50, 1]);
  });

  it('refuses a rate that is not a positive number', () => {
    // Prepare
    const { clock } = manualClock();

    // Act
    const make = () => new TokenBucket(0, 1, clock);

    // Assess
    expect(make).toThrow(new RangeError('rate must be a positive number, got 0'));
  });
});

describe('backoffDelay', () => {
  it('doubles from the base with half of each delay random, up to the cap', () => {
    // Prepare
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };

    // Act
    const lowest = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, 0));
    const highest = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, 0.999));

    // Assess
    expect(lowest).toStrictEqual([50, 100, 200, 400, 500, 500]);
    expect(highest.map(Math.round)).toStrictEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('waits at least a server Retry-After, but never beyond the cap', () => {
    // Prepare
    const policy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 5000 };

    // Act
    const delays = [backoffDelay(policy, 1, 0, 2000), backoffDelay(policy, 1, 0, 60_000)];

    // Assess
    expect(delays).toStrictEqual([2000, 5000]);
  });
});
