// A server under bulk work, as a client meets it: past a stated limit it answers 503 with
// Retry-After at once instead of hanging, /metrics shows how late the event loop runs, a bar list
// printed as PDF streams while other requests are answered, and a download past its limit is
// refused with a message that names the limit.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { gate } from '../support/gate.ts';
import { errorOf, type Served, servedWorld, serveOver } from './support.ts';

interface Sampled {
  readonly heapUsed: number;
  readonly eventLoopDelay: number;
}

/** Waits until the server's own sample of its load says `done` (a condition, not a time). */
async function sampled(served: Served, done: (sample: Sampled) => boolean): Promise<void> {
  const app = served.app as unknown as { memoryUsage(): Sampled };
  while (!done(app.memoryUsage())) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('under pressure', () => {
  let served: Served;
  beforeAll(async () => {
    // A heap limit of one byte: every sample finds the server past it (and only past it).
    served = await servedWorld(5, {
      limits: {
        heap_used_bytes_max: 1,
        pressure_sample_interval_ms: 100,
        retry_after_s: 7,
      },
      metricsToken: 'metrics-token-for-prometheus-0123',
    });
    await sampled(served, (sample) => sample.heapUsed > 0);
  });
  afterAll(() => served.close());

  it('answers 503 with Retry-After, naming the limit, to health and to every request', async () => {
    for (const path of ['/healthz', '/accounts/NBC-GOLD/bars']) {
      const answer = await served.client(null).get(path);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('7');
      const error = errorOf(answer);
      expect(error.code).toBe('service_unavailable');
      expect(error.message).toMatch(/MiB of heap is in use \(limit 1 bytes\); retry after 7 s/);
    }
  });

  it('still answers /metrics, which shows the event loop lag', async () => {
    const answer = await served.client('metrics-token-for-prometheus-0123').get('/metrics');
    expect(answer.status).toBe(200);
    expect(answer.text).toMatch(/ingot_http_requests_total\{[^}]*status="503"\} [1-9]/);
    expect(answer.text).toMatch(/^ingot_event_loop_lag_seconds\{quantile="0.99"\} [0-9.e-]+$/m);
  });
});

describe('within its limits', () => {
  let served: Served;
  beforeAll(async () => {
    served = await servedWorld(5, { limits: { pressure_sample_interval_ms: 100 } });
    // Setting the world up stalls the loop on purpose (scrypt): wait for a calm sample.
    await sampled(served, (sample) => sample.heapUsed > 0 && sample.eventLoopDelay < 200);
  });
  afterAll(() => served.close());

  it('answers health as before', async () => {
    const answer = await served.client(null).get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok', store: 'sqlite' });
  });

  it('shows the event loop lag in /metrics with its maximum', async () => {
    const metrics = (await (await served.signIn('auditor')).get('/metrics')).text;
    expect(metrics).toContain('# TYPE ingot_event_loop_lag_seconds gauge');
    for (const quantile of ['0.5', '0.99', '1']) {
      expect(metrics).toMatch(new RegExp(`^ingot_event_loop_lag_seconds\\{quantile="${quantile}"\\} `, 'm'));
    }
  });
});

/** A GET whose body is read only as far as asked: the first chunk, then the rest on request. */
function openDownload(url: string, token: string) {
  return new Promise<{ response: IncomingMessage; first: Buffer; rest: () => Promise<Buffer> }>(
    (resolve, reject) => {
      const request = get(url, { headers: { authorization: `Bearer ${token}` }, agent: false });
      request.on('error', reject);
      request.on('response', (response) => {
        response.once('data', (first: Buffer) => {
          response.pause();
          const rest = async () => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.resume();
            await once(response, 'end');
            return Buffer.concat(chunks);
          };
          resolve({ response, first, rest });
        });
      });
    },
  );
}

describe('a bar list printed as PDF', () => {
  // Enough bars for a PDF (about 1.3 MB) larger than the sockets hold while the client reads
  // nothing: the server cannot have finished it before the client reads on.
  const BARS = 30_000;
  let served: Served;
  let big: Served;
  beforeAll(async () => {
    served = await servedWorld(BARS, { limits: { pdf_renders_max: 1, retry_after_s: 3 } });
    big = await servedWorld(5, { limits: { pdf_bars_max: 4 } });
  }, 300_000);
  afterAll(async () => {
    await served.close();
    await big.close();
  });

  it('streams in chunks while health is answered and a second print waits its turn', async () => {
    const supervisor = await served.signIn('supervisor');
    const token = supervisor.token ?? '';
    const path = '/accounts/GOSBANK-VAULT/bars.pdf?date=1961-01-31';
    const download = await openDownload(`${served.url}${path}`, token);
    expect(download.response.statusCode).toBe(200);
    expect(download.response.headers['transfer-encoding']).toBe('chunked');
    expect(download.response.headers['content-length']).toBeUndefined();
    expect(download.response.headers['x-row-count']).toBe(String(BARS));
    expect(download.first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // While the first is still being printed (its printing slot held until its stream ends):
    const health = await served.client(null).get('/healthz');
    expect(health.status).toBe(200);
    const second = await supervisor.get(path);
    expect(second.status).toBe(503);
    expect(second.headers.get('retry-after')).toBe('3');
    expect(errorOf(second).message).toMatch(/being printed already.*retry after 3 s/);
    const pdf = Buffer.concat([download.first, await download.rest()]);
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;
    // 50 rows on a full page: the list took as many pages as its rows need.
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(BARS / 50));
    // Its slot given back once it ended: the next print is served.
    const third = await supervisor.request('GET', path);
    expect(third.status).toBe(200);
  }, 300_000);

  it('refuses a list longer than the limit, naming it and the CSV to take instead', async () => {
    const supervisor = await big.signIn('supervisor');
    const refused = await supervisor.get('/accounts/GOSBANK-VAULT/bars.pdf?date=1961-01-31');
    expect(refused.status).toBe(422);
    const error = errorOf(refused);
    expect(error.code).toBe('download_too_large');
    expect(error.message).toBe(
      'GOSBANK-VAULT holds 5 bars on 1961-01-31, more than the 4 a printed bar list may hold; ' +
        'download it as CSV (/accounts/GOSBANK-VAULT/bars.csv?date=1961-01-31)',
    );
    // Refused before a copy was numbered: the register shows no print of it.
    const copies = await big.ingot.store.db.selectFrom('document_copies').selectAll().execute();
    expect(copies).toEqual([]);
  });
});

describe('health during a long write', () => {
  it('answers while a write transaction holds the books (as an import of millions of bars does)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingot-health-'));
    const served = await serveOver(ingotOver(await openSqliteStore(join(dir, 'books.db')), 'test'));
    try {
      const held = gate();
      const writing = served.ingot.store.write(() => held.wait());
      await held.reached;
      // The writer's connection is held until the gate opens; health reads beside it.
      const health = await served.client(null).get('/healthz');
      expect(health.status).toBe(200);
      held.open();
      await writing;
    } finally {
      await served.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
