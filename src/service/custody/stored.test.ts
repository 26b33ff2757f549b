import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { feeSchedule1961 } from '../../domain/custody/charges.ts';
import type { Instruction } from '../../domain/custody/instruction.ts';
import type { Representative } from '../../domain/custody/representatives.ts';
import { InvariantError } from '../../domain/outcome.ts';
import { openSqliteStore } from '../../store/sqlite/open.ts';
import { type Ingot, ingotOver } from '../kernel/context.ts';
import { parseJson, toJson } from '../kernel/json.ts';
import { describeFlaw, type Shape } from '../kernel/shape.ts';
import { addParty, openAccount } from '../parties/parties.ts';
import type { ApprovalPayload } from './approvals-store.ts';
import { loadInstruction } from './instructions.ts';
import { showInstruction } from './queries.ts';
import { APPROVAL_PAYLOAD, FEE_SCHEDULE, INSTRUCTION, REPRESENTATIVE, SIGNING_RULE } from './stored.ts';

const SHIPMENT: Instruction = {
  id: 'INS-3',
  client_party_id: 'NBC',
  source_account_id: 'NBC-GOLD',
  selection: { kind: 'bars', bar_ids: [1n, 2n] },
  details: {
    kind: 'shipment',
    destination: 'Havana',
    carrier: 'Aeroflot',
    insurance_value: { currency: 'GBP', minor: 96_000_000n },
  },
  state: 'quoted',
  drafted_by: 'sig-1',
  drafted_on: '1961-02-01',
  last_step_on: '1961-02-03',
  signatures: [{ user_id: 'sig-1', signed_on: '1961-02-01' }],
  quote: {
    transport: { currency: 'GBP', minor: 720_000n },
    insurance: { currency: 'GBP', minor: 240_000n },
    quoted_on: '1961-02-03',
    valid_until: '1961-02-28',
  },
  quote_signatures: [],
};

const REP: Representative = {
  id: 'REP-1',
  client_party_id: 'NBC',
  name: 'Courier',
  identity_document: 'passport Cuba D-123456',
  authority_valid_from: '1961-01-01',
  authority_valid_until: '1961-12-31',
  revoked_on: null,
  account_ids: ['NBC-GOLD'],
  limit_fine_milli_oz: 800_000n,
};

const STEP: ApprovalPayload = {
  kind: 'instruction_step',
  instruction_id: 'INS-3',
  event: {
    kind: 'quote',
    transport: { currency: 'GBP', minor: 720_000n },
    insurance: { currency: 'GBP', minor: 240_000n },
    valid_until: '1961-03-01',
  },
  date: '1961-02-04',
  handover: { representative_id: 'REP-1', identity_document_checked: true },
  bar_ids: null,
};

/** What the shape says of a value once written by `toJson` and read back; undefined when it passes. */
function flawOf<T>(shape: Shape<T>, value: unknown): string | undefined {
  const flaw = shape.flaw(parseJson(toJson(value)), '');
  return flaw && describeFlaw(flaw);
}

const { details, quote } = SHIPMENT;

