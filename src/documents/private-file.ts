// Files that hold what is confidential (a bar list, a statement, the journal, a report), written
// for their owner alone: created 0600, and made 0600 when they were there before, so a printed bar
// list is never left readable by every user of the machine.
import { closeSync, createWriteStream, fchmodSync, openSync, type WriteStream, writeSync } from 'node:fs';

/** Permission bits of a confidential file: read and write by its owner only. */
export const CONFIDENTIAL_FILE_MODE = 0o600;

/** Opens `path` for writing from its start, owner-only whatever it was. */
function openPrivate(path: string): number {
  const fd = openSync(path, 'w', CONFIDENTIAL_FILE_MODE);
  fchmodSync(fd, CONFIDENTIAL_FILE_MODE);
  return fd;
}

/** A stream writing `path` owner-only. */
export function privateWriteStream(path: string): WriteStream {
  return createWriteStream('', { fd: openPrivate(path) });
}

/** Writes `text` to `path` owner-only. */
export function writePrivateFile(path: string, text: string): void {
  const fd = openPrivate(path);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
