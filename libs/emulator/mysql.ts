import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { MysqlSourceError } from './errors';
import { drawRowIds } from './generator';
import type { Post } from './post-types';

/** The seed's three source tables, in kind order, with their columns in table order. */
const SOURCE_TABLES = {
  pin: {
    table: 'pinterest_data',
    columns: [
      ['index', 'INT NOT NULL PRIMARY KEY'],
      ['unique_id', 'VARCHAR(36)'],
      ['title', 'TEXT'],
      ['description', 'TEXT'],
      ['poster_name', 'TEXT'],
      ['follower_count', 'VARCHAR(32)'],
      ['tag_list', 'TEXT'],
      ['is_image_or_video', 'VARCHAR(64)'],
      ['image_src', 'TEXT'],
      ['downloaded', 'INT'],
      ['save_location', 'TEXT'],
      ['category', 'VARCHAR(64)'],
    ],
  },
  geo: {
    table: 'geolocation_data',
    columns: [
      ['ind', 'INT NOT NULL PRIMARY KEY'],
      ['timestamp', 'DATETIME'],
      ['latitude', 'FLOAT'],
      ['longitude', 'FLOAT'],
      ['country', 'TEXT'],
    ],
  },
  user: {
    table: 'user_data',
    columns: [
      ['ind', 'INT NOT NULL PRIMARY KEY'],
      ['first_name', 'VARCHAR(255)'],
      ['last_name', 'VARCHAR(255)'],
      ['age', 'INT'],
      ['date_joined', 'DATETIME'],
    ],
  },
} as const;

const KIND_ORDER = ['pin', 'geo', 'user'] as const;
type SourceKind = (typeof KIND_ORDER)[number];
/** The seed's database name, used when the URL names none. */
const DEFAULT_DATABASE = 'pinterest_data';
const INSERT_BATCH = 500;

/** Connection settings parsed from a `mysql://user:pass@host:port/db` URL. */
export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** The URL without its password, for messages and summaries. */
  readonly display: string;
}

/**
 * Parses `mysql://user:pass@host:port/db` (port 3306 and database `pinterest_data` by default, as
 * the seed's RDS source). Throws {@link MysqlSourceError} for anything else.
 */
export function parseMysqlUrl(url: string): MysqlTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new MysqlSourceError(`not a MySQL URL: "${url}"`, { cause: error });
  }
  if (parsed.protocol !== 'mysql:' || parsed.hostname === '') {
    throw new MysqlSourceError(`not a MySQL URL (mysql://user:pass@host:port/db): "${url}"`);
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || DEFAULT_DATABASE;
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
    throw new MysqlSourceError(`the database name "${database}" in ${url} is not a plain identifier`);
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? 3306 : Number(parsed.port);
  const user = decodeURIComponent(parsed.username) || 'root';
  return {
    host,
    port,
    user,
    password: decodeURIComponent(parsed.password),
    database,
    display: `mysql://${encodeURIComponent(user)}@${parsed.host}/${database}`,
  };
}

/**
 * Checks that the MySQL source answers and holds posts: connects, counts the rows of the three source
 * tables and disconnects. Throws a {@link MysqlSourceError} with the server's message (a refused
 * connection, a wrong password, a missing table, an empty one).
 */
export async function checkMysqlSource(url: string): Promise<void> {
  const target = parseMysqlUrl(url);
  const connection = await connect(target, true);
  try {
    await countRows(connection, target);
  } finally {
    await connection.end().catch(() => {});
  }
}

async function connect(target: MysqlTarget, withDatabase: boolean): Promise<Connection> {
  try {
    return await mysql.createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      password: target.password,
      database: withDatabase ? target.database : undefined,
      charset: 'utf8mb4',
      // DATETIME columns come back as the "YYYY-MM-DD HH:MM:SS" text the seed's emulator sent.
      dateStrings: true,
      timezone: 'Z',
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw new MysqlSourceError(`cannot connect to ${target.display}: ${messageOf(error)}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function countRows(connection: Connection, target: MysqlTarget): Promise<number> {
  const counts: number[] = [];
  for (const kind of KIND_ORDER) {
    const { table } = SOURCE_TABLES[kind];
    try {
      const [rows] = await connection.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM \`${table}\``);
      counts.push(Number(rows[0]?.n ?? 0));
    } catch (error) {
      throw new MysqlSourceError(
        `cannot count the rows of ${table} in ${target.display}: ${messageOf(error)}`,
        {
          cause: error,
        },
      );
    }
  }
  const fewest = Math.min(...counts);
  if (fewest === 0) {
    throw new MysqlSourceError(`${target.display} has an empty source table (rows: ${counts.join(', ')})`);
  }
  return fewest;
}

