/** Small state files of the embedded broker, replaced whole so a crash leaves the old or the new one. */
import { renameSync, writeFileSync } from 'node:fs';

/** Writes `text` to `file` through a temporary file and a rename (atomic on POSIX). */
export function writeFileAtomic(file: string, text: string): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}
