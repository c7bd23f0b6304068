import { catalogDdl, catalogTables } from '../../../libs/analytics/catalog';
import { CatalogError } from '../../../libs/analytics/errors';
import { readAthenaCatalog } from '../../../local/athena';
import { loadDeployment } from '../../../local/deployment';

// The Glue tables serverless/resources/analytics.yml declares are the lake's tables, as
// libs/analytics/catalog.ts names them (and `pinlake catalog` registers them), at their lake paths.
describe('the lake in the Glue Data Catalog', () => {
  const deployment = loadDeployment({ params: { pipelineId: 'pinlake' } });
  const bucket = deployment.physicalName('LakeBucket');

  it('declares one native Delta table per lake table, at its path, with the Delta schema as columns', () => {
    // Act
    const declared = Object.values(deployment.service.resources)
      .filter((r) => r.Type === 'AWS::Glue::Table')
      .map((r) => {
        const input = (r.Properties as { TableInput: Record<string, unknown> }).TableInput as {
          Name: string;
          TableType: string;
          Parameters: Record<string, string>;
          StorageDescriptor: { Columns: { Name: string; Type: string }[] };
        };
        return {
          name: input.Name,
          type: input.TableType,
          parameters: input.Parameters,
          columns: input.StorageDescriptor.Columns.map((c) => ({ name: c.Name, type: c.Type })),
        };
      });
    const locations = readAthenaCatalog(deployment).tables.map((t) => [t.database, t.name, t.location]);

    // Assess
    expect(declared).toStrictEqual(
      catalogTables().map((t) => ({
        name: t.name,
        type: 'EXTERNAL_TABLE',
        parameters: { table_type: 'DELTA', EXTERNAL: 'TRUE' },
        columns: t.columns,
      })),
    );
    expect(locations).toStrictEqual(
      catalogTables().map((t) => ['pinlake_pinlake_local', t.name, `s3://${bucket}/${t.path}/`]),
    );
  });

  it('has an Athena engine v3 workgroup with results under the lake, encrypted, and a scan limit', () => {
    // Act
    const [workgroup] = readAthenaCatalog(deployment).workgroups;

    // Assess
    expect(workgroup).toStrictEqual({
      name: 'pinlake-pinlake-local-analytics',
      outputLocation: `s3://${bucket}/athena-results/`,
      bytesScannedCutoff: 10737418240,
    });
  });

  it('prints the DDL that registers an existing lake, one statement per table', () => {
    // Act
    const ddl = catalogDdl({ lakeUri: 's3://my-lake/prod/', database: 'pinlake_prod' });

    // Assess
    expect(ddl).toHaveLength(1 + 15);
    expect(ddl.slice(0, 2)).toStrictEqual([
      'CREATE DATABASE IF NOT EXISTS pinlake_prod',
      "CREATE EXTERNAL TABLE IF NOT EXISTS pinlake_prod.stream_pin LOCATION 's3://my-lake/prod/tables/stream/pin/' TBLPROPERTIES ('table_type' = 'DELTA')",
    ]);
    expect(ddl.at(-1)).toBe(
      "CREATE EXTERNAL TABLE IF NOT EXISTS pinlake_prod.analytics_median_followers_by_age_group_and_join_year LOCATION 's3://my-lake/prod/tables/analytics/median_followers_by_age_group_and_join_year/' TBLPROPERTIES ('table_type' = 'DELTA')",
    );
  });

  it.each([
    ['file:///tmp/lake', 'pinlake'],
    ["s3://lake/it's", 'pinlake'],
    ['s3://lake', 'Pinlake-Prod'],
  ])('refuses a lake or database Athena cannot register (%s, %s)', (lakeUri, database) => {
    expect(() => catalogDdl({ lakeUri, database })).toThrow(CatalogError);
  });
});
