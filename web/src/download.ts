// Downloading a file from the API with its progress: the body is read as it streams, counting bytes
// against the Content-Length and, for a CSV, rows against the x-row-count the server announces. A
// refusal (not signed in, not cleared to print) comes back as the API's error, never as a file.
import { ApiRefusal } from './api.ts';

export interface Received {
  readonly bytes: number;
  /** Content-Length, when the server knew it before sending (printed documents, small CSV). */
  readonly bytes_total: number | undefined;
  /** CSV rows after the header line received so far. */
  readonly rows: number;
  /** The rows the server announced (x-row-count), for a streamed bar list. */
  readonly rows_total: number | undefined;
}

export interface Downloaded extends Received {
  readonly blob: Blob;
  readonly filename: string;
}

/** How often the page hears of progress: often enough to move, seldom enough not to stall it. */
const REPORT_EVERY_MS = 100;

function filenameOf(response: Response, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  return match?.[1] ?? fallback;
}

function headerNumber(response: Response, name: string): number | undefined {
  const value = Number.parseInt(response.headers.get(name) ?? '', 10);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

async function refusalOf(response: Response): Promise<ApiRefusal> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; field?: unknown };
    if (typeof body.code === 'string' && typeof body.message === 'string') {
      return new ApiRefusal(
        response.status,
        body.code,
        body.message,
        typeof body.field === 'string' ? body.field : null,
      );
    }
  } catch {
    // Not the API's error shape: say what the server answered.
  }
  return new ApiRefusal(response.status, 'unexpected_answer', `the server answered ${response.status}`, null);
}

function newlines(chunk: Uint8Array): number {
  let count = 0;
  for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) count += 1;
  return count;
}

/** Fetches `path` as a file, reporting progress; rejects with an ApiRefusal when refused. */
export async function download(
  path: string,
  onProgress: (received: Received) => void,
  signal?: AbortSignal,
): Promise<Downloaded> {
  const response = await fetch(path, { credentials: 'same-origin', ...(signal ? { signal } : {}) });
  if (!response.ok) throw await refusalOf(response);
  const csv = (response.headers.get('content-type') ?? '').startsWith('text/csv');
  const progress = {
    bytes: 0,
    bytes_total: headerNumber(response, 'content-length'),
    rows: 0,
    rows_total: headerNumber(response, 'x-row-count'),
  };
  const chunks: Uint8Array[] = [];
  let lines = 0;
  let reported = 0;
  const reader = response.body?.getReader();
  for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) {
    chunks.push(part.value);
    progress.bytes += part.value.length;
    if (csv) lines += newlines(part.value);
    progress.rows = Math.max(0, lines - 1);
    if (Date.now() - reported >= REPORT_EVERY_MS) {
      reported = Date.now();
      onProgress({ ...progress });
    }
  }
  // A PDF's rows cannot be counted in its bytes: once it is whole, it lists the bars the server counted.
  if (!csv && progress.rows_total !== undefined) progress.rows = progress.rows_total;
  onProgress({ ...progress });
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const blob = new Blob(chunks as BlobPart[], { type });
  return { ...progress, blob, filename: filenameOf(response, path.split('/').at(-1) ?? 'download') };
}

/** Hands a downloaded file to the browser to save. */
export function save(file: Downloaded): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled; free the memory a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
