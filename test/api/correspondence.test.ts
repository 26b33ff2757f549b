// The register over HTTP (a client bank sees only what it exchanged; opening needs a clearance and
// is logged), the journal for hledger (the depository's readers only) and documents as PDF.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantClearance, readLog } from '../../src/service/correspondence/register.ts';
import { ok } from '../support/desk.ts';
import { type ScenarioServed, sendLetterToNbc, servedScenario1961 } from './scenario.ts';

let served: ScenarioServed;
let letter: bigint;

beforeAll(async () => {
  served = await servedScenario1961();
  letter = await sendLetterToNbc(served.ingot, 'Loading at the vault on 1 March, embassy present.');
  // The journal holds every metal account's movements: its reader, the auditor, is cleared for it.
  const by = 'gosbank-supervisor';
  ok(await grantClearance(served.ingot, { user_id: 'gosbank-auditor', level: 'confidential', by }));
}, 30_000);
afterAll(() => served.close());

describe('the correspondence register', () => {
  it('lists the letter to NBC for NBC and for the depository, not for another bank', async () => {
    const nbc = await served.as('nbc-viewer');
    const listed = (await nbc.get('/correspondence')).body as { id: string; subject: string }[];
    expect(listed.map((m) => m.id)).toContain(letter.toString());
    const depository = await served.as('gosbank-auditor');
    expect(((await depository.get('/correspondence')).body as unknown[]).length).toBeGreaterThan(0);
    const bnb = await served.as('bnb-signatory');
    expect((await bnb.get('/correspondence')).body).toEqual([]);
    const hidden = await bnb.post(`/correspondence/${letter}/open`);
    expect(hidden.status).toBe(404);
    expect((hidden.body as { code: string }).code).toBe('message_not_found');
  });

  it('opens the letter for a cleared user and refuses one not cleared, logging both', async () => {
    const viewer = await served.as('nbc-viewer');
    const refused = await viewer.post(`/correspondence/${letter}/open`);
    expect(refused.status).toBe(403);
    expect((refused.body as { code: string }).code).toBe('not_cleared');
    const signatory = await served.as('nbc-signatory-1');
    const opened = await signatory.post(`/correspondence/${letter}/open`);
    expect(opened.status).toBe(200);
    expect((opened.body as { text: string }).text).toContain('embassy present');
    const log = await readLog(served.ingot, letter);
    expect(log.map((r) => [r.user_id, r.outcome])).toEqual([
      ['nbc-viewer', 'refused'],
      ['nbc-signatory-1', 'allowed'],
    ]);
  });
});

describe('exports', () => {
  it('streams the journal as hledger text to the depository readers only', async () => {
    const auditor = await served.as('gosbank-auditor');
    const journal = await auditor.get('/journal.hledger');
    expect(journal.status).toBe(200);
    expect(journal.text).toContain('NBC-GOLD');
    expect(journal.text.split('\n').length).toBeGreaterThan(50);
    expect((await (await served.as('nbc-signatory-1')).get('/journal.hledger')).status).toBe(403);
  });

  it('prints a bar list and a confirmation as PDF for a cleared user', async () => {
    const signatory = await served.as('nbc-signatory-1');
    const bars = await signatory.get('/accounts/NBC-GOLD/bars.pdf?date=1961-01-31');
    expect(bars.status).toBe(200);
    expect(bars.headers.get('content-type')).toBe('application/pdf');
    expect(bars.text.startsWith('%PDF')).toBe(true);
    const confirmation = await signatory.get('/trades/TRADE-1/confirmation.pdf');
    expect(confirmation.status).toBe(200);
    const statement = await signatory.get('/accounts/NBC-GOLD/statement.pdf?from=1961-01-01&to=1961-03-31');
    expect(statement.status).toBe(200);
    const viewer = await served.as('nbc-viewer');
    expect((await viewer.get('/accounts/NBC-GOLD/bars.pdf?date=1961-01-31')).status).toBe(403);
    const bnb = await served.as('bnb-signatory');
    expect((await bnb.get('/accounts/NBC-GOLD/bars.pdf')).status).toBe(404);
  });
});
