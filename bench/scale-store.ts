/**
 * The object store of the scale simulator: objects in memory, S3's semantics where the Delta code
 * depends on them (conditional create, sorted listing in pages of 1,000 with StartAfter, delimiter
 * listing), and S3-like latency on every request, each counted by type.
 */
import type { ListOptions, ObjectInfo, ObjectStore } from '../libs/storage';

/** Requests by S3 operation. A LIST of n keys is ceil(n / 1000) requests (pages), as S3 bills it. */
export interface RequestCounts {
  GET: number;
  PUT: number;
  LIST: number;
  DELETE: number;
}

/** Latency of one request in ms: log-normal around `medianMs`, heavier tail with `sigma`. */
export interface LatencyModel {
  readonly medianMs: number;
  /** Spread of the log-normal (0.5: p99 ≈ 3.2× the median). */
  readonly sigma: number;
}

/** S3 Standard request prices, us-east-1, dollars per 1,000 requests (DELETE is free). */
export const PRICE_PER_1000 = { GET: 0.0004, PUT: 0.005, LIST: 0.005, DELETE: 0 } as const;

/** Dollars for the counted requests. */
export function priceOf(counts: RequestCounts): number {
  return (
    (counts.GET * PRICE_PER_1000.GET +
      counts.PUT * PRICE_PER_1000.PUT +
      counts.LIST * PRICE_PER_1000.LIST +
      counts.DELETE * PRICE_PER_1000.DELETE) /
    1000
  );
}

export const zeroCounts = (): RequestCounts => ({ GET: 0, PUT: 0, LIST: 0, DELETE: 0 });

/** a − b, per type. */
export function minus(a: RequestCounts, b: RequestCounts): RequestCounts {
  return { GET: a.GET - b.GET, PUT: a.PUT - b.PUT, LIST: a.LIST - b.LIST, DELETE: a.DELETE - b.DELETE };
}

export const total = (c: RequestCounts): number => c.GET + c.PUT + c.LIST + c.DELETE;

interface Entry {
  readonly body: Uint8Array | (() => Uint8Array);
  readonly lastModified: number;
}

const encoder = new TextEncoder();
const PAGE = 1000;

/** A deterministic random source (mulberry32), so runs compare: the tests' own. */
export { seededRandom } from '../tests/helpers/random';

/**
 * The in-memory bucket. Keys are kept sorted (binary search for prefix and StartAfter), so a
 * million-key log lists as S3 would: by pages, from where it is asked.
 */
export class SimBucket {
  private readonly objects = new Map<string, Entry>();
  private keys: string[] = [];
  /** Keys loaded since the last {@link seal}, merged in then (one sort of the new keys, one merge). */
  private pending: string[] = [];
  clock: () => number = Date.now;

  has(key: string): boolean {
    return this.objects.has(key);
  }

  size(): number {
    return this.objects.size;
  }

  /** Adds an object without latency or counting (building a table directly). Call {@link seal} after a bulk load. */
  load(key: string, body: Uint8Array | string | (() => Uint8Array), lastModified = this.clock()): void {
    if (!this.objects.has(key)) this.pending.push(key);
    this.objects.set(key, { body: typeof body === 'string' ? encoder.encode(body) : body, lastModified });
  }

  seal(): void {
    if (this.pending.length === 0) return;
    const added = this.pending.sort();
    this.pending = [];
    const merged: string[] = new Array(this.keys.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.keys.length && j < added.length) {
      merged[k++] = this.keys[i]! < added[j]! ? this.keys[i++]! : added[j++]!;
    }
    while (i < this.keys.length) merged[k++] = this.keys[i++]!;
    while (j < added.length) merged[k++] = added[j++]!;
    this.keys = merged;
  }

  read(key: string): Uint8Array | undefined {
    const entry = this.objects.get(key);
    if (!entry) return undefined;
    return typeof entry.body === 'function' ? entry.body() : entry.body;
  }

  write(key: string, body: Uint8Array | string): void {
    this.seal();
    if (!this.objects.has(key)) this.keys.splice(this.lowerBound(key), 0, key);
    this.objects.set(key, {
      body: typeof body === 'string' ? encoder.encode(body) : body,
      lastModified: this.clock(),
    });
  }

