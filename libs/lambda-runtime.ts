/**
 * What every function's entry file builds once per container: the configuration (with its chaos
 * probability put in force) and Powertools' logger and metrics. The service name and the metrics
 * namespace come from `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_METRICS_NAMESPACE`, set per function
 * in serverless/functions.yml and serverless.yml. The functions that use the lake open it with
 * `openLake(config)` (libs/lake/open-lake.ts), so the HTTP functions' bundles carry no S3 client.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { setChaos } from './chaos';
import { type Config, getConfig } from './config';

/** A function's container-scoped dependencies. */
export interface LambdaRuntime {
  readonly config: Config;
  readonly logger: Logger;
  /** Metrics, for the functions that publish them. */
  metrics(): Metrics;
}

/** Builds the runtime from the environment; throws the configuration's `ConfigError` when it is invalid. */
export function lambdaRuntime(): LambdaRuntime {
  const config = getConfig();
  setChaos(config.chaos);
  return { config, logger: new Logger(), metrics: () => new Metrics() };
}
