/**
 * What every function's entry file builds once per container: the configuration (with its chaos
 * probability put in force), the lake, and Powertools' logger and metrics. The service name and the
 * metrics namespace come from `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_METRICS_NAMESPACE`, set per
 * function in serverless/functions.yml and serverless.yml.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { setChaos } from './chaos';
import { type Config, getConfig } from './config';
import { openLake } from './lake/open-lake';
import type { ObjectStore } from './storage/types';

/** A function's container-scoped dependencies. */
export interface LambdaRuntime {
  readonly config: Config;
  /** The lake (`LAKE_URI`); opening it touches no storage. */
  readonly store: ObjectStore;
  readonly logger: Logger;
  /** Metrics, for the functions that publish them. */
  metrics(): Metrics;
}

/** Builds the runtime from the environment; throws the configuration's `ConfigError` when it is invalid. */
export function lambdaRuntime(): LambdaRuntime {
  const config = getConfig();
  setChaos(config.chaos);
  return { config, store: openLake(config), logger: new Logger(), metrics: () => new Metrics() };
}
