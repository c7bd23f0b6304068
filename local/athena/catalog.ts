/**
 * What the Athena stand-in knows of the Glue Data Catalog and of the workgroups: the
 * `AWS::Glue::Table` and `AWS::Athena::WorkGroup` resources of the deployment definition
 * (serverless/resources/analytics.yml), evaluated for the local account, so the stand-in serves
 * exactly the tables and workgroup the template would create.
 */
import type { DeploymentModel } from '../deployment';
import { evaluateIntrinsics } from '../deployment/intrinsics';

/** One Glue table: where its Delta table lives. */
interface GlueTable {
  readonly database: string;
  readonly name: string;
  /** `s3://bucket/tables/batch/pin/` */
  readonly location: string;
  readonly parameters: Readonly<Record<string, string>>;
}

/** One Athena workgroup's settings. */
interface Workgroup {
  readonly name: string;
  /** `s3://bucket/athena-results/` */
  readonly outputLocation: string;
  readonly bytesScannedCutoff: number | undefined;
}

/** The catalog and workgroups of a deployment. */
export interface AthenaCatalog {
  readonly tables: readonly GlueTable[];
  readonly workgroups: readonly Workgroup[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads the Glue tables and Athena workgroups the deployment declares. */
export function readAthenaCatalog(deployment: DeploymentModel): AthenaCatalog {
  const tables: GlueTable[] = [];
  const workgroups: Workgroup[] = [];
  for (const resource of Object.values(deployment.service.resources)) {
    if (!isObject(resource.Properties)) continue;
    if (resource.Type === 'AWS::Glue::Table') {
      const p = evaluateIntrinsics(deployment.service, resource.Properties) as {
        DatabaseName: string;
        TableInput: {
          Name: string;
          Parameters?: Record<string, string>;
          StorageDescriptor?: { Location?: string };
        };
      };
      tables.push({
        database: p.DatabaseName,
        name: p.TableInput.Name.toLowerCase(),
        location: String(p.TableInput.StorageDescriptor?.Location ?? ''),
        parameters: p.TableInput.Parameters ?? {},
      });
    }
    if (resource.Type === 'AWS::Athena::WorkGroup') {
      const p = evaluateIntrinsics(deployment.service, resource.Properties) as {
        Name: string;
        WorkGroupConfiguration?: {
          BytesScannedCutoffPerQuery?: number;
          ResultConfiguration?: { OutputLocation?: string };
        };
      };
      workgroups.push({
        name: p.Name,
        outputLocation: String(p.WorkGroupConfiguration?.ResultConfiguration?.OutputLocation ?? ''),
        bytesScannedCutoff: p.WorkGroupConfiguration?.BytesScannedCutoffPerQuery,
      });
    }
  }
  return { tables, workgroups };
}

/** `s3://bucket/some/prefix/` → `{ bucket, key: 'some/prefix' }` (no trailing slash). */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new Error(`${uri} is not an s3:// URI`);
  return { bucket: match[1]!, key: (match[2] ?? '').replace(/\/+$/, '') };
}
