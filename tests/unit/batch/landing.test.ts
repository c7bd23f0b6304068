import { landMskEvent } from '../../../libs/batch';
import { ChaosError, setChaos } from '../../../libs/chaos';
import { FileStore } from '../../../libs/storage';
import { makeTempDir } from '../../helpers/temp-dir';
import { mskEvent, user, users } from './support';

let lake: { path: string; cleanup: () => Promise<void> };
let store: FileStore;

beforeEach(async () => {
  lake = await makeTempDir('landing');
  store = new FileStore(lake.path);
});
afterEach(async () => {
  setChaos(undefined);
  await lake.cleanup();
});

/** Every object of the lake with its content. */
async function lakeContent(): Promise<[string, string][]> {
  const objects = await store.list('');
  return Promise.all(
    objects.map(
      async (o): Promise<[string, string]> => [o.key, Buffer.from((await store.get(o.key))!).toString()],
    ),
  );
}

describe('land-topics landing', () => {
  it('writes nothing and changes no byte when the same batch is landed again', async () => {
    // Prepare
    const event = mskEvent('user', 0, [...users(0, 3), { offset: 5, value: user(5) }]);
    const first = await landMskEvent(store, event);
    const before = await lakeContent();

    // Act
    const again = await landMskEvent(store, structuredClone(event));

    // Assess
    expect(again).toStrictEqual({ ...first, files: first.files.map((f) => ({ ...f, written: false })) });
    expect(await lakeContent()).toStrictEqual(before);
    expect(first).toStrictEqual({
      records: 4,
      quarantined: 0,
      files: [
        {
          key: 'raw/topics/pinlake.user/partition=0/pinlake.user+0+0000000000.json',
          topic: 'pinlake.user',
          partition: 0,
          startOffset: 0,
          endOffset: 2,
          records: 3,
          written: true,
        },
        {
          key: 'raw/topics/pinlake.user/partition=0/pinlake.user+0+0000000005.json',
          topic: 'pinlake.user',
          partition: 0,
          startOffset: 5,
          endOffset: 5,
          records: 1,
          written: true,
        },
      ],
    });
  });

  it('writes each index before its data file, so a crash after a write leaves no data file without its index', async () => {
    // Prepare
    let draws = 0;
    setChaos(0.5, () => (draws++ === 0 ? 0 : 1));
    const event = mskEvent('user', 0, [...users(0, 2), ...users(4, 2)]);

    // Act
    const landing = landMskEvent(store, event);

    // Assess
    await expect(landing).rejects.toThrow(new ChaosError('land-topics:after-write'));
    expect((await store.list('raw/')).map((o) => o.key)).toStrictEqual([
      'raw/_index/pinlake.user/partition=0/0000000000-0000000001.json',
      'raw/topics/pinlake.user/partition=0/pinlake.user+0+0000000000.json',
    ]);
  });

  it('never shrinks a landed file when a bisected redelivery lands fewer records at the same start', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 6)));
    const before = await lakeContent();

    // Act
    const firstHalf = await landMskEvent(store, mskEvent('user', 0, users(0, 3)));
    const secondHalf = await landMskEvent(store, mskEvent('user', 0, users(3, 3)));

    // Assess
    expect(firstHalf.files.map((f) => f.written)).toStrictEqual([false]);
    expect(secondHalf.files.map((f) => f.written)).toStrictEqual([true]);
    const after = new Map(await lakeContent());
    for (const [key, content] of before) expect(after.get(key)).toBe(content);
  });

  it('writes the file again when its index is there but the data file never was', async () => {
    // Prepare
    await landMskEvent(store, mskEvent('user', 0, users(0, 4)));
    const key = 'raw/topics/pinlake.user/partition=0/pinlake.user+0+0000000000.json';
    const whole = Buffer.from((await store.get(key))!).toString();
    await store.delete(key);

    // Act
    const landing = await landMskEvent(store, mskEvent('user', 0, users(0, 2)));

    // Assess
    expect(landing.files.map((f) => f.written)).toStrictEqual([true]);
    const lines = whole.split('\n').slice(0, 2);
    expect(Buffer.from((await store.get(key))!).toString()).toBe(`${lines.join('\n')}\n`);
  });
});
