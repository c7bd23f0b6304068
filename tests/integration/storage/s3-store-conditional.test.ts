import { S3Client } from '@aws-sdk/client-s3';
import { S3Store, type S3StoreOptions, s3ClientConfig } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { S3RVER_CREDENTIALS, startS3rver } from './s3rver';
import { interceptS3, type ScriptedReply, type SeenRequest, s3ErrorXml } from './scripted-s3';

// S3's conditional-write and paging replies are scripted on the real SDK client stack: s3rver has
// no conditional PUT, its continuation tokens need DES (gone from Node's OpenSSL 3), and no AWS
// account is reachable here. The SDK still parses every reply into its real exception.

const PRECONDITION_FAILED: ScriptedReply = {
  status: 412,
  xml: s3ErrorXml('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'),
};
const CONFLICT: ScriptedReply = {
  status: 409,
  xml: s3ErrorXml('ConditionalRequestConflict', 'A conflicting operation occurred. Retry the request.'),
};
const INTERNAL_ERROR = s3ErrorXml('InternalError', 'We encountered an internal error. Please try again.');

let s3rverDir: { path: string; cleanup: () => Promise<void> };
let s3rver: { endpoint: string; close: () => Promise<void> };
const clients: S3Client[] = [];
let run = 0;

beforeAll(async () => {
  s3rverDir = await makeTempDir('s3rver-scripted');
  s3rver = await startS3rver(s3rverDir.path, ['lake']);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await s3rver.close();
  await s3rverDir.cleanup();
});

const baseOptions = () => ({
  endpoint: s3rver.endpoint,
  credentials: S3RVER_CREDENTIALS,
  region: 'us-east-1',
});

/** A store on a fresh prefix whose client answers as `script` says (per request, in order). */
function scriptedStore(
  script: (request: SeenRequest, index: number) => ScriptedReply,
  options: Partial<S3StoreOptions> = {},
): { store: S3Store; plain: S3Store; seen: SeenRequest[] } {
  const client = new S3Client(s3ClientConfig(baseOptions()));
  clients.push(client);
  let index = 0;
  const seen = interceptS3(client, (request) => script(request, index++));
  run += 1;
  const uri = `s3://lake/scripted-${run}`;
  return {
    store: new S3Store(uri, { ...baseOptions(), client, conflictBackoffMs: 1, ...options }),
    plain: new S3Store(uri, baseOptions()),
    seen,
  };
}

const text = (bytes: Uint8Array | undefined) =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

describe('S3Store.putIfAbsent against S3 conditional-write replies', () => {
  it('sends If-None-Match: * and reports a 412 PreconditionFailed as a lost race', async () => {
    // Prepare
    const { store, plain, seen } = scriptedStore(() => PRECONDITION_FAILED);

    // Act
    const created = await store.putIfAbsent('log/00.json', 'mine');

    // Assess
    expect(created).toBe(false);
    expect(seen.map((r) => [r.method, r.path, r.headers['if-none-match']])).toStrictEqual([
      ['PUT', `/lake/${store.prefix}/log/00.json`, '*'],
    ]);
    expect(await plain.get('log/00.json')).toBeUndefined();
  });

  it('retries after 409 ConditionalRequestConflict until the write goes through', async () => {
    // Prepare
    const { store, plain, seen } = scriptedStore((_, i) => (i < 2 ? CONFLICT : 'forward'));

    // Act
    const created = await store.putIfAbsent('log/01.json', 'after two conflicts');

    // Assess
    expect(created).toBe(true);
    expect(seen).toHaveLength(3);
    expect(text(await plain.get('log/01.json'))).toBe('after two conflicts');
  });

  it('reports a lost race when the retry after a 409 meets 412', async () => {
    // Prepare
    const { store, seen } = scriptedStore((_, i) => (i === 0 ? CONFLICT : PRECONDITION_FAILED));

    // Act
    const created = await store.putIfAbsent('log/02.json', 'mine');

    // Assess
    expect(created).toBe(false);
    expect(seen).toHaveLength(2);
  });

  it('gives up with a StorageError naming the key when the conflict outlasts its attempts', async () => {
    // Prepare
    const { store, seen } = scriptedStore(() => CONFLICT, { conflictAttempts: 3 });

    // Act
    const attempt = store.putIfAbsent('log/03.json', 'mine');

    // Assess
    await expect(attempt).rejects.toMatchObject({
      name: 'StorageError',
      message: `cannot create log/03.json in ${store.uri}`,
      cause: { name: 'ConditionalRequestConflict', $metadata: { httpStatusCode: 409 } },
    });
    expect(seen).toHaveLength(3);
  });

  it('counts the key as created when the SDK retried and the object holds exactly our bytes', async () => {
    // Prepare: the first request reaches s3rver and writes, but its reply is lost as a 500; the
    // SDK's own retry then meets 412 because the object is there.
    const { store, plain, seen } = scriptedStore((_, i) =>
      i === 0
        ? { status: 500, xml: INTERNAL_ERROR, forward: true }
        : i === 1
          ? PRECONDITION_FAILED
          : 'forward',
    );

    // Act
    const created = await store.putIfAbsent('log/04.json', 'our commit');

    // Assess
    expect(created).toBe(true);
    expect(seen.map((r) => [r.method, r.headers['amz-sdk-request']])).toStrictEqual([
      ['PUT', 'attempt=1; max=3'],
      ['PUT', 'attempt=2; max=3'],
      ['GET', 'attempt=1; max=3'],
    ]);
    expect(text(await plain.get('log/04.json'))).toBe('our commit');
  });

  it('reports a lost race after an SDK retry when the object holds another writer’s bytes', async () => {
    // Prepare
    const { store, plain } = scriptedStore((_, i) =>
      i === 0 ? { status: 500, xml: INTERNAL_ERROR } : i === 1 ? PRECONDITION_FAILED : 'forward',
    );
    await plain.put('log/05.json', 'their commit');

    // Act
    const created = await store.putIfAbsent('log/05.json', 'our commit');

    // Assess
    expect(created).toBe(false);
    expect(text(await plain.get('log/05.json'))).toBe('their commit');
  });
});

