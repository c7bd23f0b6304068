/**
 * The pipeline's settings: the environment turned into one typed, validated object. Functions read it
 * once at module scope (`getConfig()`); tests and the local stack build their own with `loadConfig`.
 */

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod/mini';
import { PinlakeError } from './errors';
import type { KafkaProducerConfig } from './kafka/config';
import { PIPELINE_ID_PATTERN, PIPELINE_ID_RULE } from './naming';

const MIB = 1024 * 1024;

// zod/mini keeps the functions' bundles small (the classic API pulls in ~440 KB of locales).
const int = (fallback: number, min: number, max: number) =>
  z._default(
    z.coerce
      .number({ error: 'must be a number' })
      .check(
        z.int({ error: 'must be an integer' }),
        z.minimum(min, { error: `must be at least ${min}` }),
        z.maximum(max, { error: `must be at most ${max}` }),
      ),
    fallback,
  );

const url = z.optional(z.url({ error: 'must be a URL' }));

const EnvSchema = z.object({
  PIPELINE_ID: z._default(
    z.string().check(z.regex(PIPELINE_ID_PATTERN, { error: PIPELINE_ID_RULE })),
    'pinlake',
  ),
  LAKE_URI: z.optional(
    z.string().check(z.regex(/^(file|s3):\/\//, { error: 'must start with file:// or s3://' })),
  ),
  AWS_REGION: z.optional(z.string()),
  AWS_DEFAULT_REGION: z.optional(z.string()),
  KINESIS_ENDPOINT: url,
  S3_ENDPOINT: url,
  KAFKA_BROKERS: z.optional(
    z.string().check(
      z.regex(/^\s*[^:\s,]+:\d{1,5}\s*(,\s*([^:\s,]+:\d{1,5}\s*)?)*$/, {
        error: 'must be comma-separated host:port entries',
      }),
    ),
  ),
  MSK_CLUSTER_ARN: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:kafka:/, { error: 'must be an MSK cluster ARN' })),
  ),
  MSK_ENDPOINT: url,
  KAFKA_TLS: z.optional(z.enum(['true', 'false'], { error: 'must be true or false' })),
  KAFKA_CLIENT_ID: z._default(z.string(), 'pinlake'),
  KAFKA_COMPRESSION: z._default(z.enum(['none', 'gzip'], { error: 'must be none or gzip' }), 'none'),
  API_KEY: z.optional(z.string()),
  CHAOS: z._default(
    z.coerce
      .number({ error: 'must be a number' })
      .check(
        z.minimum(0, { error: 'must be between 0 and 1' }),
        z.maximum(1, { error: 'must be between 0 and 1' }),
      ),
    0,
  ),
  MAX_BODY_BYTES: int(5 * MIB, 1, 10 * MIB),
  MAX_RECORDS_PER_REQUEST: int(500, 1, 500),
  MAX_RECORD_BYTES: int(MIB, 1, 10 * MIB),
  MAX_JSON_DEPTH: int(64, 2, 1000),
  PUT_RECORDS_MAX_ATTEMPTS: int(5, 1, 20),
  VACUUM_RETENTION_HOURS: int(168, 0, 24 * 365),
  STREAM_COMMIT_MODE: z._default(
    z.enum(['direct', 'staged'], { error: 'must be direct or staged' }),
    'direct',
  ),
  ANALYTICS_ENGINE: z._default(z.enum(['duckdb', 'athena'], { error: 'must be duckdb or athena' }), 'duckdb'),
  ATHENA_WORKGROUP: z.optional(z.string()),
  GLUE_DATABASE: z.optional(z.string()),
  ATHENA_ENDPOINT: url,
});

