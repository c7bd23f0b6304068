/**
 * A local stand-in for Amazon Athena's query API (`ATHENA_ENDPOINT`), speaking its JSON protocol
 * (`X-Amz-Target: AmazonAthena.<Operation>`, JSON 1.1): StartQueryExecution, GetQueryExecution and
 * GetQueryResults. A query is QUEUED until it is first asked about, then RUNNING while DuckDB runs it
 * over the lake's Delta tables named in the deployment's Glue catalog, then SUCCEEDED, FAILED (with
 * the engine's message) or CANCELLED (bytes-scanned limit). Results are written as CSV to the
 * workgroup's result location and read back from there page by page (a header row first, every value
 * a string, the column types in the metadata). With an IAM enforcer, each call is evaluated against
 * the caller's role as Athena does: the API action on the workgroup, `glue:GetDatabase` and
 * `glue:GetTable` for each table read, and the S3 reads and writes with the caller's permissions.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { PinlakeError } from '../../libs/errors';
import type { ObjectStore } from '../../libs/storage';
import type { DeploymentModel } from '../deployment';
import { AccessDeniedError, functionOfAccessKey, type IamEnforcer } from '../iam/enforcer';
import { enforceIamOnStore } from '../iam/iam-store';
import { accessKeyOfSignature } from '../kinesis';
import { listen } from '../listen';
import { type AthenaCatalog, parseS3Uri, readAthenaCatalog } from './catalog';
import { executeStatement, StatementError } from './execute';
import { decodeResultsCsv, encodeResultsCsv } from './results-csv';

/** A running Athena stand-in. */
export interface LocalAthena {
  /** `http://127.0.0.1:<port>`, for `ATHENA_ENDPOINT`. */
  readonly endpoint: string;
  /** The states each query was reported in, in order (for tests of the polling). */
  reportedStates(queryExecutionId: string): readonly string[];
  close(): Promise<void>;
}

/** Options of {@link startLocalAthena}. */
export interface LocalAthenaOptions {
  readonly deployment: DeploymentModel;
  /** The lake, unchecked (the stand-in checks each call against the caller's role itself). */
  readonly lake: ObjectStore;
  /** The lake's URI (`file://…` or `s3://…`): a `file://` lake's data files are read in place. */
  readonly lakeUri: string;
  readonly iam: IamEnforcer | undefined;
  /** The lake bucket's name in the deployment (its `s3://` locations map to `lake`'s keys). */
  readonly lakeBucket: string;
}

type State = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Execution {
  readonly id: string;
  readonly sql: string;
  readonly database: string;
  readonly workgroup: string;
  readonly functionName: string | undefined;
  readonly outputKey: string;
  readonly submitted: Date;
  state: State;
  reason?: string;
  completed?: Date;
  columns?: readonly { name: string; type: string }[];
  scannedBytes: number;
  readonly reported: string[];
}

