import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { AnalyticsSummary } from '../../libs/analytics';
import type { BatchCleanSummary } from '../../libs/batch';
import { setChaos } from '../../libs/chaos';
import { loadConfig, loadLakeSettings } from '../../libs/config';
import { mskOauthBearerTokenProvider, signerWithCredentials } from '../../libs/kafka';
import { createKinesisClient } from '../../libs/kinesis';
import { openLake } from '../../libs/lake/open-lake';
import type { TableUpkeep } from '../../libs/maintenance';
import { topicNames } from '../../libs/naming';
import { pause } from '../../libs/retry';
import type { ObjectStore } from '../../libs/storage';
import type { CommitStagedSummary } from '../../libs/stream-to-delta';
import { type DeploymentModel, loadDeployment } from '../deployment';
import {
  type AwsCall,
  coldStartCalls,
  enforceIamOnStore,
  eventSourceCalls,
  IamEnforcer,
  kafkaAuthorizer,
  kinesisAuthorizer,
  localCredentials,
  startMskApi,
} from '../iam';
import { KafkaBroker } from '../kafka';
import type { LogSettings } from '../kafka/partition-log';
import { type LocalKinesis, startKinesis } from '../kinesis';
import { createLambdaContext } from '../pollers';
import { type Edge, startEdge } from './edge';
import { LocalStackError } from './errors';
import {
  type EventSourceSettings,
  type EventSources,
  type MappingTarget,
  startEventSources,
} from './event-sources';
import { createEventFunctions, type EventFunctions, type FunctionLogLevel } from './functions';
import { checkLakeContinuity, streamCheckpoints } from './lake-continuity';
import { runScheduled } from './schedule';

/** Settings of {@link startLocalStack}. */
export interface LocalStackOptions {
  /** The lake: a directory, or a `file://` or `s3://` URI. */
  readonly lake: string;
  /** Names the streams and topics (default `pinlake`). */
  readonly pipelineId?: string;
  /** The API's port on 127.0.0.1 (default 0: a free port). */
  readonly apiPort?: number;
  /** The key the API requires in `x-api-key`; none by default. */
  readonly apiKey?: string;
  /** Probability that each step of each function and poller fails on purpose (default 0). */
  readonly chaos?: number;
  /** Shards per Kinesis stream (default 2). */
  readonly shards?: number;
  /** Partitions per Kafka topic (default 2). */
  readonly partitions?: number;
  /** Ports of kinesalite and the Kafka broker (default 0: free ports). */
  readonly kinesisPort?: number;
  readonly kafkaPort?: number;
  /**
   * Where the broker's logs and kinesalite's data live, so a stack started again on the same lake
   * goes on where it stopped: default `<lake>/.local` for a directory lake; for an `s3://` lake a
   * temporary directory (nothing survives the stack).
   */
  readonly stateDir?: string;
  /** Segment size, retention and fsync policy of the broker's partition logs. */
  readonly kafkaLog?: Partial<LogSettings>;
  /** Overrides of the event source mappings' settings. */
  readonly eventSources?: Partial<EventSourceSettings>;
  /**
   * Enforce each function's IAM role (from serverless/resources/iam.yml) on every AWS call it and its
   * event sources make, as AWS does (default true). A denied call fails with AccessDenied.
   */
  readonly iam?: boolean;
  /**
   * The deployment definition to run (default: serverless.yml of this repository, read once).
   * Tests pass one with a statement removed.
   */
  readonly deployment?: DeploymentModel;
  /**
   * stream-to-delta's commit mode (the `streamCommitMode` parameter of serverless.yml; default its
   * value there, `direct`). `staged`: batches are staged and commit-staged runs as long as the stack,
   * committing them, and `drain` commits what is staged.
   */
  readonly streamCommitMode?: 'direct' | 'staged';
  /** The functions' Powertools log level (default SILENT). */
  readonly logLevel?: FunctionLogLevel;
  /** Receives the stack's own notes: poller retries and crashes, broker messages (default: dropped). */
  readonly log?: (line: string) => void;
}