describe('S3Store.list against paged ListObjectsV2 replies', () => {
  const page = (prefix: string, keys: string[], next?: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake</Name><Prefix>${prefix}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${keys
      .map(
        (key) =>
          `<Contents><Key>${key}</Key><LastModified>2024-05-01T10:11:12.000Z</LastModified><ETag>"e"</ETag><Size>${key.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
      )
      .join('')}</ListBucketResult>`;

  it('follows continuation tokens through every page and strips the store prefix', async () => {
    // Prepare
    let prefix = '';
    const { store, seen } = scriptedStore((_, i) => {
      const replies = [
        page(`${prefix}/t/`, [`${prefix}/t/a.json`, `${prefix}/t/b.json`], 'token-2'),
        page(`${prefix}/t/`, [`${prefix}/t/c.json`], 'token-3'),
        page(`${prefix}/t/`, [`${prefix}/t/d.json`]),
      ];
      return { status: 200, xml: replies[i]! };
    });
    prefix = store.prefix;

    // Act
    const listed = await store.list('t/');

    // Assess
    const modified = Date.parse('2024-05-01T10:11:12.000Z');
    expect(listed).toStrictEqual(
      ['a', 'b', 'c', 'd'].map((name) => ({
        key: `t/${name}.json`,
        size: `${prefix}/t/${name}.json`.length,
        lastModified: modified,
      })),
    );
    expect(seen.map((r) => [r.query.prefix, r.query['continuation-token']])).toStrictEqual([
      [`${prefix}/t/`, undefined],
      [`${prefix}/t/`, 'token-2'],
      [`${prefix}/t/`, 'token-3'],
    ]);
  });

  it('lists folders from CommonPrefixes beside objects, page by page, with the delimiter', async () => {
    // Prepare
    let prefix = '';
    const folders = (names: string[], objects: string[], next?: string) =>
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>lake</Name><Prefix>${prefix}/tables/</Prefix><Delimiter>/</Delimiter><KeyCount>${names.length + objects.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>${next !== undefined}</IsTruncated>${next ? `<NextContinuationToken>${next}</NextContinuationToken>` : ''}${objects
        .map(
          (key) =>
            `<Contents><Key>${prefix}/tables/${key}</Key><LastModified>2024-05-01T10:11:12.000Z</LastModified><ETag>"e"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Contents>`,
        )
        .join(
          '',
        )}${names.map((name) => `<CommonPrefixes><Prefix>${prefix}/tables/${name}/</Prefix></CommonPrefixes>`).join('')}</ListBucketResult>`;
    const { store, seen } = scriptedStore((_, i) => {
      const replies = [folders(['batch'], ['readme.txt'], 'token-2'), folders(['stream'], [])];
      return { status: 200, xml: replies[i]! };
    });
    prefix = store.prefix;

    // Act
    const listed = await store.listFolders('tables/');

    // Assess
    expect(listed).toStrictEqual(['tables/batch/', 'tables/stream/']);
    expect(seen.map((r) => [r.query.delimiter, r.query['continuation-token']])).toStrictEqual([
      ['/', undefined],
      ['/', 'token-2'],
    ]);
  });

  it('asks for no more keys than the limit and stops there, after the given key', async () => {
    // Prepare
    let prefix = '';
    const { store, seen } = scriptedStore(() => ({
      status: 200,
      xml: page(`${prefix}/log/`, [`${prefix}/log/2.json`, `${prefix}/log/3.json`], 'token-2'),
    }));
    prefix = store.prefix;

    // Act
    const listed = await store.list('log/', { startAfter: 'log/1.json', limit: 2 });

    // Assess
    expect(listed.map((o) => o.key)).toStrictEqual(['log/2.json', 'log/3.json']);
    expect(seen.map((r) => [r.query['start-after'], r.query['max-keys']])).toStrictEqual([
      [`${prefix}/log/1.json`, '2'],
    ]);
  });
});