/** Where batch-analytics runs the nine queries. */
interface AnalyticsSettings {
  /** `duckdb` (in the function, the default) or `athena` (the Glue tables, through Athena). */
  readonly engine: 'duckdb' | 'athena';
  /** The Athena workgroup (result location, encryption, bytes-scanned limit); needed for athena. */
  readonly athenaWorkgroup: string | undefined;
  /** The Glue database holding the lake's tables; needed for athena. */
  readonly glueDatabase: string | undefined;
  /** Endpoint override for Athena (the local stand-in); undefined means AWS. */
  readonly athenaEndpoint: string | undefined;
}

/** Bounds the HTTP edge enforces on every request. */
export interface Limits {
  /** Largest request body accepted, in bytes (Kinesis PutRecords allows 5 MiB per call). */
  readonly bodyBytes: number;
  /** Most records in one PutRecords request (Kinesis allows 500). */
  readonly recordsPerRequest: number;
  /** Largest record, data plus partition key, after encoding (Kinesis allows 1 MiB by default). */
  readonly recordBytes: number;
  /** Deepest nesting of arrays and objects accepted in a JSON body. */
  readonly jsonDepth: number;
  /** Attempts PutRecords makes in all, re-sending only the entries that failed. */
  readonly putRecordsAttempts: number;
}

/** How the Kafka producer reaches the brokers (ingest-batch). */
interface KafkaSettings {
  /** Bootstrap brokers (`host:port`); when set they win over the MSK cluster (the local broker). */
  readonly brokers: readonly string[];
  /** The MSK cluster found through the MSK API, with IAM auth (AWS). */
  readonly mskClusterArn: string | undefined;
  /** The MSK API's endpoint when not AWS's (the local stack's stand-in). */
  readonly mskEndpoint: string | undefined;
  /** TLS to MSK's brokers; undefined means MSK's default (on). False only for a local SASL broker. */
  readonly tls: boolean | undefined;
  readonly clientId: string;
  /** Record batch compression. */
  readonly compression: 'none' | 'gzip';
}

/** The validated settings of one pipeline. */
export interface Config {
  /** Names the pipeline's streams and topics (the seed project's user id). */
  readonly pipelineId: string;
  /** Where the lake lives: `file://…` or `s3://bucket/prefix`. */
  readonly lakeUri: string;
  readonly region: string;
  /** Endpoint override for Kinesis (kinesalite locally); undefined means AWS. */
  readonly kinesisEndpoint: string | undefined;
  /** Endpoint override for S3 (s3rver locally); undefined means AWS. */
  readonly s3Endpoint: string | undefined;
  readonly kafka: KafkaSettings;
  /** API key the HTTP edge requires in `x-api-key`; undefined means no check (API Gateway does it). */
  readonly apiKey: string | undefined;
  /** Probability in [0, 1] that a named step fails on purpose (see libs/chaos). */
  readonly chaos: number;
  /** Data files unreferenced for this many hours are vacuumed (Delta's default: 7 days). */
  readonly vacuumRetentionHours: number;
  /**
   * How stream-to-delta writes a batch: `direct`, its own commit (default), or `staged` for the
   * commit-staged function's group commits (docs/deploy.md says when).
   */
  readonly streamCommitMode: 'direct' | 'staged';
  readonly limits: Limits;
  readonly analytics: AnalyticsSettings;
}

/** Raised when an environment variable has a value the pipeline cannot use; names the variable. */
export class ConfigError extends PinlakeError {
  override readonly name: string = 'ConfigError';
  override readonly code: string = 'CONFIG';
}

