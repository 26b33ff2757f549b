// Uploaded files (bar lists, counts of the vault): spooled to a temporary file as they arrive, then
// read line by line. A slow upload so never holds the books' write lock, and nothing is held whole.
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Api } from './context.ts';
import { ApiError } from './errors.ts';
import type { UploadWatch } from './routes/vault/import-progress.ts';
import { yielding } from './yielding.ts';

/** The largest upload accepted: about five million bar rows. */
export const UPLOAD_BYTES_MAX = 512 * 1024 * 1024;

/** The content type of an Excel workbook (.xlsx). */
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Lets a scope take `text/csv` (and `text/plain`) and .xlsx bodies as streams, unread. */
export function acceptCsvStreams(app: Api): void {
  app.addContentTypeParser(['text/csv', 'text/plain', XLSX_TYPE], (_request, payload, done) =>
    done(null, payload),
  );
}

/** True when a body is a stream (a CSV upload) rather than parsed JSON. */
function isReadable(body: unknown): body is Readable {
  return typeof body === 'object' && body !== null && 'pipe' in body && typeof body.pipe === 'function';
}

/**
 * Spools an upload to a temporary file and runs `work` over the file; the file is removed after.
 * For a workbook, which is an archive read from its start: refuses what is not a stream or is
 * larger than UPLOAD_BYTES_MAX. `watch` hears each chunk.
 */
export async function withUploadedFile<T>(
  body: unknown,
  work: (path: string) => Promise<T>,
  watch?: UploadWatch,
): Promise<T> {
  if (!isReadable(body)) {
    throw new ApiError('unsupported_media_type', 'send the file as text/csv or .xlsx', 'content-type');
  }
  const dir = await mkdtemp(join(tmpdir(), 'ingot-upload-'));
  try {
    const path = join(dir, 'upload.xlsx');
    await spool(body, path, watch);
    watch?.spooled();
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Spools an upload to a temporary file and runs `work` over its lines; the file is removed after.
 * Refuses a body that is not CSV or is larger than UPLOAD_BYTES_MAX. `watch` hears each chunk.
 */
export async function withUploadedLines<T>(
  body: unknown,
  work: (lines: AsyncIterable<string>) => Promise<T>,
  watch?: UploadWatch,
): Promise<T> {
  if (!isReadable(body)) {
    throw new ApiError('unsupported_media_type', 'send the file as text/csv', 'content-type');
  }
  const dir = await mkdtemp(join(tmpdir(), 'ingot-upload-'));
  try {
    const path = join(dir, 'upload.csv');
    await spool(body, path, watch);
    watch?.spooled();
    const lines = createInterface({
      input: createReadStream(path, 'utf8'),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    try {
      // A list of millions of rows is checked and written for seconds: other requests get turns.
      return await work(yielding(lines));
    } finally {
      lines.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Newlines in a chunk, counted without decoding it. */
function newlinesIn(buffer: Buffer): number {
  let count = 0;
  for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) count += 1;
  return count;
}

async function spool(body: Readable, path: string, watch: UploadWatch | undefined): Promise<void> {
  const file = createWriteStream(path);
  let bytes = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      if (bytes > UPLOAD_BYTES_MAX) {
        throw new ApiError('payload_too_large', `uploads are limited to ${UPLOAD_BYTES_MAX} bytes`, 'body');
      }
      watch?.received(buffer.length, newlinesIn(buffer), buffer.at(-1) ?? 10);
      if (!file.write(buffer)) await once(file, 'drain');
    }
  } finally {
    file.end();
    await finished(file).catch(() => undefined);
  }
}
