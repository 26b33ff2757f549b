// Two instances (the depository's books and a client's own view) and a relay, in one process: the
// conversation of 1961 in small, and every way an envelope may be refused, logged, never applied twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readPublicKeyFile } from '../src/channel/keyfile.ts';
import { type RunningRelay, startRelay } from '../src/channel/relay.ts';
import { type RelayClient, relayClient } from '../src/channel/relay-client.ts';
import { type Envelope, seal } from '../src/channel/seal.ts';
import { composeLetter } from '../src/domain/correspondence/compose.ts';
import { payloadOf, writePayload } from '../src/domain/correspondence/payload.ts';
import { viewBars } from '../src/service/correspondence/client-view.ts';
import {
  instructionOutgoing,
  offerOutgoing,
  settlementOutgoing,
} from '../src/service/correspondence/compose-books.ts';
import { receiveEnvelope } from '../src/service/correspondence/inbox.ts';
import {
  type Channel,
  generateKeys,
  loadChannel,
  pinCorrespondent,
  pinnedKeys,
} from '../src/service/correspondence/keyring.ts';
import { type Outgoing, queueMessages, resendMessage } from '../src/service/correspondence/outbox.ts';
import {
  grantClearance,
  listRegister,
  openRegistered,
  readLog,
} from '../src/service/correspondence/register.ts';
import { syncOnce } from '../src/service/correspondence/sync.ts';
import { approve } from '../src/service/custody/approvals.ts';
import { step } from '../src/service/custody/instructions.ts';
import type { Ingot } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { allocateTrade } from '../src/service/trading/trades.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { depository1961, pinAtRelay, TEST_KEY_PASSPHRASE } from './support/correspondence.ts';
import { ok } from './support/desk.ts';
import { STORE_KINDS } from './support/stores.ts';

let dir: string;
let relay: RunningRelay;
let depRelay: RelayClient;
let nbcRelay: RelayClient;
const stores: Store[] = [];
let dep: Ingot;
let nbc: Ingot;
let depChannel: Channel;
let nbcChannel: Channel;
let clock = Date.parse('1961-01-11T09:00:00Z');

/** An instance over a store, on a clock the test moves. */
function instance(store: Store): Ingot {
  stores.push(store);
  return { store, user: 'operator', now: () => new Date(clock).toISOString() };
}

async function queue(ingot: Ingot, channel: Channel, made: { ok: boolean; outgoing?: Outgoing[] }) {
  if (!made.ok || !made.outgoing) throw new Error(`not composed: ${JSON.stringify(made)}`);
  return ok(await queueMessages(ingot, channel, made.outgoing));
}

/** Both sides sync until nothing moves. */
async function exchange(): Promise<void> {
  for (let round = 0; round < 4; round += 1) {
    await syncOnce(dep, depChannel, depRelay);
    await syncOnce(nbc, nbcChannel, nbcRelay);
  }
}

/** An envelope from GOSBANK to NBC sealed by hand under a sequence number and expiry. */
async function handSealed(sequence: number, expiresAt = '1961-12-31T00:00:00Z'): Promise<Envelope> {
  const letter = composeLetter({ reference: `LTR-${sequence}`, related_reference: null, text: 'By hand.' });
  const sealed = seal(writePayload(payloadOf(letter, 'confidential', 'A letter')), {
    sender: 'GOSBANK',
    senderKeys: depChannel.keys,
    recipient: 'NBC',
    recipientPins: await pinnedKeys(dep.store.db),
    sequence,
    sentAt: new Date(clock).toISOString(),
    expiresAt,
  });
  if (!sealed.ok) throw new Error(sealed.message);
  return sealed.envelope;
}

async function lastSequenceAtNbc(): Promise<number> {
  const row = await nbc.store.db
    .selectFrom('channel_banks')
    .select('received_sequence')
    .where('bank_id', '=', 'GOSBANK')
    .executeTakeFirstOrThrow();
  return Number(row.received_sequence);
}

