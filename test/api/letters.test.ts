// Letters written over the API (POST /correspondence/letters): a depository user writes to NBC, the
// letter is registered under the next number, sealed into the outbox, seen by NBC and not by
// another bank, opened only by a cleared user; bad input is refused naming the field.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeys, pinCorrespondent } from '../../src/service/correspondence/keyring.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { TEST_KEY_PASSPHRASE } from '../support/cli.ts';
import { ok } from '../support/desk.ts';
import { type ScenarioServed, servedScenario1961 } from './scenario.ts';
import type { Answer } from './support.ts';

const PASSPHRASE_VARIABLE = 'INGOT_KEY_PASSPHRASE';
const LETTER = {
  to: 'NBC',
  classification: 'confidential',
  subject: 'Loading at the vault',
  text: 'Dear colleagues,\nthe bars will be loaded on 1 March; your embassy may attend.',
  date: '1961-02-21',
};

let served: ScenarioServed;
let keys: string;
let passphraseBefore: string | undefined;

/** Keys for the depository (kept for the server to sign with) and NBC's pinned at it; clearances. */
async function correspondWithNbc(): Promise<void> {
  keys = mkdtempSync(join(tmpdir(), 'ingot-letters-'));
  const generate = (bank: string, store = served.ingot) =>
    generateKeys(store, {
      bank_id: bank,
      private_path: join(keys, `${bank}.keys.json`),
      public_path: join(keys, `${bank}.public.json`),
      passphrase: TEST_KEY_PASSPHRASE,
    });
  ok(await generate('GOSBANK'));
  const nbcStore = await openSqliteStore(':memory:');
  const nbc = ok(await generate('NBC', ingotOver(nbcStore, 'nbc')));
  await nbcStore.close();
  const pin = { bank_id: 'NBC', file: nbc.public_file, replace: false };
  ok(await pinCorrespondent(served.ingot, pin));
  const clear = (user_id: string, level: 'confidential' | 'secret' | 'top_secret') =>
    grantClearance(served.ingot, { user_id, level, by: 'gosbank-supervisor' });
  ok(await clear('gosbank-supervisor', 'top_secret'));
  ok(await clear('gosbank-operator', 'secret'));
  ok(await clear('nbc-signatory-1', 'confidential'));
}

function refusal(answer: Answer): { status: number; code: string; field: string | null } {
  const body = answer.body as { code: string; field: string | null };
  return { status: answer.status, code: body.code, field: body.field };
}

beforeAll(async () => {
  passphraseBefore = process.env[PASSPHRASE_VARIABLE];
  process.env[PASSPHRASE_VARIABLE] = TEST_KEY_PASSPHRASE;
  served = await servedScenario1961();
  await correspondWithNbc();
}, 30_000);
afterAll(async () => {
  await served?.close();
  if (keys) rmSync(keys, { recursive: true, force: true });
  if (passphraseBefore === undefined) delete process.env[PASSPHRASE_VARIABLE];
  else process.env[PASSPHRASE_VARIABLE] = passphraseBefore;
});

describe('writing a letter', () => {
  let id: string;

  it('queues a depository user’s letter to NBC under the next number, seen by NBC only', async () => {
    const operator = await served.as('gosbank-operator');
    const written = await operator.post('/correspondence/letters', LETTER);
    expect(written.status).toBe(202);
    const letter = written.body as { id: string; number: string; reference: string; correspondent: string };
    expect(letter).toMatchObject({ number: '1', reference: 'LTR-610221-1', correspondent: 'NBC' });
    id = letter.id;
    const nbc = await served.as('nbc-signatory-1');
    const listed = (await nbc.get('/correspondence')).body as Record<string, string>[];
    expect(listed.find((m) => m.id === id)).toMatchObject({
      direction: 'out',
      number: '1',
      subject: 'Loading at the vault',
      message_type: 'MT699',
      classification: 'confidential',
      state: 'outbox',
    });
    const bnb = await served.as('bnb-signatory');
    expect((await bnb.get('/correspondence')).body).toEqual([]);
    expect(refusal(await bnb.post(`/correspondence/${id}/open`))).toMatchObject({
      status: 404,
      code: 'message_not_found',
    });
  });

  it('opens the letter for a cleared user and refuses one not cleared', async () => {
    const opened = await (await served.as('nbc-signatory-1')).post(`/correspondence/${id}/open`);
    expect(opened.status).toBe(200);
    expect((opened.body as { text: string }).text).toContain('your embassy may attend');
    const viewer = await served.as('nbc-viewer');
    expect(refusal(await viewer.post(`/correspondence/${id}/open`))).toMatchObject({
      status: 403,
      code: 'not_cleared',
    });
  });

  it('numbers the next letter on, and writes a letter sent twice with one key once', async () => {
    const supervisor = await served.as('gosbank-supervisor');
    const path = '/correspondence/letters';
    const first = await supervisor.request('POST', path, { body: LETTER, key: 'letter-2' });
    const again = await supervisor.request('POST', path, { body: LETTER, key: 'letter-2' });
    expect(first.body).toMatchObject({ number: '2', reference: 'LTR-610221-2', replayed: false });
    expect(again.body).toMatchObject({ number: '2', replayed: true });
  });
});

describe('refusals', () => {
  it.each([
    ['no subject', { ...LETTER, subject: undefined }, 'subject'],
    ['a classification that is none', { ...LETTER, classification: 'restricted' }, 'classification'],
    ['a bank id in lower case', { ...LETTER, to: 'nbc' }, 'to'],
    ['a text with a line read as a field', { ...LETTER, text: 'Dear colleagues\n:20:X' }, 'text'],
    ['a subject of two lines', { ...LETTER, subject: 'one\ntwo' }, 'subject'],
    ['a date that is none', { ...LETTER, date: '1961-02-30' }, 'date'],
    ['a field of no letter', { ...LETTER, copies: 3 }, 'copies'],
  ])('%s is 400 naming the field', async (_case, body, field) => {
    const operator = await served.as('gosbank-operator');
    const answer = await operator.post('/correspondence/letters', body);
    expect(refusal(answer)).toEqual({ status: 400, code: 'invalid_input', field });
  });

  it('refuses whoever may not write it, and what cannot be sealed or is above the writer', async () => {
    const post = async (user: string, body: object) =>
      refusal(await (await served.as(user)).post('/correspondence/letters', body));
    expect(await post('nbc-viewer', LETTER)).toMatchObject({ status: 403 });
    expect(await post('gosbank-auditor', LETTER)).toMatchObject({ status: 403 });
    expect(await post('nbc-signatory-1', { ...LETTER, to: 'GOSBANK' })).toMatchObject({
      status: 403,
      code: 'user_acts_for_another_party',
    });
    expect(await post('gosbank-operator', { ...LETTER, to: 'BNB' })).toEqual({
      status: 422,
      code: 'correspondent_not_pinned',
      field: 'to',
    });
    expect(await post('gosbank-operator', { ...LETTER, classification: 'top_secret' })).toEqual({
      status: 403,
      code: 'not_cleared',
      field: 'classification',
    });
    delete process.env[PASSPHRASE_VARIABLE];
    try {
      expect(await post('gosbank-operator', LETTER)).toMatchObject({ code: 'key_passphrase_missing' });
    } finally {
      process.env[PASSPHRASE_VARIABLE] = TEST_KEY_PASSPHRASE;
    }
  });
});
