// Custody under real controls, on both stores: every abuse the issue names is refused with a clear
// code and changes nothing, and the books verify after each.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runScenario1961 } from '../src/scenario/1961.ts';
import { grantClearance } from '../src/service/correspondence/register.ts';
import {
  approve,
  proposeFeeSchedule,
  proposeFixings,
  proposeRepresentative,
} from '../src/service/custody/approvals.ts';
import { draft, type StepCommand, step } from '../src/service/custody/instructions.ts';
import { verifyStore } from '../src/service/journal/verify.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { addParty, openAccount } from '../src/service/parties/parties.ts';
import { addUser } from '../src/service/parties/users.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import type { Store } from '../src/store/store.ts';
import { workspace } from './support/cli.ts';
import { STORE_KINDS } from './support/stores.ts';

type Outcome = { ok: true } | { ok: false; code: string; message: string };

/** Every table, to show that a refused request changed nothing. */
async function snapshot(ingot: Ingot): Promise<string> {
  const parts: string[] = [];
  for (const table of [
    'accounts',
    'bars',
    'entries',
    'instructions',
    'instruction_steps',
    'approvals',
    'representatives',
  ] as const) {
    const rows = await ingot.store.db.selectFrom(table).selectAll().execute();
    const sorted = rows
      .map((row) => JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
      .sort();
    parts.push(`${table}:${sorted.join('\n')}`);
  }
  return parts.join('\n');
}

function ok<T extends { ok: boolean }>(outcome: T): Extract<T, { ok: true }> {
  if (!outcome.ok)
    throw new Error(
      `refused: ${JSON.stringify(outcome, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`,
    );
  return outcome as Extract<T, { ok: true }>;
}

async function barsOf(ingot: Ingot, account: string, state = 'held'): Promise<bigint[]> {
  const rows = await ingot.store.db
    .selectFrom('bars')
    .select('id')
    .where('owner_account_id', '=', account)
    .where('state', '=', state)
    .orderBy('id')
    .limit(3)
    .execute();
  return rows.map((r) => r.id);
}

describe.each(STORE_KINDS)('custody controls on $name', (kind) => {
  if (kind.unavailable) {
    test.skip(`skipped: ${kind.unavailable}`, () => undefined);
    return;
  }
  let store: Store;
  let ingot: Ingot;
  beforeAll(async () => {
    store = await kind.open();
    ingot = ingotOver(store, 'test');
    await runScenario1961(ingot, () => undefined);
    // A second client bank with gold of its own: its signatory must not touch NBC's.
    ok(await addParty(ingot, { id: 'BNB', name: 'Another central bank', role: 'client' }));
    ok(await openAccount(ingot, { id: 'BNB-GOLD', party_id: 'BNB', kind: 'custody', unit: 'XAU' }));
    // A third representative without a quantity limit, for the releases these tests complete.
    const representative = {
      id: 'REP-3',
      client_party_id: 'NBC',
      name: 'Third representative',
      identity_document: 'passport Cuba D-0003',
      authority_valid_from: '1961-03-01',
      authority_valid_until: '1961-12-31',
      revoked_on: null,
      account_ids: ['NBC-GOLD'],
      limit_fine_milli_oz: null,
    };
    const proposed = ok(await proposeRepresentative(ingot, 'nbc-signatory-1', representative));
    ok(await approve(ingot, { approval_id: proposed.pending_approval, by_user_id: 'nbc-signatory-2' }));
    ok(
      await addUser(ingot, {
        id: 'bnb-signatory',
        party_id: 'BNB',
        role: 'client_signatory',
        name: 'B',
        password: 'a long enough password',
        created_by: 't',
      }),
    );
  }, 120_000);
  afterAll(async () => store?.close());

  /** Runs a request that must be refused with `code`, and checks that nothing changed. */
  async function refused(code: string, request: () => Promise<Outcome>): Promise<void> {
    const before = await snapshot(ingot);
    const outcome = await request();
    expect(outcome.ok ? 'ok' : outcome.code).toBe(code);
    expect(await snapshot(ingot)).toBe(before);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  }

  const release = (representative_id: string, release_on = '1961-04-10') => ({
    by_user_id: 'nbc-signatory-1',
    source_account_id: 'NBC-GOLD',
    selection: { kind: 'quantity' as const, fine_milli_oz: 400_000n },
    details: { kind: 'release' as const, representative_id, release_on },
    date: '1961-04-01',
  });

  test('a release to an unregistered representative is refused', async () => {
    await refused('representative_not_found', () => draft(ingot, release('REP-9')));
  });

  test('a release after the representative’s authority has lapsed is refused', async () => {
    await refused('authority_lapsed', () => draft(ingot, release('REP-1', '1962-01-15')));
  });

  test('a transfer of bars the client does not own is refused', async () => {
    const vault = await barsOf(ingot, 'GOSBANK-VAULT');
    const request = {
      ...release('REP-1'),
      details: {
        kind: 'transfer' as const,
        target: { kind: 'existing_account' as const, account_id: 'BNB-GOLD' },
      },
      selection: { kind: 'bars' as const, bar_ids: vault },
    };
    await refused('bar_not_in_account', () => draft(ingot, request));
  });

  test('bars reserved for one instruction cannot be used by another', async () => {
    const bars = await barsOf(ingot, 'NBC-GOLD');
    const transfer = {
      kind: 'transfer' as const,
      target: { kind: 'existing_account' as const, account_id: 'BNB-GOLD' },
    };
    const first = ok(
      await draft(ingot, {
        ...release('REP-1'),
        details: transfer,
        selection: { kind: 'bars', bar_ids: bars },
      }),
    );
    for (const by of ['nbc-signatory-1', 'nbc-signatory-2']) {
      ok(
        await step(ingot, {
          instruction_id: first.instruction_id,
          event: { kind: 'sign' },
          date: '1961-04-01',
          by_user_id: by,
        }),
      );
    }
    await refused('bar_reserved_by_another_instruction', () =>
      draft(ingot, { ...release('REP-1'), details: transfer, selection: { kind: 'bars', bar_ids: bars } }),
    );
  });

  test('no one approves their own step (four eyes)', async () => {
    const drafted = ok(await draft(ingot, release('REP-3', '1961-04-02')));
    const id = drafted.instruction_id;
    for (const by of ['nbc-signatory-1', 'nbc-signatory-2']) {
      ok(
        await step(ingot, {
          instruction_id: id,
          event: { kind: 'sign' },
          date: '1961-04-01',
          by_user_id: by,
        }),
      );
    }
    ok(
      await step(ingot, {
        instruction_id: id,
        event: { kind: 'accept' },
        date: '1961-04-01',
        by_user_id: 'gosbank-operator',
      }),
    );
    const handover = { representative_id: 'REP-3', identity_document_checked: true };
    const execute: StepCommand = {
      instruction_id: id,
      event: { kind: 'execute' },
      date: '1961-04-02',
      by_user_id: 'gosbank-operator',
      handover,
    };
    const pending = ok(await step(ingot, execute));
    expect(pending.pending_approval).not.toBeNull();
    const approval_id = pending.pending_approval ?? 0n;
    await refused('checker_is_maker', () => approve(ingot, { approval_id, by_user_id: 'gosbank-operator' }));
    await refused('role_may_not_approve_action', () =>
      approve(ingot, { approval_id, by_user_id: 'nbc-signatory-2' }),
    );
    ok(await approve(ingot, { approval_id, by_user_id: 'gosbank-supervisor' }));
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  });

  test('a signatory of one bank cannot act on another bank’s account, nor learn that it exists', async () => {
    await refused('account_not_found', () =>
      draft(ingot, { ...release('REP-1'), by_user_id: 'bnb-signatory' }),
    );
  });

  test('a quantity above the holdings is refused', async () => {
    const request = {
      ...release('REP-1'),
      selection: { kind: 'quantity' as const, fine_milli_oz: 600_000_000n },
    };
    await refused('quantity_exceeds_holdings', () => draft(ingot, request));
  });

  test('a cancelled instruction cannot be executed', async () => {
    const { instruction_id } = ok(await draft(ingot, release('REP-3', '1961-04-05')));
    ok(
      await step(ingot, {
        instruction_id,
        event: { kind: 'cancel', reason: 'changed our mind' },
        date: '1961-04-01',
        by_user_id: 'nbc-signatory-1',
      }),
    );
    await refused('instruction_is_closed', () =>
      step(ingot, {
        instruction_id,
        event: { kind: 'execute' },
        date: '1961-04-05',
        by_user_id: 'gosbank-operator',
      }),
    );
  });

  test('a shipment quote cannot be accepted twice', async () => {
    const shipment = {
      kind: 'shipment' as const,
      destination: 'Havana',
      carrier: 'air freight',
      insurance_value: { currency: 'GBP' as const, minor: 100_000n * 4800n },
    };
    const { instruction_id } = ok(await draft(ingot, { ...release('REP-3'), details: shipment }));
    const at = (by_user_id: string, event: StepCommand['event']) => ({
      instruction_id,
      event,
      date: '1961-04-01',
      by_user_id,
    });
    for (const by of ['nbc-signatory-1', 'nbc-signatory-2']) ok(await step(ingot, at(by, { kind: 'sign' })));
    ok(await step(ingot, at('gosbank-operator', { kind: 'accept' })));
    const costs = { currency: 'GBP' as const, minor: 500n * 4800n };
    const quote = ok(
      await step(
        ingot,
        at('gosbank-operator', {
          kind: 'quote',
          transport: costs,
          insurance: costs,
          valid_until: '1961-04-30',
        }),
      ),
    );
    ok(await approve(ingot, { approval_id: quote.pending_approval ?? 0n, by_user_id: 'gosbank-supervisor' }));
    for (const by of ['nbc-signatory-1', 'nbc-signatory-2'])
      ok(await step(ingot, at(by, { kind: 'accept_quote' })));
    await refused('event_not_allowed_in_state', () =>
      step(ingot, at('nbc-signatory-1', { kind: 'accept_quote' })),
    );
  });

  test('a step of another kind of instruction, or one that does not exist, is refused', async () => {
    const shipped = await ingot.store.db
      .selectFrom('instructions')
      .select('id')
      .where('kind', '=', 'release')
      .executeTakeFirstOrThrow();
    await refused('event_not_for_instruction_kind', () =>
      step(ingot, {
        instruction_id: shipped.id,
        event: { kind: 'dispatch' },
        date: '1961-04-01',
        by_user_id: 'gosbank-operator',
      }),
    );
    await refused('instruction_not_found', () =>
      step(ingot, {
        instruction_id: 'INS-404',
        event: { kind: 'sign' },
        date: '1961-04-01',
        by_user_id: 'nbc-signatory-1',
      }),
    );
  });

  test('a fixing entered by hand is recorded only when a second user approves it', async () => {
    const fixing = {
      date: '1961-04-04',
      currency: 'GBP' as const,
      minor_per_oz: 60_150n,
      source: 'The Times',
    };
    const proposed = ok(await proposeFixings(ingot, 'gosbank-operator', [fixing]));
    await refused('checker_is_maker', () =>
      approve(ingot, { approval_id: proposed.pending_approval, by_user_id: 'gosbank-operator' }),
    );
    await refused('user_acts_for_another_party', () =>
      approve(ingot, { approval_id: proposed.pending_approval, by_user_id: 'nbc-signatory-1' }),
    );
    ok(await approve(ingot, { approval_id: proposed.pending_approval, by_user_id: 'gosbank-supervisor' }));
    const row = await ingot.store.db
      .selectFrom('fixings')
      .selectAll()
      .where('date', '=', '1961-04-04')
      .executeTakeFirstOrThrow();
    expect([row.minor_per_oz, row.entered_by]).toEqual([
      60_150n,
      'gosbank-operator, checked by gosbank-supervisor',
    ]);
  });

  test('a handling fee in the client’s schedule is charged on release and appears on its statement', async () => {
    const schedule = {
      agreement_id: 'NBC-fees',
      currency: 'GBP' as const,
      custody: { kind: 'none' as const },
      handling_per_release_minor: 25n * 4800n,
      handling_per_transfer_minor: 0n,
      handling_per_shipment_minor: 0n,
      shipment_costs_payer: 'client' as const,
    };
    const proposed = ok(await proposeFeeSchedule(ingot, 'gosbank-operator', 'NBC', schedule));
    ok(await approve(ingot, { approval_id: proposed.pending_approval, by_user_id: 'gosbank-supervisor' }));
    const cashBefore = (
      await ingot.store.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', 'NBC-GBP')
        .executeTakeFirstOrThrow()
    ).balance;
    const { instruction_id } = ok(await draft(ingot, release('REP-3', '1961-04-06')));
    const at = (by_user_id: string, event: StepCommand['event'], date = '1961-04-06') => ({
      instruction_id,
      event,
      date,
      by_user_id,
    });
    for (const by of ['nbc-signatory-1', 'nbc-signatory-2']) ok(await step(ingot, at(by, { kind: 'sign' })));
    ok(await step(ingot, at('gosbank-operator', { kind: 'accept' })));
    const handover = { representative_id: 'REP-3', identity_document_checked: true };
    const pending = ok(await step(ingot, { ...at('gosbank-operator', { kind: 'execute' }), handover }));
    ok(
      await approve(ingot, { approval_id: pending.pending_approval ?? 0n, by_user_id: 'gosbank-supervisor' }),
    );
    const cashAfter = (
      await ingot.store.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', 'NBC-GBP')
        .executeTakeFirstOrThrow()
    ).balance;
    expect(cashBefore - cashAfter).toBe(25n * 4800n);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  });

  test('an approval retried with the same key returns its first result and moves nothing twice', async () => {
    const { instruction_id } = ok(await draft(ingot, release('REP-3', '1961-04-07')));
    const at = (by_user_id: string, event: StepCommand['event']) => ({
      instruction_id,
      event,
      date: '1961-04-07',
      by_user_id,
    });
    for (const by of ['nbc-signatory-1', 'nbc-signatory-2']) ok(await step(ingot, at(by, { kind: 'sign' })));
    ok(await step(ingot, at('gosbank-operator', { kind: 'accept' })));
    const handover = { representative_id: 'REP-3', identity_document_checked: true };
    const pending = ok(
      await step(ingot, { ...at('gosbank-operator', { kind: 'execute' }), handover }, 'exec-key'),
    );
    const again = ok(
      await step(ingot, { ...at('gosbank-operator', { kind: 'execute' }), handover }, 'exec-key'),
    );
    expect([again.replayed, again.pending_approval]).toEqual([true, pending.pending_approval]);
    const request = { approval_id: pending.pending_approval ?? 0n, by_user_id: 'gosbank-supervisor' };
    const first = ok(await approve(ingot, request, 'approve-key'));
    const before = await snapshot(ingot);
    const second = ok(await approve(ingot, request, 'approve-key'));
    expect([first.replayed, second.replayed]).toEqual([false, true]);
    expect(await snapshot(ingot)).toBe(before);
    expect((await verifyStore(ingot)).breaches).toEqual([]);
  });
});

describe('the console approves what it shows', () => {
  test('ingot approvals list and show name the waiting approvals that approving one would void', async () => {
    const cli = workspace();
    try {
      expect(cli.ingot('scenario', '1961', '--fresh').code).toBe(0);
      // Two transfers out of NBC-GOLD, each executed under four eyes: both wait on one balance.
      const store = await openSqliteStore(cli.db);
      const pending: bigint[] = [];
      try {
        const ingot = ingotOver(store, 'test');
        // The accounts name their bars: the supervisor reading them is cleared for a bar list.
        ok(await grantClearance(ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 'test' }));
        for (const [index, bar] of (await barsOf(ingot, 'NBC-GOLD')).slice(0, 2).entries()) {
          const target = {
            kind: 'disposal_account' as const,
            account_id: `PNB-DISPOSAL-${index + 1}`,
            beneficiary_party_id: 'PNB',
            beneficiary_name: 'Narodowy Bank Polski',
          };
          const { instruction_id } = ok(
            await draft(ingot, {
              by_user_id: 'nbc-signatory-1',
              source_account_id: 'NBC-GOLD',
              selection: { kind: 'bars', bar_ids: [bar] },
              details: { kind: 'transfer', target },
              date: '1961-04-06',
            }),
          );
          const at = (by_user_id: string, kind: 'sign' | 'accept' | 'execute') => ({
            instruction_id,
            event: { kind },
            date: '1961-04-06',
            by_user_id,
          });
          for (const by of ['nbc-signatory-1', 'nbc-signatory-2']) ok(await step(ingot, at(by, 'sign')));
          ok(await step(ingot, at('gosbank-operator', 'accept')));
          pending.push(ok(await step(ingot, at('gosbank-operator', 'execute'))).pending_approval ?? 0n);
        }
      } finally {
        await store.close();
      }
      const [first, second] = pending;
      const supervisor = ['--user', 'gosbank-supervisor'];
      const listed = cli.ingot(...supervisor, 'approvals', 'list');
      expect(listed.stdout).toMatch(
        new RegExp(`^#${first} .*: instruction INS-\\d+: execute; voids #${second}$`, 'm'),
      );
      expect(listed.stdout).toMatch(new RegExp(`^#${second} .*; voids #${first}$`, 'm'));
      const shown = cli.ingot(...supervisor, 'approvals', 'show', String(first));
      expect(shown.stdout).toContain(
        `  approving it voids #${second} (their accounts show a balance it moves: decline and propose again)\n`,
      );
      expect(cli.json<{ voids: string[] }>(...supervisor, 'approvals', 'show', String(first)).voids).toEqual([
        String(second),
      ]);
    } finally {
      cli.dispose();
    }
  }, 120_000);

  test('ingot approvals show prints the account and digest; approve needs that digest', () => {
    const cli = workspace();
    try {
      expect(cli.ingot('scenario', '1961', '--fresh').code).toBe(0);
      const operator = ['--user', 'gosbank-operator'];
      const supervisor = ['--user', 'gosbank-supervisor'];
      const proposed = cli.ingot(
        ...operator,
        'prices',
        'propose',
        '1961-04-05',
        '254s 0d',
        '--source',
        'The Times',
      );
      expect(proposed.code, proposed.stderr).toBe(0);
      const number = /approve (\d+)/.exec(proposed.stdout)?.[1] ?? '';
      const shown = cli.ingot(...supervisor, 'approvals', 'show', number);
      expect(shown.stdout).toContain(
        '| Fixing of 1961-04-05 in GBP: £12 14s 0d (60960 of 1/4800 £) per fine oz; source The Times',
      );
      const digest = /digest ([0-9a-f]{64})/.exec(shown.stdout)?.[1] ?? '';
      const json = cli.json<{ account: string[]; digest: string }>(
        ...supervisor,
        'approvals',
        'show',
        number,
      );
      expect(json.digest).toBe(digest);
      expect(shown.stdout).toContain(json.account.join('\n  | '));
      expect(cli.ingot(...supervisor, 'approvals', 'approve', number).code).not.toBe(0);
      const wrong = cli.ingot(...supervisor, 'approvals', 'approve', number, '--digest', '0'.repeat(64));
      expect([wrong.code, wrong.stderr.includes('approval_changed')]).toEqual([1, true]);
      const approved = cli.ingot(...supervisor, 'approvals', 'approve', number, '--digest', digest);
      expect(approved.code, approved.stderr).toBe(0);
      expect(cli.ingot('verify').code).toBe(0);
    } finally {
      cli.dispose();
    }
  }, 120_000);
});
