import { performance } from 'node:perf_hooks';
import type { BatchCleanSummary } from '../../libs/batch';
import { type EmulateMode, type EmulateProgress, emulatePosts, openPostSource } from '../../libs/emulator';
import { readLakeInventory } from '../../libs/lake';
import { type LocalStackOptions, startLocalStack } from './start-local-stack';

/** Settings of {@link runPipeline}. */
export interface PipelineRunOptions {
  /** The lake: a directory or a `file://`/`s3://` URI. */
  readonly lake: string;
  /** Posts to send (a posts file sends at most this many). */
  readonly posts: number;
  readonly mode: EmulateMode;
  /** `generator`, the path of a posts NDJSON file, or a `mysql://…` URL. */
  readonly source: string;
  readonly seed: number;
  /** Probability that each step of each function and poller fails on purpose. */
  readonly chaos: number;
  readonly pipelineId?: string;
  /** Posts in flight at once (default 32). */
  readonly concurrency?: number;
  /** Stops sending; what was accepted is still drained into the lake, and the summary is partial. */
  readonly signal?: AbortSignal;
  /** Called when a stage starts and after each post sent. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Overrides of the stack's settings (ports, shards, event sources, logs). */
  readonly stack?: Partial<LocalStackOptions>;
}

/** The stages of a run, in order. */
type Stage = 'start' | 'send' | 'drain' | 'batch-clean' | 'analytics';

/** Where a run is. */
export interface RunProgress {
  readonly stage: Stage;
  /** While sending: the poster's counts so far. */
  readonly sent?: EmulateProgress;
}

/** What a run did: the shape `pinlake start --json` prints. */
export interface PipelineSummary {
  readonly lake: string;
  readonly pipelineId: string;
  readonly source: string;
  readonly mode: EmulateMode;
  readonly chaos: number;
  /** True when the run was stopped (Ctrl-C) before every post was sent. */
  readonly interrupted: boolean;
  readonly posts: {
    readonly sent: number;
    readonly complete: number;
    readonly incomplete: number;
    readonly records: number;
    readonly recordsFailed: number;
    readonly retries: number;
    readonly perSecond: number;
  };
  /** API requests by HTTP status (`network`: no reply). */
  readonly requests: Readonly<Record<string, number>>;
  readonly tables: Readonly<Record<string, number>>;
  readonly quarantined: Readonly<Record<string, number>>;
  readonly onFailure: number;
  /** Per table, how many rows batch-clean nulled each column of (field-level garbage). */
  readonly nulled: BatchCleanSummary['nulled'] | null;
  /** The analytics report's URI (`file://…/reports/<run>/index.html`), null when analytics did not run. */
  readonly report: string | null;
  /** What each stage did: `ok`, `skipped (…)` or `not available (…)`. */
  readonly stages: Readonly<Record<Stage, string>>;
  /** Milliseconds per stage (0 when skipped), and in all. */
  readonly durationsMs: Readonly<Record<Stage | 'total', number>>;
  /** The first failures of records the API did not accept. */
  readonly failures: readonly string[];
}

/**
 * Runs the whole pipeline on a fresh local stack: sends posts through the HTTP API on the chosen
 * paths, drains every event source, runs batch-clean and batch-analytics (when the batch path was
 * fed), counts what the lake holds and stops the stack. An abort through
 * `signal` stops the sending only: the posts in flight finish, everything accepted is drained and
 * cleaned as usual, and the summary says `interrupted`. Rejects when the source cannot be opened or a
 * stage fails.
 */
export async function runPipeline(options: PipelineRunOptions): Promise<PipelineSummary> {
  const began = performance.now();
  const durations: Record<Stage | 'total', number> = {
    start: 0,
    send: 0,
    drain: 0,
    'batch-clean': 0,
    analytics: 0,
    total: 0,
  };
  const stages: Record<Stage, string> = {
    start: 'ok',
    send: 'ok',
    drain: 'ok',
    'batch-clean': 'skipped (no batch path)',
    analytics: 'skipped (no batch path)',
  };
  const timed = async <T>(stage: Stage, work: () => Promise<T>): Promise<T> => {
    options.onProgress?.({ stage });
    const started = performance.now();
    try {
      return await work();
    } finally {
      durations[stage] = Math.round(performance.now() - started);
    }
  };
  const source = await openPostSource(options.source, { posts: options.posts, seed: options.seed });
  const stack = await timed('start', () =>
    startLocalStack({
      lake: options.lake,
      pipelineId: options.pipelineId,
      chaos: options.chaos,
      ...options.stack,
    }),
  );
  try {
    const sent = await timed('send', () =>
      emulatePosts({
        api: stack.api,
        apiKey: stack.apiKey,
        source,
        mode: options.mode,
        pipelineId: stack.pipelineId,
        concurrency: options.concurrency ?? 32,
        signal: options.signal,
        // Locally a retry is cheap; under chaos a record may need several before a reply survives.
        retry: { maxAttempts: options.chaos > 0 ? 50 : 5, baseDelayMs: 10, maxDelayMs: 200 },
        onProgress: (progress) => options.onProgress?.({ stage: 'send', sent: progress }),
      }),
    );
    const interrupted = sent.stoppedBy === 'abort';
    if (sent.stoppedBy === 'source-error') stages.send = `stopped: ${sent.sourceError}`;
    else if (interrupted) stages.send = 'interrupted';
    // Nothing is accepted after the sending, from this poster or any other client, so the drain
    // lands everything the API ever answered 200 to.
    await timed('drain', async () => {
      await stack.stopAccepting();
      await stack.drain();
    });
    let nulled: PipelineSummary['nulled'] = null;
    let report: string | null = null;
    if (options.mode !== 'stream') {
      nulled = (await timed('batch-clean', () => stack.runBatchClean())).nulled;
      stages['batch-clean'] = 'ok';
      report = (await timed('analytics', () => stack.runAnalytics())).reportKey;
      stages.analytics = 'ok';
    }
    const { tables, quarantined, onFailure } = await readLakeInventory(stack.store, { resultTables: true });
    durations.total = Math.round(performance.now() - began);
    return {
      lake: stack.lake,
      pipelineId: stack.pipelineId,
      source: source.name,
      mode: options.mode,
      chaos: options.chaos,
      interrupted,
      posts: {
        sent: sent.posts,
        complete: sent.postsComplete,
        incomplete: sent.postsIncomplete,
        records: sent.records.sent,
        recordsFailed: sent.records.failed,
        retries: sent.retries,
        perSecond: sent.postsPerSecond,
      },
      requests: sent.requests,
      tables,
      quarantined,
      onFailure,
      nulled,
      report: report === null ? null : `${stack.lake.replace(/\/+$/, '')}/${report}`,
      stages,
      durationsMs: durations,
      failures: sent.failures.map((f) => `post ${f.post} (${f.kind}): ${f.request}: ${f.error}`),
    };
  } finally {
    await stack.stop();
  }
}