  remove(key: string): void {
    if (!this.objects.delete(key)) return;
    this.seal();
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Keys with `prefix`, after `startAfter`, at most `limit`. */
  scan(prefix: string, startAfter?: string, limit = Number.POSITIVE_INFINITY): ObjectInfo[] {
    this.seal();
    const from = startAfter !== undefined && startAfter >= prefix ? startAfter : prefix;
    let i = this.lowerBound(from);
    if (this.keys[i] === startAfter) i++;
    const found: ObjectInfo[] = [];
    for (; i < this.keys.length && found.length < limit; i++) {
      const key = this.keys[i]!;
      if (!key.startsWith(prefix)) break;
      const entry = this.objects.get(key)!;
      const body = typeof entry.body === 'function' ? undefined : entry.body;
      found.push({ key, size: body?.byteLength ?? 1024, lastModified: entry.lastModified });
    }
    return found;
  }

  /** Folders one level below `prefix` and how many keys were walked to find them (for paging). */
  folders(prefix: string): string[] {
    this.seal();
    const found: string[] = [];
    let i = this.lowerBound(prefix);
    while (i < this.keys.length && this.keys[i]!.startsWith(prefix)) {
      const key = this.keys[i]!;
      const slash = key.indexOf('/', prefix.length);
      if (slash < 0) {
        i++;
        continue;
      }
      const folder = key.slice(0, slash + 1);
      found.push(folder);
      // Skip the folder's contents: the next key after every key starting with `folder`.
      i = this.lowerBound(`${folder}\uffff`);
    }
    return found;
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * Simulated time: requests wait on it instead of on the wall clock, so a day of upkeep runs in minutes.
 * A request started at virtual time t ends at t + its latency; requests in flight together overlap (the
 * earliest to end resumes first, and time jumps to its end unless CPU already took it past), so reading
 * eight files at once costs about one latency, not eight. CPU time is added as the process spends it
 * (`process.cpuUsage`, so other work on a shared machine does not count), on one core: parallel
 * requests overlap with each other, not with CPU. Work {@link exclude}d does not count (what the
 * simulation does on behalf of other machines: the writers). Exact only when everything awaited is a
 * simulated request (no real I/O or timers).
 */
export class VirtualClock {
  private offset = 0;
  private readonly cpuStart = cpuMs();
  private readonly due: { at: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  private draining = false;

  constructor(private readonly epoch: number) {}

  now = (): number => Math.floor(this.epoch + this.offset + (cpuMs() - this.cpuStart));

  /** Moves time forward (between scheduled runs). */
  advance(ms: number): void {
    this.offset += ms;
  }

  /** Resolves when `ms` of simulated time have passed since the call (overlapping other sleeps). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((wake) => {
      this.push({ at: this.exactNow() + ms, seq: this.seq++, wake });
      if (!this.draining) {
        this.draining = true;
        setImmediate(this.wakeNext);
      }
    });
  }

  /** Runs `work` without its CPU time counting. */
  async exclude<T>(work: () => Promise<T>): Promise<T> {
    const started = cpuMs();
    try {
      return await work();
    } finally {
      this.offset -= cpuMs() - started;
    }
  }

  private exactNow(): number {
    return this.epoch + this.offset + (cpuMs() - this.cpuStart);
  }

  // Runs once every runnable continuation has run (a macrotask after the microtasks): the sleeper due
  // first wakes, at its time.
  private readonly wakeNext = (): void => {
    const next = this.pop();
    if (!next) {
      this.draining = false;
      return;
    }
    const late = next.at - this.exactNow();
    if (late > 0) this.offset += late;
    next.wake();
    setImmediate(this.wakeNext);
  };

  private push(item: { at: number; seq: number; wake: () => void }): void {
    const heap = this.due;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): { at: number; seq: number; wake: () => void } | undefined {
    const heap = this.due;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (a: { at: number; seq: number }, b: { at: number; seq: number }): boolean =>
  a.at < b.at || (a.at === b.at && a.seq < b.seq);

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/**
 * One client's view of the bucket: every call waits a sampled latency before it acts (a conditional
 * create decides when it lands, as on S3) and is counted. Each simulated Lambda gets its own, so its
 * requests are counted apart.
 */
export class SimStore implements ObjectStore {
  readonly uri: string;
  readonly counts: RequestCounts = zeroCounts();
  /** Conditional creates of a Delta commit that found the version taken. */
  conflicts = 0;

  constructor(
    private readonly bucket: SimBucket,
    private readonly latency: LatencyModel,
    private readonly random: () => number,
    uri = 's3://sim-lake',
    private readonly clock?: VirtualClock,
  ) {
    this.uri = uri;
  }

  private wait(): Promise<void> {
    const ms = sampleLatency(this.latency, this.random);
    if (this.clock) return this.clock.sleep(ms);
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    this.counts.GET++;
    await this.wait();
    return this.bucket.read(key);
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    this.counts.PUT++;
    await this.wait();
    this.bucket.write(key, body);
  }

  async putIfAbsent(key: string, body: Uint8Array | string): Promise<boolean> {
    this.counts.PUT++;
    await this.wait();
    if (this.bucket.has(key)) {
      if (key.includes('/_delta_log/')) this.conflicts++;
      return false;
    }
    this.bucket.write(key, body);
    return true;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ObjectInfo[]> {
    const found = this.bucket.scan(prefix, options.startAfter, options.limit);
    const pages = Math.max(1, Math.ceil(found.length / PAGE));
    // Pages come one after another (each needs the previous page's continuation token).
    for (let page = 0; page < pages; page++) {
      this.counts.LIST++;
      await this.wait();
    }
    return found;
  }

  async listFolders(prefix: string): Promise<string[]> {
    this.counts.LIST++;
    await this.wait();
    return this.bucket.folders(prefix);
  }

  async delete(key: string): Promise<void> {
    this.counts.DELETE++;
    await this.wait();
    this.bucket.remove(key);
  }
}

/** One latency sample (Box–Muller). */
export function sampleLatency(model: LatencyModel, random: () => number): number {
  if (model.medianMs <= 0) return 0;
  const u = Math.max(random(), 1e-12);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return model.medianMs * Math.exp(model.sigma * normal);
}
