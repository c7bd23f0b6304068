import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TrinoSQL } from 'dt-sql-parser';
import {
  createRowsViewSql,
  QUERIES_DIR,
  QUERY_COLUMNS,
  QUERY_IDS,
  type QueryId,
  readQuery,
  rowsViewName,
  withDistinctPosts,
} from '../../../libs/analytics';
import { columnsNamedBy } from '../../../libs/analytics/views';
import { KINDS, type Kind, type RowOf } from '../../../libs/records/tables';
import { generateCleanTables } from '../../helpers/analytics-generated-posts';
import { writeCleanParquet } from '../../helpers/analytics-parquet';
import { answerAll } from '../../helpers/analytics-reference';
import { makeTempDir } from '../../helpers/temp-dir';

// One set of SQL for DuckDB and Athena (engine v3, Trino): every query file, and the statement Athena
// is given for it, must parse with a real Trino grammar (dt-sql-parser's, generated from Trino's
// SqlBase.g4), call only functions both engines have, divide nothing (`/` is integer division on
// Trino's integers and decimal division on DuckDB's), and answer exactly as on DuckDB. What this
// cannot prove: Trino's *semantics* (it parses, it does not run); the Athena stand-in runs the
// statements with DuckDB. The list below is what the two engines' documentation says:
// - Trino: aggregate functions count, avg, max (https://trino.io/docs/current/functions/aggregate.html),
//   window function row_number (https://trino.io/docs/current/functions/window.html); CAST, EXTRACT,
//   CASE and BETWEEN are syntax, not functions, and parsed as such.
// - DuckDB: the same names, checked below against duckdb_functions() of the DuckDB we ship.
const PORTABLE_FUNCTIONS = ['avg', 'count', 'max', 'row_number'];

const trino = new TrinoSQL();

interface ParseNode {
  readonly constructor: { readonly name: string };
  readonly children?: ParseNode[] | null;
  getText(): string;
  functionName?: () => ParseNode;
  readonly _operator?: { readonly text?: string };
}

function walk(node: ParseNode, visit: (node: ParseNode) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child, visit);
}

/** The functions a statement calls (lowercase) and the arithmetic operators it uses. */
function callsAndOperators(sql: string): { functions: string[]; operators: string[] } {
  const functions = new Set<string>();
  const operators = new Set<string>();
  walk(trino.parse(sql) as unknown as ParseNode, (node) => {
    if (node.constructor.name === 'FunctionCallContext' && node.functionName) {
      functions.add(node.functionName().getText().toLowerCase());
    }
    if (node.constructor.name === 'ArithmeticBinaryContext' && node._operator?.text) {
      operators.add(node._operator.text);
    }
  });
  return { functions: [...functions].sort(), operators: [...operators].sort() };
}

const syntaxErrors = (sql: string) => trino.validate(sql).map((e) => e.message);

describe('the nine query files as portable SQL', () => {
  let texts: Record<QueryId, string>;
  let columnsByKind: Record<Kind, string[]>;

  beforeAll(async () => {
    texts = Object.fromEntries(
      await Promise.all(QUERY_IDS.map(async (id) => [id, await readQuery(QUERIES_DIR, id)])),
    ) as Record<QueryId, string>;
    columnsByKind = Object.fromEntries(
      KINDS.map((kind) => [kind, columnsNamedBy(kind, Object.values(texts))]),
    ) as Record<Kind, string[]>;
  });

  it.each(QUERY_IDS)('%s parses with the Trino grammar, as a file and as Athena gets it', (id) => {
    // Act
    const asFile = syntaxErrors(texts[id]);
    const asAthena = syntaxErrors(withDistinctPosts(texts[id], columnsByKind));

    // Assess
    expect({ asFile, asAthena }).toStrictEqual({ asFile: [], asAthena: [] });
  });

  it.each(QUERY_IDS)('%s calls only functions both engines have, and divides nothing', (id) => {
    // Act
    const used = callsAndOperators(withDistinctPosts(texts[id], columnsByKind));

    // Assess
    expect(used.functions.filter((name) => !PORTABLE_FUNCTIONS.includes(name))).toStrictEqual([]);
    expect(used.operators.filter((op) => op === '/')).toStrictEqual([]);
  });

  it('finds what Trino lacks: PERCENTILE_CONT, QUALIFY, a DuckDB-only function, a division', () => {
    // Act
    const percentile = syntaxErrors('SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x) FROM t');
    const qualify = syntaxErrors('SELECT x FROM t QUALIFY ROW_NUMBER() OVER (ORDER BY x) = 1');
    const duckdbOnly = callsAndOperators('SELECT arg_min(x, y), count(*), 1 / 2 FROM t');

    // Assess
    expect(percentile.length).toBeGreaterThan(0);
    expect(qualify.length).toBeGreaterThan(0);
    expect(duckdbOnly).toStrictEqual({ functions: ['arg_min', 'count'], operators: ['/'] });
  });

  it('lists only functions the shipped DuckDB has', async () => {
    // Prepare
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();

    // Act
    const reader = await connection.runAndReadAll(
      `SELECT DISTINCT lower(function_name) AS name FROM duckdb_functions() WHERE lower(function_name) IN (${PORTABLE_FUNCTIONS.map((f) => `'${f}'`).join(', ')}) ORDER BY name`,
    );
    const found = reader.getRowObjectsJS().map((row) => row.name);
    connection.closeSync();
    instance.closeSync();

    // Assess
    expect(found).toStrictEqual(PORTABLE_FUNCTIONS);
  });

  it('gives on DuckDB, as Athena gets them (deduplicated by ROW_NUMBER), the answers of DESIGN §1.2', async () => {
    // Prepare: generated posts with re-sent copies that differ, in two files per table, exposed under
    // the Glue table names (batch_pin…) as the Athena stand-in exposes them.
    const dir = await makeTempDir('portable-sql');
    try {
      const tables = generateCleanTables(2000, 7);
      const files: Record<Kind, string[]> = { pin: [], geo: [], user: [] };
      for (const kind of KINDS) {
        const rows = tables[kind] as readonly RowOf[typeof kind][];
        const parts = [0, 1].map((part) => ({
          path: join(dir.path, `${kind}-${part}.parquet`),
          kind,
          rows: rows.filter((_, i) => i % 2 === part),
        }));
        await writeCleanParquet(parts);
        files[kind] = parts.map((p) => p.path);
      }
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run("SET TimeZone = 'UTC'");
      for (const kind of KINDS) {
        await connection.run(createRowsViewSql(kind, files[kind]));
        await connection.run(`CREATE VIEW batch_${kind} AS SELECT * FROM ${rowsViewName(kind)}`);
      }

      // Act
      const answers: Record<string, unknown> = {};
      for (const id of QUERY_IDS) {
        const reader = await connection.runAndReadAll(withDistinctPosts(texts[id], columnsByKind));
        expect(reader.columnNames()).toStrictEqual([...QUERY_COLUMNS[id]]);
        answers[id] = reader
          .getRowObjectsJS()
          .map((row) =>
            Object.fromEntries(
              Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v]),
            ),
          );
      }
      connection.closeSync();
      instance.closeSync();

      // Assess
      expect(answers).toStrictEqual(answerAll(tables));
    } finally {
      await dir.cleanup();
    }
  });
});