/** A running local stack. */
export interface LocalStack {
  /** The API's base URL, `http://127.0.0.1:<port>`. */
  readonly api: string;
  /** kinesalite's endpoint, for `KINESIS_ENDPOINT`. */
  readonly kinesis: string;
  /** The broker's `host:port`, for `KAFKA_BROKERS`. */
  readonly kafka: string;
  /** The lake's URI, for `LAKE_URI`. */
  readonly lake: string;
  readonly pipelineId: string;
  readonly apiKey: string | undefined;
  readonly store: ObjectStore;
  /** The environment that points a function (`sls invoke local`, a script) at this stack. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * The environment of one function: `env` with that function's local role credentials, so that
   * its calls are checked against its role (when IAM is enforced).
   */
  functionEnv(functionName: string): Readonly<Record<string, string>>;
  /** The IAM evaluator every call goes through, with its record of decisions; undefined with `iam: false`. */
  readonly iam: IamEnforcer | undefined;
  /**
   * Resolves once every accepted request has its reply and every event source has caught up: all
   * that the API accepted before the call is in the lake (raw landing and stream tables).
   */
  drain(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Stops the API accepting requests (new connections refused, new requests on open connections
   * answered 503) and waits until every accepted request has its reply; a `drain()` after it lands
   * everything the stack ever accepted. Rejects when requests are still under way after `timeoutMs`.
   */
  stopAccepting(options?: { timeoutMs?: number }): Promise<void>;
  /** `stopAccepting()`, `drain()`, then `stop()`: nothing accepted is left behind (SIGTERM's path). */
  shutdown(options?: { timeoutMs?: number }): Promise<void>;
  /** Runs batch-clean now, as its schedule would, retrying failures on purpose; resolves its summary. */
  runBatchClean(): Promise<BatchCleanSummary>;
  /** Runs batch-analytics now, as its schedule would (after batch-clean); resolves its summary. */
  runAnalytics(): Promise<AnalyticsSummary>;
  /**
   * Runs commit-staged now until a round commits nothing (`{"untilIdle": true}`), retrying failures on
   * purpose; resolves its summary.
   */
  runCommitStaged(): Promise<CommitStagedSummary>;
  /** Runs maintain-tables now, as its schedule would (`retentionHours` overrides the vacuum retention). */
  runMaintenance(options?: { retentionHours?: number }): Promise<TableUpkeep[]>;
  /** Stops the pollers (after the invocations under way), the API, the broker and kinesalite. */
  stop(): Promise<void>;
}

const DEFAULT_SOURCES: Omit<EventSourceSettings, 'log'> = {
  // Fewer, larger batches: each one is a Parquet file and a Delta commit (measured: 1,000 posts took
  // 11 s of CPU instead of 18 s with a 200 ms window and 20 ms polls).
  batchingWindowMs: 1000,
  pollIntervalMs: 250,
};

const LOCAL_REGION = 'us-east-1';
/** The local stand-in for the MSK cluster ARN parameter (account and region of the local stack). */
const LOCAL_CLUSTER_ARN = `arn:aws:kafka:${LOCAL_REGION}:000000000000:cluster/pinlake-local/00000000-0000-0000-0000-000000000000-1`;

const deployments = new Map<string, DeploymentModel>();

/**
 * The deployment definition (serverless.yml) evaluated for the local stack of a pipeline: stage
 * `local`, account 000000000000, us-east-1, the local MSK cluster. Read once per pipeline id.
 */
export function loadLocalDeployment(
  pipelineId = 'pinlake',
  streamCommitMode?: 'direct' | 'staged',
): DeploymentModel {
  const key = `${pipelineId}\n${streamCommitMode ?? ''}`;
  let found = deployments.get(key);
  if (!found) {
    found = loadDeployment({
      region: LOCAL_REGION,
      params: {
        pipelineId,
        mskClusterArn: LOCAL_CLUSTER_ARN,
        ...(streamCommitMode === undefined ? {} : { streamCommitMode }),
      },
    });
    deployments.set(key, found);
  }
  return found;
}

/** The lake URI for a directory or URI: a plain path becomes a `file://` URL of its absolute path. */
function lakeUriOf(lake: string): string {
  return /^(file|s3):\/\//.test(lake) ? lake : pathToFileURL(resolve(lake)).href;
}

/**
 * Starts the whole pipeline in this process: kinesalite with the three streams, the embedded Kafka
 * broker with the three topics, the API (ingest-stream and ingest-batch routes, API Gateway events)
 * on 127.0.0.1, and the event sources feeding stream-to-delta and land-topics. The functions are the
 * real handlers, configured for these endpoints. `chaos` is set for the whole process until `stop`.
 * What was started is stopped again when a later part fails to start.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const pipelineId = options.pipelineId ?? 'pinlake';
  const lake = lakeUriOf(options.lake);
  const log = options.log ?? (() => {});
  const chaos = options.chaos ?? 0;
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const region = LOCAL_REGION;
    const clusterArn = LOCAL_CLUSTER_ARN;
    const deployment = options.deployment ?? loadLocalDeployment(pipelineId, options.streamCommitMode);
    const iam =
      options.iam === false
        ? undefined
        : new IamEnforcer(deployment, (call, error) =>
            log(`iam: denied ${call.functionName}: ${error.message}`),
          );
    const stateDir =
      options.stateDir ?? (lake.startsWith('file:') ? join(fileURLToPath(lake), '.local') : undefined);
    const kinesisDir = stateDir === undefined ? undefined : join(stateDir, 'kinesis');
    const kafkaDir = stateDir === undefined ? undefined : join(stateDir, 'kafka');
    const kinesisFresh = kinesisDir === undefined || !existsSync(join(kinesisDir, 'CURRENT'));
    const brokerFresh = kafkaDir === undefined || !existsSync(join(kafkaDir, 'topics.json'));
    if (stateDir !== undefined) mkdirSync(stateDir, { recursive: true });
    // The broker first: its lock refuses a second stack on the same lake with a clear message
    // before kinesalite's LevelDB lock would fail it less clearly.
    const broker = await KafkaBroker.start({
      dataDir: kafkaDir,
      logSettings: options.kafkaLog,
      port: options.kafkaPort ?? 0,
      autoCreateTopics: false,
      topics: topicNames(pipelineId).map((name) => ({ name, partitions: options.partitions ?? 2 })),
      log: (line) => log(`kafka: ${line}`),
      ...(iam ? { authorizer: kafkaAuthorizer(iam, clusterArn) } : {}),
    });
    cleanups.push(() => broker.close());
    const kinesis: LocalKinesis = await startKinesis({
      pipelineId,
      path: kinesisDir,
      region,
      shardCount: options.shards ?? 2,
      port: options.kinesisPort,
      ...(iam ? { authorize: kinesisAuthorizer(iam) } : {}),
    });
    cleanups.push(() => kinesis.close());
    const mskApi = await startMskApi({ clusterArn, bootstrap: broker.bootstrap, iam });
    cleanups.push(() => mskApi.close());
    // With IAM, ingest-batch reaches the broker as on AWS: the brokers from the MSK API, then
    // SASL/OAUTHBEARER with a token signed as its role (no TLS locally).
    const lakeSettings = loadLakeSettings();
    const kafkaEnv: Record<string, string> = iam
      ? { MSK_CLUSTER_ARN: clusterArn, MSK_ENDPOINT: mskApi.endpoint, KAFKA_TLS: 'false' }
      : { KAFKA_BROKERS: broker.bootstrap };
    const env = {
      PIPELINE_ID: pipelineId,
      LAKE_URI: lake,
      KINESIS_ENDPOINT: kinesis.endpoint,
      ...kafkaEnv,
      AWS_REGION: kinesis.region,
      // An s3:// lake is reached as every command reaches it: through the shell's S3_ENDPOINT.
      ...(lakeSettings.s3Endpoint === undefined ? {} : { S3_ENDPOINT: lakeSettings.s3Endpoint }),
      ...(options.apiKey === undefined ? {} : { API_KEY: options.apiKey }),
      STREAM_COMMIT_MODE: deployment.functions['stream-to-delta']?.environment.STREAM_COMMIT_MODE ?? 'direct',
    };
    const config = loadConfig(env);
    const store = openLake(config, lake);
    await checkLakeContinuity({
      store,
      lake,
      stateDir: stateDir ?? '(none: an s3:// lake)',
      broker,
      pipelineId,
      brokerFresh,
      kinesis: kinesis.client,
      kinesisFresh,
    });
    const lakeBucket = deployment.physicalName('LakeBucket');
    const onFailureBucket = deployment.physicalName('OnFailureBucket');
    const storeFor = (functionName: string, bucket = lakeBucket) =>
      iam ? enforceIamOnStore(store, iam, { functionName, bucket }) : store;
    if (iam) await checkColdStarts(iam, deployment);
    const logLevel = options.logLevel ?? 'SILENT';
    const environments = Object.fromEntries(
      Object.values(deployment.functions).map((facts) => [facts.name, facts.environment]),
    );
    const functions = createEventFunctions(config, (name) => storeFor(name), environments, logLevel);
    const edge = await startEdge({
      env,
      environments,
      apiPort: options.apiPort ?? 0,
      chaos,
      logLevel,
      iam: iam !== undefined,
    });
    cleanups.push(() => edge.close());
    if (chaos > 0) {
      setChaos(chaos);
      cleanups.push(async () => setChaos(undefined));
    }
    const handlers: Record<string, EventFunctions['streamToDelta'] | EventFunctions['landTopics']> = {
      'stream-to-delta': functions.streamToDelta,
      'land-topics': functions.landTopics,
    };
    // An MSK mapping with IAM auth connects as the function's execution role, as ingest-batch does.
    const tokenOf = (functionName: string) =>
      mskOauthBearerTokenProvider(region, signerWithCredentials(localCredentials(functionName)));
    const targets: MappingTarget[] = [];
    for (const [functionName, handler] of Object.entries(handlers)) {
      const facts = deployment.functions[functionName];
      for (const mapping of facts?.eventSources ?? []) {
        if (iam)
          await requireAll(
            iam,
            eventSourceCalls(iam, functionName, mapping),
            `the ${mapping.kind} mapping ${mapping.source} → ${functionName}`,
          );
        const reader =
          mapping.kind === 'kinesis'
            ? {
                kinesis: trackClient(
                  cleanups,
                  createKinesisClient({
                    region,
                    endpoint: kinesis.endpoint,
                    credentials: iam ? localCredentials(functionName) : undefined,
                  }),
                ),
              }
            : {
                kafka: {
                  bootstrapServers: broker.bootstrap,
                  ...(iam ? { token: tokenOf(functionName) } : {}),
                },
              };
        targets.push({
          functionName,
          mapping,
          ...reader,
          ...(mapping.kind === 'kinesis'
            ? { checkpoints: await streamCheckpoints(store, kinesis.client, pipelineId, mapping.source) }
            : {}),
          handler,
          onFailure: storeFor(functionName, onFailureBucket),
          timeoutMs: (facts?.timeoutSeconds ?? 120) * 1000,
        });
      }
    }
    const sources: EventSources = await startEventSources(targets, {
      ...DEFAULT_SOURCES,
      // Under chaos most invocations fail somewhere; Lambda would give up on a record after its
      // retries, which would lose it from the tables. Locally the point is to show nothing is lost.
      ...(chaos > 0 ? { maximumRetryAttempts: 10_000 } : {}),
      ...options.eventSources,
      log: (message, details) => log(describeNote(message, details)),
    });
    cleanups.push(() => sources.stop());
    if (config.streamCommitMode === 'staged') {
      const committer = runCommitterLoop(functions, log);
      cleanups.push(committer.stop);
    }
    return describeStack(
      { edge, kinesis, broker, lake, pipelineId, options, store, env, iam },
      {
        functions,
        sources,
        chaos,
        asyncOnFailure: (functionName) =>
          deployment.functions[functionName]?.asyncInvoke.onFailureDestination === undefined
            ? undefined
            : storeFor(functionName, onFailureBucket),
        stop: stopAll,
      },
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface Endpoints {
  readonly edge: Edge;
  readonly kinesis: LocalKinesis;
  readonly broker: KafkaBroker;
  readonly lake: string;
  readonly pipelineId: string;
  readonly options: LocalStackOptions;
  readonly store: ObjectStore;
  readonly env: Record<string, string>;
  readonly iam: IamEnforcer | undefined;
}

interface Parts {
  readonly functions: EventFunctions;
  /** Where a scheduled function's failed invocation record goes (its async on-failure destination). */
  readonly asyncOnFailure: (functionName: string) => ObjectStore | undefined;
  readonly sources: EventSources;
  readonly chaos: number;
  readonly stop: () => Promise<void>;
}