async function readRow(connection: Connection, target: MysqlTarget, kind: SourceKind, offset: number) {
  const { table } = SOURCE_TABLES[kind];
  try {
    const [rows] = await connection.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` LIMIT ?, 1`, [offset]);
    const row = rows[0];
    if (row === undefined) throw new Error('no row at this offset');
    return { ...row };
  } catch (error) {
    throw new MysqlSourceError(
      `cannot read row ${offset} of ${table} in ${target.display}: ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/**
 * Posts read as the seed's emulator reads its RDS tables: for each post one random row offset N
 * (drawn from `seed` within the smallest table's row count, as the generator draws pool rows), then
 * `SELECT * FROM <table> LIMIT N, 1` from pinterest_data, geolocation_data and user_data. DATETIME
 * values arrive as "YYYY-MM-DD HH:MM:SS" strings. One connection is opened when iteration starts and
 * closed when it ends or is stopped. Throws {@link MysqlSourceError} naming the database or table.
 */
export async function* readMysqlPosts(
  url: string,
  options: { posts: number; seed: number },
): AsyncGenerator<Post> {
  const target = parseMysqlUrl(url);
  const connection = await connect(target, true);
  try {
    const rowCount = await countRows(connection, target);
    for (const offset of drawRowIds({ posts: options.posts, seed: options.seed, poolSize: rowCount })) {
      const pin = await readRow(connection, target, 'pin', offset);
      const geo = await readRow(connection, target, 'geo', offset);
      const user = await readRow(connection, target, 'user', offset);
      yield { pin, geo, user } as unknown as Post;
    }
  } finally {
    await connection.end().catch(() => undefined);
  }
}

/** What {@link loadPostsIntoMysql} wrote. */
export interface MysqlLoadSummary {
  /** Posts read from the input. */
  readonly posts: number;
  /** Rows written to each table: one per distinct post id. */
  readonly rows: number;
  /** The database, without its password. */
  readonly database: string;
}

function idOf(post: Post, position: number): number {
  const id = post.pin.index;
  if (!Number.isSafeInteger(id) || post.geo.ind !== id || post.user.ind !== id) {
    throw new MysqlSourceError(
      `post ${position} has no single integer id (pin index ${post.pin.index}, geo ind ${post.geo.ind}, user ind ${post.user.ind})`,
    );
  }
  return id;
}

/**
 * Loads posts into the seed's three source tables at `url`: creates the database if missing,
 * replaces pinterest_data, geolocation_data and user_data (dropped and created again with the seed's
 * columns, utf8mb4), and writes one row per distinct post id in id order, so row offset N holds the
 * N-th smallest id in all three tables. Distinct posts are held in memory until written. Throws
 * {@link MysqlSourceError} naming the database, table or post.
 */
export async function loadPostsIntoMysql(
  url: string,
  posts: Iterable<Post> | AsyncIterable<Post>,
): Promise<MysqlLoadSummary> {
  const target = parseMysqlUrl(url);
  const distinct = new Map<number, Post>();
  let count = 0;
  for await (const post of posts) {
    count++;
    const id = idOf(post, count);
    if (!distinct.has(id)) distinct.set(id, post);
  }
  const ordered = [...distinct.keys()].sort((a, b) => a - b).map((id) => distinct.get(id) as Post);
  const connection = await connect(target, false);
  try {
    await run(connection, target, `CREATE DATABASE IF NOT EXISTS \`${target.database}\``);
    await run(connection, target, `USE \`${target.database}\``);
    for (const kind of KIND_ORDER) {
      const { table, columns } = SOURCE_TABLES[kind];
      const definition = columns.map(([name, type]) => `\`${name}\` ${type}`).join(', ');
      await run(connection, target, `DROP TABLE IF EXISTS \`${table}\``);
      await run(connection, target, `CREATE TABLE \`${table}\` (${definition}) DEFAULT CHARSET=utf8mb4`);
      const names = columns.map(([name]) => `\`${name}\``).join(', ');
      for (let start = 0; start < ordered.length; start += INSERT_BATCH) {
        const rows = ordered.slice(start, start + INSERT_BATCH).map((post) => {
          const record = post[kind] as unknown as Record<string, unknown>;
          return columns.map(([name]) => record[name] ?? null);
        });
        await run(connection, target, `INSERT INTO \`${table}\` (${names}) VALUES ?`, [rows]);
      }
    }
  } finally {
    await connection.end().catch(() => undefined);
  }
  return { posts: count, rows: ordered.length, database: target.display };
}

async function run(connection: Connection, target: MysqlTarget, sql: string, values?: unknown[]) {
  try {
    await connection.query(sql, values);
  } catch (error) {
    throw new MysqlSourceError(`${target.display}: ${sql.slice(0, 60)}… failed: ${messageOf(error)}`, {
      cause: error,
    });
  }
}
