// Running the server: health, metrics, the OpenAPI document, logs without secrets, and a shutdown
// that finishes the request under way (`ingot serve` as a real process, sent SIGTERM mid-upload).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStock } from '../../src/scenario/stock.ts';
import { buildServer } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { addParty, openAccount } from '../../src/service/parties/parties.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { ok } from '../support/desk.ts';
import { addUsers, PASSWORD, type Served, servedWorld } from './support.ts';

let served: Served;

beforeAll(async () => {
  served = await servedWorld(40);
});
afterAll(() => served.close());

describe('operations', () => {
  it('reports health, and metrics by route and status, settlements and the journal', async () => {
    expect((await served.client(null).get('/healthz')).body).toEqual({ status: 'ok', store: 'sqlite' });
    const operator = await served.signIn('operator');
    const nbc = await served.signIn('nbc-signatory');
    await nbc.post('/offers/OFFER-1/accept', { quantity_fine_milli_oz: '1000000', date: '1961-01-17' }, 'm1');
    await operator.post('/trades/TRADE-1/allocate', {});
    await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 'm2');
    await operator.post('/trades/TRADE-1/settle', { date: '1961-01-31' }, 'm2');
    await operator.get('/trades/NOPE');
    const metrics = (await operator.get('/metrics')).text;
    expect(metrics).toContain(
      'ingot_http_requests_total{method="POST",route="/trades/:id/settle",status="201"} 2',
    );
    expect(metrics).toContain('ingot_http_requests_total{method="GET",route="/trades/:id",status="404"} 1');
    expect(metrics).toMatch(
      /ingot_http_request_duration_seconds_bucket\{le="0.1",method="POST",route="\/session"/,
    );
    expect(metrics).toContain('ingot_settlements_total{outcome="settled"} 1');
    expect(metrics).toContain('ingot_settlements_total{outcome="replayed"} 1');
    expect(metrics).toMatch(/ingot_journal_entries \d+/);
  });

  it('publishes the OpenAPI document, every operation described, and the docs page', async () => {
    const doc = (await served.client(null).get('/openapi.json')).body as {
      openapi: string;
      paths: Record<string, Record<string, { summary?: string; responses?: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(35);
    for (const operation of operations) expect(operation.summary).toBeTruthy();
    expect(doc.paths['/trades/{id}/settle']?.post?.responses).toHaveProperty('422');
    const page = await served.client(null).get('/docs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
  });

  it('logs each request with its id, and never a password, token or cookie', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = buildServer({ ingot: served.ingot, logger: createLogger('info', sink) });
    const signed = await app.inject({
      method: 'POST',
      url: '/session',
      payload: { user_id: 'operator', password: PASSWORD },
    });
    const token = (JSON.parse(signed.body) as { token: string }).token;
    await app.inject({
      method: 'GET',
      url: '/accounts',
      headers: { authorization: `Bearer ${token}`, cookie: `ingot_session=${token}` },
    });
    app.log.info(
      { headers: { authorization: `Bearer ${token}` }, body: { password: PASSWORD } },
      'a careless line',
    );
    await app.close();
    const text = lines.join('');
    expect(text).toContain('"request_id"');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(token);
    expect(text).not.toContain(PASSWORD);
  });
});

/** Waits for the line announcing the server's URL on the process's stderr. */
async function listeningPort(child: ChildProcess): Promise<number> {
  let text = '';
  for await (const chunk of child.stderr ?? []) {
    text += String(chunk);
    const match = /Ingot is at http:\/\/[^:]+:(\d+)/.exec(text);
    if (match) return Number(match[1]);
  }
  throw new Error(`the server never said where it listens: ${text}`);
}

describe('graceful shutdown', () => {
  it('finishes an upload under way when sent SIGTERM, refuses new work, and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingot-serve-'));
    const db = join(dir, 'books.db');
    const ingot = ingotOver(await openSqliteStore(db), 'setup');
    ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank', role: 'depository' }));
    ok(await openAccount(ingot, { id: 'GOSBANK-VAULT', party_id: 'GOSBANK', kind: 'custody', unit: 'XAU' }));
    await addUsers(ingot, [['operator', 'GOSBANK', 'depository_operator']]);
    await ingot.store.close();
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'ingot.js');
    const child = spawn(process.execPath, [bin, '--db', db, 'serve', '--port', '0', '--log-level', 'warn'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    try {
      const port = await listeningPort(child);
      const base = `http://127.0.0.1:${port}`;
      const signed = await fetch(`${base}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: 'operator', password: PASSWORD }),
      });
      const { token } = (await signed.json()) as { token: string };
      const lines: string[] = [];
      for await (const line of generateStock(200)) lines.push(line);
      const upload = httpRequest(`${base}/bars/import?account=GOSBANK-VAULT&date=1961-01-02`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'idempotency-key': 'slow' },
      });
      const answered = once(upload, 'response');
      upload.write(`${lines.slice(0, 100).join('\n')}\n`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const late = await fetch(`${base}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(late === 503 || late === 'refused').toBe(true);
      upload.end(`${lines.slice(100).join('\n')}\n`);
      const [response] = (await answered) as [import('node:http').IncomingMessage];
      let body = '';
      for await (const chunk of response) body += String(chunk);
      expect(response.statusCode, body).toBe(201);
      expect(JSON.parse(body)).toMatchObject({ bars: 200 });
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
