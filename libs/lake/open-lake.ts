import type { LakeSettings } from '../config';
import { type ObjectStore, openStore } from '../storage';

/**
 * The lake's store, opened the one way every function, the local stack and every CLI command open it:
 * `uri` (a function's `LAKE_URI`, a command's `--lake`) with the configured region and S3 endpoint.
 */
export function openLake(settings: LakeSettings, uri: string): ObjectStore {
  return openStore(uri, { region: settings.region, endpoint: settings.s3Endpoint });
}
