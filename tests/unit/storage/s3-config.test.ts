import { parseS3Uri, S3Store, StorageError, s3ClientConfig, s3ClientFor } from '../../../libs/storage';

describe('parseS3Uri', () => {
  it.each([
    ['s3://lake', { bucket: 'lake', prefix: '' }],
    ['s3://lake/', { bucket: 'lake', prefix: '' }],
    ['s3://lake/pinlake/prod/', { bucket: 'lake', prefix: 'pinlake/prod' }],
  ])('splits %s into bucket and prefix', (uri, expected) => {
    // Act
    const parsed = parseS3Uri(uri);

    // Assess
    expect(parsed).toStrictEqual(expected);
  });

  it('refuses a URI with no bucket', () => {
    // Act
    const attempt = () => parseS3Uri('s3:///prefix');

    // Assess
    expect(attempt).toThrow(new StorageError('not an S3 URI: s3:///prefix (expected s3://bucket/prefix)'));
  });
});

describe('s3ClientConfig and s3ClientFor', () => {
  it('uses path style and the checksum mode stand-ins accept when given an endpoint', () => {
    // Act
    const config = s3ClientConfig({
      endpoint: 'http://127.0.0.1:4569',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });

    // Assess
    expect(config).toStrictEqual({
      region: 'eu-west-1',
      forcePathStyle: true,
      endpoint: 'http://127.0.0.1:4569',
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
  });

  it('leaves AWS defaults alone without an endpoint', () => {
    // Act
    const config = s3ClientConfig({ region: 'eu-west-1' });

    // Assess
    expect(config).toStrictEqual({ region: 'eu-west-1', forcePathStyle: false });
  });

  it('builds one client per configuration and reuses it', () => {
    // Act
    const a = s3ClientFor({ region: 'eu-west-1' });
    const b = s3ClientFor({ region: 'eu-west-1' });
    const c = s3ClientFor({ region: 'eu-central-1' });

    // Assess
    expect([a === b, a === c]).toStrictEqual([true, false]);
  });

  it('names the store by its normalised URI', () => {
    // Act
    const store = new S3Store('s3://lake/pinlake/prod/', { region: 'eu-west-1' });

    // Assess
    expect([store.uri, store.bucket, store.prefix]).toStrictEqual([
      's3://lake/pinlake/prod',
      'lake',
      'pinlake/prod',
    ]);
  });
});