class ApiError extends PinlakeError {
  override readonly name: string = 'AthenaApiError';
  override readonly code: string = 'ATHENA_API';

  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const MAX_RESULTS = 1000;

const readJson = async (request: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const value = JSON.parse(text || '{}') as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {}
  throw new ApiError('InvalidRequestException', 'the request body is not a JSON object');
};

/** Starts the stand-in on 127.0.0.1 (a free port). */
export async function startLocalAthena(options: LocalAthenaOptions): Promise<LocalAthena> {
  const catalog: AthenaCatalog = readAthenaCatalog(options.deployment);
  const { region, accountId } = options.deployment;
  const executions = new Map<string, Execution>();
  const byToken = new Map<string, string>();
  const running = new Set<Promise<void>>();
  const localRoot = options.lakeUri.startsWith('file:') ? fileURLToPath(options.lakeUri) : undefined;

  const lakeFor = (functionName: string | undefined): ObjectStore =>
    options.iam && functionName !== undefined
      ? enforceIamOnStore(options.lake, options.iam, { functionName, bucket: options.lakeBucket })
      : options.lake;
  const require = async (functionName: string | undefined, action: string, resource: string) => {
    if (options.iam && functionName !== undefined)
      await options.iam.require({ functionName, action, resource });
  };
  const workgroupArn = (name: string) => `arn:aws:athena:${region}:${accountId}:workgroup/${name}`;
  const glueArn = (rest: string) => `arn:aws:glue:${region}:${accountId}:${rest}`;
  const lakeKey = (uri: string) => {
    const { bucket, key } = parseS3Uri(uri);
    if (bucket !== options.lakeBucket)
      throw new StatementError(`the stand-in serves only s3://${options.lakeBucket}, not ${uri}`);
    return key;
  };

  const execute = async (execution: Execution): Promise<void> => {
    execution.state = 'RUNNING';
    try {
      const { functionName, database } = execution;
      const tables = catalog.tables.filter(
        (t) =>
          t.database === database &&
          new RegExp(`(^|[^A-Za-z0-9_])"?${t.name}"?([^A-Za-z0-9_]|$)`, 'i').test(execution.sql),
      );
      const denied = async (action: string, resource: string) => {
        try {
          await require(functionName, action, resource);
        } catch (error) {
          if (error instanceof AccessDeniedError) {
            throw new StatementError(`Insufficient permissions to execute the query. ${error.message}`);
          }
          throw error;
        }
      };
      if (!catalog.tables.some((t) => t.database === database)) {
        throw new StatementError(`SCHEMA_NOT_FOUND: Schema '${database}' does not exist`);
      }
      await denied('glue:GetDatabase', glueArn('catalog'));
      await denied('glue:GetDatabase', glueArn(`database/${database}`));
      for (const table of tables) {
        for (const resource of ['catalog', `database/${database}`, `table/${database}/${table.name}`]) {
          await denied('glue:GetTable', glueArn(resource));
        }
        if (table.parameters.table_type?.toUpperCase() !== 'DELTA') {
          throw new StatementError(
            `the stand-in reads only native Delta tables; ${table.name} has no table_type DELTA`,
          );
        }
      }
      const workgroup = catalog.workgroups.find((w) => w.name === execution.workgroup);
      const lake = lakeFor(functionName);
      const result = await executeStatement({
        lake,
        localRoot,
        lakeUri: `s3://${options.lakeBucket}`,
        database,
        tables: tables.map((t) => ({ name: t.name, path: lakeKey(t.location) })),
        sql: execution.sql,
        bytesScannedCutoff: workgroup?.bytesScannedCutoff,
      });
      const csv = encodeResultsCsv(
        result.columns.map((c) => c.name),
        result.rows as (string | undefined)[][],
      );
      try {
        await lake.put(execution.outputKey, csv);
      } catch (error) {
        throw new StatementError(
          `Access denied when writing output to url: s3://${options.lakeBucket}/${execution.outputKey}: ${(error as Error).message}`,
        );
      }
      execution.columns = result.columns;
      execution.scannedBytes = result.scannedBytes;
      execution.state = 'SUCCEEDED';
    } catch (error) {
      execution.state = error instanceof StatementError ? error.state : 'FAILED';
      execution.reason = (error as Error).message;
    }
    execution.completed = new Date();
  };

  const operations: Record<
    string,
    (body: Record<string, unknown>, functionName: string | undefined) => Promise<unknown>
  > = {
    async StartQueryExecution(body, functionName) {
      const sql = String(body.QueryString ?? '');
      if (sql.trim() === '') throw new ApiError('InvalidRequestException', 'QueryString is required');
      const workgroupName = String(body.WorkGroup ?? 'primary');
      const workgroup = catalog.workgroups.find((w) => w.name === workgroupName);
      if (!workgroup)
        throw new ApiError('InvalidRequestException', `WorkGroup ${workgroupName} is not found.`);
      await require(functionName, 'athena:StartQueryExecution', workgroupArn(workgroupName));
      const { bucket } = parseS3Uri(workgroup.outputLocation);
      await require(functionName, 's3:GetBucketLocation', `arn:aws:s3:::${bucket}`);
      const token =
        body.ClientRequestToken === undefined
          ? undefined
          : `${functionName}\u0000${String(body.ClientRequestToken)}`;
      const known = token === undefined ? undefined : byToken.get(token);
      if (known) return { QueryExecutionId: known };
      const context = (body.QueryExecutionContext ?? {}) as { Database?: string };
      const id = randomUUID();
      const execution: Execution = {
        id,
        sql,
        database: String(context.Database ?? 'default'),
        workgroup: workgroupName,
        functionName,
        outputKey: `${parseS3Uri(workgroup.outputLocation).key}/${id}.csv`.replace(/^\//, ''),
        submitted: new Date(),
        state: 'QUEUED',
        scannedBytes: 0,
        reported: [],
      };
      executions.set(id, execution);
      if (token !== undefined) byToken.set(token, id);
      return { QueryExecutionId: id };
    },
    async GetQueryExecution(body, functionName) {
      const execution = find(body);
      await require(functionName, 'athena:GetQueryExecution', workgroupArn(execution.workgroup));
      const reply = describe(execution);
      execution.reported.push(execution.state);
      if (execution.state === 'QUEUED') {
        // A queued query starts once it has been asked about, so every client sees QUEUED first.
        const run = execute(execution);
        running.add(run);
        void run.finally(() => running.delete(run));
      }
      return reply;
    },
    async GetQueryResults(body, functionName) {
      const execution = find(body);
      await require(functionName, 'athena:GetQueryResults', workgroupArn(execution.workgroup));
      if (execution.state !== 'SUCCEEDED') {
        throw new ApiError(
          'InvalidRequestException',
          `Query has not yet finished. Current state: ${execution.state}`,
        );
      }
      const max = Math.min(Number(body.MaxResults ?? MAX_RESULTS), MAX_RESULTS);
      const offset =
        body.NextToken === undefined
          ? 0
          : Number(Buffer.from(String(body.NextToken), 'base64url').toString());
      if (!Number.isInteger(offset) || offset < 0)
        throw new ApiError('InvalidRequestException', 'NextToken is invalid');
      let text: Uint8Array | undefined;
      try {
        text = await lakeFor(functionName).get(execution.outputKey);
      } catch (error) {
        throw new ApiError(
          'AccessDeniedException',
          `cannot read the query results: ${(error as Error).message}`,
        );
      }
      if (text === undefined)
        throw new ApiError('InvalidRequestException', `the results of ${execution.id} are gone`);
      const rows = decodeResultsCsv(Buffer.from(text).toString('utf8'));
      const page = rows.slice(offset, offset + max);
      const next =
        offset + max < rows.length ? Buffer.from(String(offset + max)).toString('base64url') : undefined;
      return {
        UpdateCount: 0,
        ResultSet: {
          Rows: page.map((row) => ({ Data: row.map((v) => (v === undefined ? {} : { VarCharValue: v })) })),
          ResultSetMetadata: {
            ColumnInfo: (execution.columns ?? []).map((c) => ({
              CatalogName: 'hive',
              SchemaName: '',
              TableName: '',
              Name: c.name,
              Label: c.name,
              Type: c.type,
              Precision: 0,
              Scale: 0,
              Nullable: 'UNKNOWN',
              CaseSensitive: c.type === 'varchar',
            })),
          },
        },
        ...(next ? { NextToken: next } : {}),
      };
    },
  };

  const find = (body: Record<string, unknown>): Execution => {
    const id = String(body.QueryExecutionId ?? '');
    const execution = executions.get(id);
    if (!execution) throw new ApiError('InvalidRequestException', `QueryExecution ${id} was not found`);
    return execution;
  };

  const describe = (execution: Execution) => ({
    QueryExecution: {
      QueryExecutionId: execution.id,
      Query: execution.sql,
      StatementType: 'DML',
      ResultConfiguration: { OutputLocation: `s3://${options.lakeBucket}/${execution.outputKey}` },
      QueryExecutionContext: { Database: execution.database, Catalog: 'awsdatacatalog' },
      Status: {
        State: execution.state,
        SubmissionDateTime: execution.submitted.getTime() / 1000,
        ...(execution.completed ? { CompletionDateTime: execution.completed.getTime() / 1000 } : {}),
        ...(execution.reason
          ? {
              StateChangeReason: execution.reason,
              AthenaError: {
                ErrorCategory: 2,
                ErrorType: 1000,
                Retryable: false,
                ErrorMessage: execution.reason,
              },
            }
          : {}),
      },
      Statistics: { DataScannedInBytes: execution.scannedBytes },
      WorkGroup: execution.workgroup,
      EngineVersion: {
        SelectedEngineVersion: 'Athena engine version 3',
        EffectiveEngineVersion: 'Athena engine version 3',
      },
    },
  });

  const server: Server = createServer(async (request, response) => {
    const reply = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.1',
        'content-length': Buffer.byteLength(text),
        'x-amzn-requestid': randomUUID(),
      });
      response.end(text);
    };
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('AmazonAthena.')
        ? operations[target.slice('AmazonAthena.'.length)]
        : undefined;
      if (request.method !== 'POST' || !operation) {
        request.resume();
        throw new ApiError('UnknownOperationException', `${target || request.method} is not served locally`);
      }
      const body = await readJson(request);
      const functionName = functionOfAccessKey(accessKeyOfSignature(request.headers.authorization));
      reply(200, await operation(body, functionName));
    } catch (error) {
      if (error instanceof AccessDeniedError)
        return reply(400, { __type: 'AccessDeniedException', Message: error.message });
      if (error instanceof ApiError) return reply(400, { __type: error.type, Message: error.message });
      reply(500, { __type: 'InternalServerException', Message: (error as Error).message });
    }
  });
  const port = await listen(server);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    reportedStates: (id) => executions.get(id)?.reported ?? [],
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...running]);
    },
  };
}