function describeStack(endpoints: Endpoints, parts: Parts): LocalStack {
  const { edge, kinesis, broker, lake, pipelineId, options, store, env, iam } = endpoints;
  const stack: LocalStack = {
    api: edge.url,
    kinesis: kinesis.endpoint,
    kafka: broker.bootstrap,
    lake,
    pipelineId,
    apiKey: options.apiKey,
    store,
    env,
    iam,
    functionEnv: (functionName) => {
      const credentials = iam ? localCredentials(functionName) : undefined;
      return credentials
        ? {
            ...env,
            AWS_ACCESS_KEY_ID: credentials.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
          }
        : env;
    },
    drain: async (drainOptions = {}) => {
      const timeoutMs = drainOptions.timeoutMs ?? 120_000;
      if (!(await edge.settled(timeoutMs))) {
        throw new LocalStackError(`API requests are still under way after ${timeoutMs} ms`);
      }
      await parts.sources.drain(timeoutMs);
      // Staged batches are in the lake but not yet in the tables: commit them.
      if (env.STREAM_COMMIT_MODE === 'staged') await stack.runCommitStaged();
    },
    stopAccepting: async (stopOptions = {}) => {
      const timeoutMs = stopOptions.timeoutMs ?? 120_000;
      if (!(await edge.stopAccepting(timeoutMs))) {
        throw new LocalStackError(`API requests are still under way after ${timeoutMs} ms`);
      }
    },
    shutdown: async (shutdownOptions = {}) => {
      try {
        await stack.stopAccepting(shutdownOptions);
        await stack.drain(shutdownOptions);
      } finally {
        await parts.stop();
      }
    },
    runBatchClean: () =>
      runScheduled(
        'batch-clean',
        parts.functions.batchClean,
        parts.chaos > 0 ? 1_000 : 1,
        parts.asyncOnFailure('batch-clean'),
      ),
    runAnalytics: () => {
      // One schedule time for every attempt, so a retry repeats the same run (the same txn version).
      const time = new Date().toISOString();
      const attempts = parts.chaos > 0 ? 1_000 : 1;
      return runScheduled(
        'batch-analytics',
        (_event, context) => parts.functions.batchAnalytics({ time }, context),
        attempts,
        parts.asyncOnFailure('batch-analytics'),
      );
    },
    runCommitStaged: () =>
      runScheduled(
        'commit-staged',
        (_event, context) => parts.functions.commitStaged({ untilIdle: true }, context),
        parts.chaos > 0 ? 1_000 : 1,
        parts.asyncOnFailure('commit-staged'),
      ),
    runMaintenance: (maintenance = {}) =>
      runScheduled(
        'maintain-tables',
        async (_event, context) => (await parts.functions.maintainTables(maintenance)({}, context)).tables,
        1,
        parts.asyncOnFailure('maintain-tables'),
      ),
    stop: parts.stop,
  };
  return stack;
}

