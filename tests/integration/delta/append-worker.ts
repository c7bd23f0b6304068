// A writer process for the concurrency tests: appends COMMITS one-row commits to a table, each with
// its own txn (appId writer-<id>, version i). With CRASH_AFTER_UPLOAD=1 it uploads one file and exits
// before committing, as a Lambda killed between the Parquet upload and the commit would.

import { writeRows } from '../../../libs/delta/write';
import { TABLE_COLUMNS } from '../../../libs/records/tables';
import { FileStore } from '../../../libs/storage/file-store';

const [root, tablePath, id, commits] = process.argv.slice(2);
const store = new FileStore(root!);
const columns = TABLE_COLUMNS.user;

async function main(): Promise<void> {
  for (let i = 1; i <= Number(commits); i++) {
    const ind = Number(id) * 1000 + i;
    const row = {
      ind,
      user_name: `writer ${id}`,
      age: i,
      date_joined: null,
      source: `test:${id}:${i}`,
      ingested_at: new Date(Date.UTC(2024, 0, 1, 0, 0, 0, ind)),
    };
    const result = await writeRows(store, tablePath!, columns, [row], {
      txn: { appId: `writer-${id}`, version: i },
      beforeCommit: process.env.CRASH_AFTER_UPLOAD ? () => process.exit(3) : undefined,
    });
    if (result.status !== 'committed') throw new Error(`writer ${id} commit ${i}: ${JSON.stringify(result)}`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