// Values are trimmed, and an empty variable counts as unset.
function parseEnv<S extends z.ZodMiniType>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
): z.infer<S> {
  const present = Object.entries(env)
    .map(([name, value]) => [name, value?.trim()] as const)
    .filter(([, value]) => value !== undefined && value !== '');
  const parsed = schema.safeParse(Object.fromEntries(present));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`, { cause: parsed.error });
  }
  return parsed.data;
}

// The region: AWS_REGION (what Lambda sets), else AWS_DEFAULT_REGION, else us-east-1.
const regionOf = (e: { AWS_REGION?: string; AWS_DEFAULT_REGION?: string }): string =>
  e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1';

/**
 * Validates an environment (by default `process.env`) into a {@link Config}.
 * Throws a {@link ConfigError} naming every bad variable; unset variables take their defaults.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const e = parseEnv(EnvSchema, env);
  return {
    pipelineId: e.PIPELINE_ID,
    lakeUri: e.LAKE_URI ?? pathToFileURL(resolve('lake')).href,
    region: regionOf(e),
    kinesisEndpoint: e.KINESIS_ENDPOINT,
    s3Endpoint: e.S3_ENDPOINT,
    kafka: {
      brokers: (e.KAFKA_BROKERS ?? '')
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker !== ''),
      mskClusterArn: e.MSK_CLUSTER_ARN,
      mskEndpoint: e.MSK_ENDPOINT,
      tls: e.KAFKA_TLS === undefined ? undefined : e.KAFKA_TLS === 'true',
      clientId: e.KAFKA_CLIENT_ID,
      compression: e.KAFKA_COMPRESSION,
    },
    apiKey: e.API_KEY,
    chaos: e.CHAOS,
    vacuumRetentionHours: e.VACUUM_RETENTION_HOURS,
    streamCommitMode: e.STREAM_COMMIT_MODE,
    limits: {
      bodyBytes: e.MAX_BODY_BYTES,
      recordsPerRequest: e.MAX_RECORDS_PER_REQUEST,
      recordBytes: e.MAX_RECORD_BYTES,
      jsonDepth: e.MAX_JSON_DEPTH,
      putRecordsAttempts: e.PUT_RECORDS_MAX_ATTEMPTS,
    },
    analytics: {
      engine: e.ANALYTICS_ENGINE,
      athenaWorkgroup: e.ATHENA_WORKGROUP,
      glueDatabase: e.GLUE_DATABASE,
      athenaEndpoint: e.ATHENA_ENDPOINT,
    },
  };
}

/** What opening a lake needs: the region and the S3 endpoint. */
export type LakeSettings = Pick<Config, 'region' | 's3Endpoint'>;

const LakeEnvSchema = z.object({
  AWS_REGION: z.optional(z.string()),
  AWS_DEFAULT_REGION: z.optional(z.string()),
  S3_ENDPOINT: url,
});

/**
 * Reads only what opening a lake needs (`S3_ENDPOINT`, `AWS_REGION`, `AWS_DEFAULT_REGION`), with the
 * same rules as {@link loadConfig}: a command given its lake on the command line does not depend on
 * the rest of the environment. Throws a {@link ConfigError} naming a bad variable.
 */
export function loadLakeSettings(
  env: Readonly<Record<string, string | undefined>> = process.env,
): LakeSettings {
  const e = parseEnv(LakeEnvSchema, env);
  return { region: regionOf(e), s3Endpoint: e.S3_ENDPOINT };
}

let cached: Config | undefined;

/** The process's configuration, read from `process.env` on the first call and kept. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}

/**
 * The Kafka producer's configuration: the broker list when `KAFKA_BROKERS` is set, else MSK with IAM
 * auth through `MSK_CLUSTER_ARN` in the configured region. Throws a {@link ConfigError} when neither
 * is set.
 */
export function kafkaProducerConfig(config: Config): KafkaProducerConfig {
  const { brokers, mskClusterArn, mskEndpoint, tls, clientId, compression } = config.kafka;
  if (brokers.length > 0) return { clientId, compression, connection: { kind: 'plain', brokers } };
  if (mskClusterArn === undefined) {
    throw new ConfigError('invalid configuration: set KAFKA_BROKERS (local) or MSK_CLUSTER_ARN (AWS)');
  }
  return {
    clientId,
    compression,
    connection: {
      kind: 'msk-iam',
      clusterArn: mskClusterArn,
      region: config.region,
      ...(mskEndpoint === undefined ? {} : { endpoint: mskEndpoint }),
      ...(tls === undefined ? {} : { tls }),
    },
  };
}