/**
 * commit-staged as its schedule runs it, for as long as the stack: invoked again 250 ms after each
 * invocation ends (until a round commits nothing: locally there is no minute to fill); a failure is
 * noted and the next invocation goes on, as the next minute's would.
 */
function runCommitterLoop(
  functions: EventFunctions,
  log: (line: string) => void,
): { stop: () => Promise<void> } {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const context = createLambdaContext({ functionName: 'commit-staged', timeoutMs: 60_000 });
      await functions.commitStaged({ untilIdle: true }, context).catch((error: Error) => {
        log(`commit-staged: ${error.name}: ${error.message}`);
      });
      if (!stopped) await pause(250);
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

// A poller's note on one line: where (shard or topic-partition), what, and why.
function describeNote(message: string, details: Record<string, unknown>): string {
  const where =
    details.shardId !== undefined
      ? String(details.shardId)
      : details.topic !== undefined
        ? `${details.topic}-${details.partition}`
        : '';
  const why = details.reason ?? details.error;
  const reason = why instanceof Error ? `${why.name}: ${why.message}` : why === undefined ? '' : String(why);
  const key = details.key === undefined ? '' : ` → ${details.key}`;
  return `${where ? `${where}: ` : ''}${message}${reason ? ` (${reason})` : ''}${key}`;
}

/** Requires every call, throwing one error that names `what` and the first denial. */
async function requireAll(iam: IamEnforcer, calls: readonly AwsCall[], what: string): Promise<void> {
  for (const call of calls) {
    try {
      await iam.require(call);
    } catch (error) {
      throw new LocalStackError(`${what} cannot start: ${(error as Error).message}`, { cause: error });
    }
  }
}

/**
 * A cold start of each function: Lambda attaches it to its VPC and creates its log stream, with the
 * function's role. Denied calls are recorded and logged; a denied log stream does not stop a function
 * on AWS (its logs are lost) and the network is not modelled further, so the start goes on.
 */
async function checkColdStarts(iam: IamEnforcer, deployment: DeploymentModel): Promise<void> {
  for (const functionName of Object.keys(deployment.functions)) {
    for (const call of coldStartCalls(iam, functionName)) await iam.require(call).catch(() => undefined);
  }
}

function trackClient(cleanups: (() => Promise<void>)[], client: KinesisClient): KinesisClient {
  cleanups.push(async () => client.destroy());
  return client;
}
