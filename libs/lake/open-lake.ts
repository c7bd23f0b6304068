import type { Config } from '../config';
import { type ObjectStore, openStore } from '../storage';

/**
 * The lake's store, opened the one way every function, the local stack and every CLI command open it:
 * `uri` (default the configured `LAKE_URI`) with the configured region and S3 endpoint.
 */
export function openLake(
  config: Pick<Config, 'lakeUri' | 'region' | 's3Endpoint'>,
  uri = config.lakeUri,
): ObjectStore {
  return openStore(uri, { region: config.region, endpoint: config.s3Endpoint });
}