describe('the shapes of custody records', () => {
  test('records as the domain writes them pass', () => {
    expect(INSTRUCTION.is(parseJson(toJson(SHIPMENT)))).toBe(true);
    const transfer: Instruction = {
      ...SHIPMENT,
      selection: { kind: 'quantity', fine_milli_oz: 800_000n },
      details: {
        kind: 'transfer',
        target: {
          kind: 'disposal_account',
          account_id: 'D-1',
          beneficiary_party_id: 'X',
          beneficiary_name: 'X',
        },
      },
      state: 'drafted',
      quote: null,
    };
    expect(INSTRUCTION.is(parseJson(toJson(transfer)))).toBe(true);
    expect(REPRESENTATIVE.is(parseJson(toJson({ ...REP, limit_fine_milli_oz: null })))).toBe(true);
    const rule = { account_id: 'NBC-GOLD', required_signatures: 2, signatory_user_ids: ['sig-1', 'sig-2'] };
    expect(SIGNING_RULE.is(parseJson(toJson(rule)))).toBe(true);
    const schedule = {
      ...feeSchedule1961('NBC-1961'),
      custody: { kind: 'per_bar', per_bar_per_year_minor: 5n },
    };
    expect(FEE_SCHEDULE.is(parseJson(toJson(schedule)))).toBe(true);
    expect(APPROVAL_PAYLOAD.is(parseJson(toJson(STEP)))).toBe(true);
    const fixings: ApprovalPayload = {
      kind: 'record_fixing',
      fixings: [{ date: '1961-02-01', currency: 'USD', minor_per_oz: 3500n, source: 'London' }],
    };
    expect(APPROVAL_PAYLOAD.is(parseJson(toJson(fixings)))).toBe(true);
  });

  test('a missing field is named by its path', () => {
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, details: { ...details, kind: undefined } })).toBe(
      'details.kind is missing',
    );
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, quote: { ...quote, valid_until: undefined } })).toBe(
      'quote.valid_until is missing',
    );
    expect(flawOf(REPRESENTATIVE, { ...REP, revoked_on: undefined })).toBe('revoked_on is missing');
  });

  test('a field of the wrong type is named by its path', () => {
    const signatures = [{ user_id: 'sig-1', signed_on: 19610201 }];
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, signatures })).toBe(
      'signatures[0].signed_on should be a string, not the number 19610201',
    );
    expect(flawOf(REPRESENTATIVE, { ...REP, account_ids: 'NBC-GOLD' })).toBe(
      'account_ids should be an array, not the string "NBC-GOLD"',
    );
  });

  test('a number where the domain keeps a bigint is refused', () => {
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, selection: { kind: 'bars', bar_ids: [1n, 2] } })).toBe(
      'selection.bar_ids[1] should be a bigint, not the number 2',
    );
    expect(flawOf(REPRESENTATIVE, { ...REP, limit_fine_milli_oz: 800_000 })).toBe(
      'limit_fine_milli_oz should be a bigint, not the number 800000',
    );
    const transport = { currency: 'GBP', minor: 720_000 };
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, quote: { ...quote, transport } })).toBe(
      'quote.transport.minor should be a bigint, not the number 720000',
    );
  });

  test("a value outside the domain's lists is refused", () => {
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, state: 'lost' })).toMatch(
      /^state is "lost", not one of drafted, signed, accepted, /,
    );
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, details: { ...details, kind: 'airlift' } })).toBe(
      'details.kind is "airlift", not one of release, transfer, shipment',
    );
    const insurance_value = { currency: 'SUR', minor: 1n };
    expect(flawOf(INSTRUCTION, { ...SHIPMENT, details: { ...details, insurance_value } })).toBe(
      'details.insurance_value.currency is "SUR", not one of GBP, USD, EUR',
    );
    expect(flawOf(APPROVAL_PAYLOAD, { ...STEP, event: { kind: 'steal' } })).toMatch(
      /^event\.kind is "steal", not one of sign, cancel, /,
    );
  });
});

describe('a corrupt body in a real SQLite store', () => {
  let ingot: Ingot;
  beforeEach(async () => {
    ingot = ingotOver(await openSqliteStore(':memory:'));
    expect((await addParty(ingot, { id: 'NBC', name: 'National Bank of Cuba', role: 'client' })).ok).toBe(
      true,
    );
    const account = { id: 'NBC-GOLD', party_id: 'NBC', kind: 'custody', unit: 'XAU' } as const;
    expect((await openAccount(ingot, account)).ok).toBe(true);
    const now = ingot.now();
    await ingot.store.db
      .insertInto('instructions')
      .values({
        id: SHIPMENT.id,
        kind: 'shipment',
        client_party_id: 'NBC',
        source_account_id: 'NBC-GOLD',
        state: SHIPMENT.state,
        body: toJson(SHIPMENT),
        created_at: now,
        updated_at: now,
      })
      .execute();
  });
  afterEach(() => ingot.store.close());

  test('an intact body is read back as it was written', async () => {
    expect(await loadInstruction(ingot.store.db, 'INS-3')).toStrictEqual({ ok: true, instruction: SHIPMENT });
  });

  test('is a broken invariant naming the instruction and the field, on every read', async () => {
    const body = toJson({ ...SHIPMENT, details: { ...details, kind: undefined } });
    await ingot.store.db.updateTable('instructions').set({ body }).where('id', '=', 'INS-3').execute();
    const load = loadInstruction(ingot.store.db, 'INS-3');
    await expect(load).rejects.toThrow(InvariantError);
    await expect(load).rejects.toThrow('instruction INS-3: details.kind is missing');
    await expect(showInstruction(ingot, 'INS-3')).rejects.toThrow(
      'instruction INS-3: details.kind is missing',
    );
  });
});