describe.each(STORE_KINDS)('correspondence, the depository on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ingot-correspondence-'));
    relay = await startRelay({ db: join(dir, 'relay.db'), port: 0 });
    dep = instance(await kind.open());
    nbc = instance(await openSqliteStore(join(dir, 'nbc.db'), { synchronous: 'NORMAL' }));
    await depository1961(dep, 40);
    for (const [ingot, bank] of [
      [dep, 'GOSBANK'],
      [nbc, 'NBC'],
    ] as const) {
      const paths = {
        private_path: join(dir, `${bank}.keys.json`),
        public_path: join(dir, `${bank}.public.json`),
      };
      ok(await generateKeys(ingot, { bank_id: bank, ...paths, passphrase: TEST_KEY_PASSPHRASE }));
    }
    const nbcFile = ok(readPublicKeyFile(join(dir, 'NBC.public.json'))).file;
    const depFile = ok(readPublicKeyFile(join(dir, 'GOSBANK.public.json'))).file;
    ok(
      await pinCorrespondent(dep, {
        bank_id: 'NBC',
        file: nbcFile,
        replace: false,
        signatory_user_id: 'nbc-signatory-1',
      }),
    );
    ok(await pinCorrespondent(nbc, { bank_id: 'GOSBANK', file: depFile, replace: false }));
    depChannel = ok(await loadChannel(dep, TEST_KEY_PASSPHRASE)).channel;
    nbcChannel = ok(await loadChannel(nbc, TEST_KEY_PASSPHRASE)).channel;
    for (const bank of ['GOSBANK', 'NBC']) {
      pinAtRelay(join(dir, 'relay.db'), bank, join(dir, `${bank}.public.json`));
    }
    depRelay = relayClient(relay.url, depChannel);
    nbcRelay = relayClient(relay.url, nbcChannel);
  }, 60_000);

  afterAll(async () => {
    await relay?.close();
    for (const store of stores.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('keys', () => {
    test('the modes follow the parties: GOSBANK keeps the books, NBC its view', () => {
      expect([depChannel.mode, nbcChannel.mode]).toEqual(['depository', 'client']);
    });

    test('another key for a pinned bank is refused unless replaced on purpose', async () => {
      const depFile = ok(readPublicKeyFile(join(dir, 'GOSBANK.public.json'))).file;
      const same = await pinCorrespondent(nbc, { bank_id: 'GOSBANK', file: depFile, replace: false });
      expect(same).toMatchObject({ ok: true, changed: 'unchanged' });
      const other = ok(readPublicKeyFile(join(dir, 'NBC.public.json'))).file;
      const swapped = await pinCorrespondent(nbc, {
        bank_id: 'GOSBANK',
        file: { ...other, bank: 'GOSBANK', fingerprint: '' },
        replace: false,
      });
      expect(swapped).toMatchObject({ ok: false, code: 'key_already_pinned' });
      const wrong = await pinCorrespondent(nbc, {
        bank_id: 'GOSBANK',
        file: depFile,
        replace: false,
        fingerprint: 'AAAA',
      });
      expect(wrong).toMatchObject({ ok: false, code: 'fingerprint_mismatch' });
    });
  });

  describe('the conversation of 1961, in small', () => {
    test('offer, acceptance, advices, bar list: the client sees its bars as the books do', async () => {
      await queue(dep, depChannel, await offerOutgoing(dep, 'OFFER-1', 'secret'));
      await exchange();
      const acceptance = {
        type: 'INGOT-ACCEPTANCE' as const,
        reference: 'ACCEPT-1',
        offer_reference: 'OFFER-1',
        accepted_on: '1961-01-17',
        quantity_fine_milli_oz: 2_000_000n,
        amount: null,
        exchange_rate: null,
        narrative: null,
      };
      const outgoing = {
        to: 'GOSBANK',
        classification: 'secret' as const,
        subject: 'Acceptance',
        message: acceptance,
        origin: null,
        linked: null,
        date: '1961-01-17',
      };
      ok(await queueMessages(nbc, nbcChannel, [outgoing]));
      await exchange();
      const trades = await dep.store.db.selectFrom('trades').selectAll().execute();
      expect(trades.map((t) => [t.id, t.asked_fine_milli_oz])).toEqual([['TRADE-1', 2_000_000n]]);
      ok(await allocateTrade(dep, { trade_id: 'TRADE-1' }));
      ok(await settleTrade(dep, { trade_id: 'TRADE-1', date: '1961-01-31', key: 'settle' }));
      await queue(dep, depChannel, await settlementOutgoing(dep, 'TRADE-1', 'secret'));
      await exchange();
      const books = await dep.store.db
        .selectFrom('bars')
        .selectAll()
        .where('owner_account_id', '=', 'NBC-GOLD')
        .orderBy('id')
        .execute();
      const view = await viewBars(nbc, 'NBC-GOLD');
      const shape = (b: {
        refiner: string;
        serial: string;
        year: bigint;
        gross_milli_oz: bigint | null;
        fine_milli_oz: bigint | null;
      }) => `${b.refiner}/${b.serial}/${b.year} ${b.gross_milli_oz} ${b.fine_milli_oz}`;
      expect(books.length).toBeGreaterThan(3);
      expect(view.map(shape)).toEqual(books.map(shape));
      const sent = await listRegister(dep, { direction: 'out' });
      expect(sent.map((m) => [m.message_type, m.state])).toEqual([
        ['INGOT-OFFER', 'delivered'],
        ['MT600', 'delivered'],
        ['MT607', 'delivered'],
        ['MT699', 'delivered'],
        ['INGOT-BARLIST', 'delivered'],
      ]);
    });

    test('a release ordered by the client is drafted and signed; a debit advice confirms it', async () => {
      const [first, second] = await viewBars(nbc, 'NBC-GOLD');
      if (!first || !second) throw new Error('no bars in the view');
      const order = {
        type: 'MT604' as const,
        reference: 'REL-1',
        related_reference: null,
        further_identification: 'DELIVERY',
        metal: {
          delivery: null,
          location: 'MOSCOW',
          allocation: 'ALLOC' as const,
          commodity: 'GOLD' as const,
          denomination: null,
          form: 'BARS',
        },
        account: 'NBC-GOLD',
        value_date: '1961-02-15',
        bar_numbers: [first, second].map((b) => `${b.refiner}/${b.serial}/${b.year}`),
        quantity_fine_milli_oz: (first.fine_milli_oz ?? 0n) + (second.fine_milli_oz ?? 0n),
        instructing_party: null,
        receiver: null,
        beneficiary: { option: 'D' as const, identifier: '/REP-1', lines: ['FIRST REPRESENTATIVE'] },
        sender_to_receiver: null,
      };
      ok(
        await queueMessages(nbc, nbcChannel, [
          {
            to: 'GOSBANK',
            classification: 'secret',
            subject: 'Release',
            message: order,
            origin: null,
            linked: null,
            date: '1961-02-10',
          },
        ]),
      );
      await exchange();
      const instruction = await dep.store.db.selectFrom('instructions').selectAll().executeTakeFirstOrThrow();
      expect([instruction.id, instruction.state]).toEqual(['INS-1', 'signed']);
      const date = '1961-02-15';
      ok(
        await step(dep, {
          instruction_id: 'INS-1',
          event: { kind: 'accept' },
          date,
          by_user_id: 'gosbank-operator',
        }),
      );
      const handover = { representative_id: 'REP-1', identity_document_checked: true };
      const made = ok(
        await step(dep, {
          instruction_id: 'INS-1',
          event: { kind: 'execute' },
          date,
          by_user_id: 'gosbank-operator',
          handover,
        }),
      );
      ok(await approve(dep, { approval_id: made.pending_approval ?? 0n, by_user_id: 'gosbank-supervisor' }));
      await queue(dep, depChannel, await instructionOutgoing(dep, 'INS-1', 'secret'));
      await exchange();
      const books = await dep.store.db
        .selectFrom('bars')
        .select(['refiner', 'serial'])
        .where('owner_account_id', '=', 'NBC-GOLD')
        .orderBy('id')
        .execute();
      const view = await viewBars(nbc, 'NBC-GOLD');
      expect(view.map((b) => `${b.refiner}/${b.serial}`)).toEqual(
        books.map((b) => `${b.refiner}/${b.serial}`),
      );
      const advice = (await listRegister(nbc, { direction: 'in' })).at(-1);
      expect(advice).toMatchObject({ message_type: 'MT606', reference: 'INS-1-DR' });
      expect(advice?.applied).toMatch(/^2 bars, .* FOZ debited from NBC-GOLD/);
    });
  });

  describe('envelopes refused, logged, and never applied twice', () => {
    test('expired on arrival: registered as rejected under its number, receipted, and the next goes through', async () => {
      const letter = (reference: string) => ({
        to: 'NBC',
        classification: 'confidential' as const,
        subject: `Letter ${reference}`,
        message: composeLetter({ reference, related_reference: null, text: 'Held up on the way.' }),
        origin: null,
        linked: null,
        date: new Date(clock).toISOString().slice(0, 10),
      });
      const before = await lastSequenceAtNbc();
      ok(await queueMessages(dep, depChannel, [letter('LTR-LATE')]));
      await syncOnce(dep, depChannel, depRelay);
      // The relay holds it past its validity (30 days) before NBC fetches it.
      clock += 31 * 86_400_000;
      await syncOnce(nbc, nbcChannel, nbcRelay);
      expect(await lastSequenceAtNbc()).toBe(before + 1);
      const registered = (await listRegister(nbc, { direction: 'in' })).at(-1);
      expect(registered).toMatchObject({ state: 'rejected', sequence: BigInt(before + 1) });
      expect(registered?.reason).toMatch(/^expired: the message expired at /);
      // The sender learns from the receipt's time that it came too late, and cannot resend it.
      await syncOnce(dep, depChannel, depRelay);
      const sent = await dep.store.db
        .selectFrom('messages')
        .select(['id', 'state', 'reason'])
        .where('direction', '=', 'out')
        .where('reference', '=', 'LTR-LATE')
        .executeTakeFirstOrThrow();
      expect(sent.state).toBe('rejected');
      expect(sent.reason).toMatch(/after it expired .* applied nothing; send it again as a new message$/);
      expect(await resendMessage(dep, sent.id)).toMatchObject({ ok: false, code: 'message_invalid' });
      // The next message is not held back behind it.
      ok(await queueMessages(dep, depChannel, [letter('LTR-NEXT')]));
      await exchange();
      expect(await lastSequenceAtNbc()).toBe(before + 2);
      expect((await listRegister(nbc, { direction: 'in' })).at(-1)).toMatchObject({
        state: 'received',
        reference: 'LTR-NEXT',
      });
    });

    test.each([
      [
        'tampered',
        async (next: number) => {
          const envelope = await handSealed(next);
          const bytes = Buffer.from(envelope.ciphertext, 'base64');
          bytes[40] = (bytes[40] ?? 0) ^ 1;
          return { ...envelope, ciphertext: bytes.toString('base64') };
        },
      ],
      ['replayed', async (next: number) => handSealed(next - 1)],
      [
        'misaddressed',
        async (next: number) =>
          ({ ...(await handSealed(next)), recipient: 'NBC', sender: 'GOSBANK' }) as Envelope,
      ],
    ])('%s: logged as rejected with the reason, unnumbered, the sequence unmoved', async (code, make) => {
      const before = await lastSequenceAtNbc();
      const numbered = (await listRegister(nbc, { direction: 'in' })).length;
      const envelope = await make(before + 1);
      clock += 60_000;
      const receiver = code === 'misaddressed' ? { ...nbcChannel, bank_id: 'BNC' } : nbcChannel;
      const reception = await receiveEnvelope(nbc, receiver, { value: envelope, relay_id: null });
      expect(reception).toMatchObject({ kind: 'rejected', code });
      expect(await lastSequenceAtNbc()).toBe(before);
      expect((await listRegister(nbc, { direction: 'in' })).length).toBe(numbered);
      const logged = await nbc.store.db
        .selectFrom('channel_events')
        .selectAll()
        .where('event', '=', 'rejected')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      expect(logged.detail).toMatch(new RegExp(`^${code}: `));
      const again = await receiveEnvelope(nbc, receiver, { value: envelope, relay_id: null });
      expect(again).toMatchObject({ kind: 'duplicate', id: null });
    });

    test('reordered: held back until its predecessor comes; a redelivery applies nothing', async () => {
      const last = await lastSequenceAtNbc();
      const second = await handSealed(last + 2);
      const first = await handSealed(last + 1);
      expect(await receiveEnvelope(nbc, nbcChannel, { value: second, relay_id: null })).toMatchObject({
        kind: 'deferred',
        code: 'out_of_order',
      });
      expect(await receiveEnvelope(nbc, nbcChannel, { value: first, relay_id: null })).toMatchObject({
        kind: 'received',
      });
      expect(await receiveEnvelope(nbc, nbcChannel, { value: second, relay_id: null })).toMatchObject({
        kind: 'received',
      });
      expect(await receiveEnvelope(nbc, nbcChannel, { value: second, relay_id: null })).toMatchObject({
        kind: 'duplicate',
      });
      expect(await lastSequenceAtNbc()).toBe(last + 2);
      const events = await nbc.store.db.selectFrom('channel_events').select('event').execute();
      expect(events.map((e) => e.event)).toEqual(
        expect.arrayContaining(['held_back', 'duplicate', 'rejected']),
      );
    });
  });

  describe('the register and clearances', () => {
    test('only a user cleared for the classification opens a message; every attempt is logged', async () => {
      const secret = (await listRegister(nbc, { direction: 'in' })).find(
        (m) => m.classification === 'secret',
      );
      if (!secret) throw new Error('no secret message');
      ok(await grantClearance(nbc, { user_id: 'registrar', level: 'top_secret', by: 'registrar' }));
      ok(await grantClearance(nbc, { user_id: 'clerk', level: 'confidential', by: 'registrar' }));
      expect(await grantClearance(nbc, { user_id: 'clerk', level: 'secret', by: 'clerk' })).toMatchObject({
        ok: false,
        code: 'clearance_exceeds_granter',
      });
      expect(await openRegistered(nbc, { id: secret.id, user_id: 'clerk', action: 'open' })).toMatchObject({
        ok: false,
        code: 'not_cleared',
      });
      const opened = ok(await openRegistered(nbc, { id: secret.id, user_id: 'registrar', action: 'print' }));
      expect(opened.copy_number).toBe(2n);
      expect(opened.message.text).toMatch(/^MT|^INGOT-/);
      const reads = await readLog(nbc, secret.id);
      expect(reads.map((r) => [r.user_id, r.action, r.outcome])).toEqual([
        ['clerk', 'open', 'refused'],
        ['registrar', 'print', 'allowed'],
      ]);
    });

    test('numbers run per correspondent and direction', async () => {
      const received = await listRegister(nbc, { direction: 'in' });
      expect(received.map((m) => m.number)).toEqual(received.map((_m, index) => BigInt(index + 1)));
      const sent = await listRegister(nbc, { direction: 'out' });
      expect(sent.map((m) => m.number)).toEqual([1n, 2n]);
    });
  });
});
