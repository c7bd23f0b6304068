/** The Athena client of batch-analytics, built from the configuration (once per container). */
import { AthenaClient } from '@aws-sdk/client-athena';
import { type Config, ConfigError } from '../config';
import type { AthenaSettings } from './athena-runner';

/**
 * The Athena settings for `config` when its engine is `athena` (undefined for `duckdb`): a client for
 * the region (or `ATHENA_ENDPOINT`, the local stand-in), the workgroup and the Glue database. Throws
 * {@link ConfigError} when `ATHENA_WORKGROUP` or `GLUE_DATABASE` is missing.
 */
export function athenaSettingsFor(
  config: Config,
  credentials?: { accessKeyId: string; secretAccessKey: string },
): AthenaSettings | undefined {
  const { engine, athenaWorkgroup, glueDatabase, athenaEndpoint } = config.analytics;
  if (engine !== 'athena') return undefined;
  if (!athenaWorkgroup || !glueDatabase) {
    throw new ConfigError('ANALYTICS_ENGINE=athena needs ATHENA_WORKGROUP and GLUE_DATABASE');
  }
  const client = new AthenaClient({
    region: config.region,
    ...(athenaEndpoint ? { endpoint: athenaEndpoint } : {}),
    ...(credentials ? { credentials } : {}),
  });
  return { client, workgroup: athenaWorkgroup, database: glueDatabase };
}
