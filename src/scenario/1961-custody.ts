// The 1961 arrangement after settlement: the gold at the National Bank of Cuba's disposal. Part is
// released to two authorized representatives in Moscow, part shipped to Havana at the bank's
// expense, every step under the controls (signatures, four eyes). Names and costs are illustrative.
import type { InstructionDetails, InstructionEvent } from '../domain/custody/instruction.ts';
import { formatLsd, type Money, parseMoney } from '../domain/money.ts';
import { describeWeight, parseQuantity } from '../domain/weight.ts';
import { approve, proposeRepresentative, proposeSigningRule } from '../service/custody/approvals.ts';
import { addRemark, draft, step } from '../service/custody/instructions.ts';
import { approvalShown, showInstruction } from '../service/custody/queries.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { addUser } from '../service/parties/users.ts';

/** Demo users of the scenario, one per role; their password is for demonstration only. */
export const SCENARIO_1961_USERS = [
  {
    id: 'gosbank-operator',
    party_id: 'GOSBANK',
    role: 'depository_operator',
    name: 'Vault operator (illustrative)',
  },
  {
    id: 'gosbank-supervisor',
    party_id: 'GOSBANK',
    role: 'depository_supervisor',
    name: 'Vault supervisor (illustrative)',
  },
  { id: 'gosbank-auditor', party_id: 'GOSBANK', role: 'auditor', name: 'Auditor (illustrative)' },
  {
    id: 'nbc-signatory-1',
    party_id: 'NBC',
    role: 'client_signatory',
    name: 'First signatory (illustrative)',
  },
  {
    id: 'nbc-signatory-2',
    party_id: 'NBC',
    role: 'client_signatory',
    name: 'Second signatory (illustrative)',
  },
  { id: 'nbc-viewer', party_id: 'NBC', role: 'client_viewer', name: 'Treasury clerk (illustrative)' },
] as const;
export const SCENARIO_1961_DEMO_PASSWORD = 'ingot-demo-1961';

type Say = (line: string) => void;

/** Approves as the checker what the approval shows: its digest, as a person would read and send it. */
async function approveShown(ingot: Ingot, approval_id: bigint, by_user_id: string) {
  const digest = (await approvalShown(ingot, approval_id))?.digest ?? undefined;
  return approve(ingot, { approval_id, by_user_id, digest });
}

/** The digest of an instruction's account as its signatories are shown it. */
async function shownDigest(ingot: Ingot, instruction_id: string): Promise<string> {
  return must(await showInstruction(ingot, instruction_id), 'instruction shown').digest;
}

function must<O extends { ok: boolean }>(outcome: O, step: string): Extract<O, { ok: true }> {
  if (!outcome.ok) throw new Error(`scenario 1961, ${step}: ${(outcome as { message?: string }).message}`);
  return outcome as Extract<O, { ok: true }>;
}

function value<T>(result: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

/** Users, a two-signature rule on NBC-GOLD, and two representatives registered under four eyes. */
async function controls(ingot: Ingot, say: Say): Promise<void> {
  for (const user of SCENARIO_1961_USERS) {
    must(
      await addUser(ingot, { ...user, password: SCENARIO_1961_DEMO_PASSWORD, created_by: 'scenario' }),
      user.id,
    );
  }
  const rule = {
    account_id: 'NBC-GOLD',
    required_signatures: 2,
    signatory_user_ids: ['nbc-signatory-1', 'nbc-signatory-2'],
  };
  // Who signs for NBC is NBC's own business: one of its signatories proposes the rule, the other
  // approves it; the depository has no part in it.
  const proposed = must(await proposeSigningRule(ingot, 'nbc-signatory-1', rule), 'signing rule');
  must(await approveShown(ingot, proposed.pending_approval, 'nbc-signatory-2'), 'rule approval');
  say(
    '1961-02-01  NBC-GOLD binds only with both NBC signatories (proposed by one signatory, approved by the other).',
  );
  for (const [id, name, document] of [
    ['REP-1', 'First representative of NBC in Moscow (illustrative)', 'diplomatic passport Cuba D-0001'],
    ['REP-2', 'Second representative of NBC in Moscow (illustrative)', 'diplomatic passport Cuba D-0002'],
  ] as const) {
    const representative = {
      id,
      client_party_id: 'NBC',
      name,
      identity_document: document,
      authority_valid_from: '1961-02-01',
      authority_valid_until: '1961-12-31',
      revoked_on: null,
      account_ids: ['NBC-GOLD'],
      limit_fine_milli_oz: value(parseQuantity('1000 oz')),
    };
    const made = must(await proposeRepresentative(ingot, 'nbc-signatory-1', representative), id);
    must(await approveShown(ingot, made.pending_approval, 'nbc-signatory-2'), `${id} approval`);
  }
  say(
    '1961-02-01  Two representatives authorized for NBC-GOLD, up to 1,000 oz each (proposed by one signatory, approved by the other).',
  );
}

/** Drafts and signs an instruction with both signatories; the depository accepts it. */
async function drafted(
  ingot: Ingot,
  quantity: string,
  details: InstructionDetails,
  date: string,
): Promise<string> {
  const selection = { kind: 'quantity' as const, fine_milli_oz: value(parseQuantity(quantity)) };
  const { instruction_id } = must(
    await draft(ingot, {
      by_user_id: 'nbc-signatory-1',
      source_account_id: 'NBC-GOLD',
      selection,
      details,
      date,
    }),
    'draft',
  );
  for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
    const digest = await shownDigest(ingot, instruction_id);
    must(
      await step(ingot, { instruction_id, event: { kind: 'sign' }, date, by_user_id: signer, digest }),
      'signature',
    );
  }
  must(
    await step(ingot, { instruction_id, event: { kind: 'accept' }, date, by_user_id: 'gosbank-operator' }),
    'acceptance',
  );
  return instruction_id;
}

/** A depository step under four eyes: the operator records it, the supervisor approves it. */
async function fourEyes(
  ingot: Ingot,
  instruction_id: string,
  event: InstructionEvent,
  date: string,
  handover?: { representative_id: string; identity_document_checked: boolean },
): Promise<bigint | null> {
  const request = {
    instruction_id,
    event,
    date,
    by_user_id: 'gosbank-operator',
    ...(handover ? { handover } : {}),
  };
  const made = must(await step(ingot, request), event.kind);
  if (made.pending_approval === null)
    throw new Error(`scenario 1961: ${event.kind} did not wait for four eyes`);
  const approved = must(
    await approveShown(ingot, made.pending_approval, 'gosbank-supervisor'),
    `${event.kind} approval`,
  );
  const outcome = approved.outcome as { entry_id?: bigint | null };
  return outcome.entry_id ?? null;
}

/** Runs the custody part of the scenario after the sale has settled. */
export async function runCustody1961(ingot: Ingot, say: Say): Promise<void> {
  await controls(ingot, say);
  for (const [representative, quantity] of [
    ['REP-1', '800 oz'],
    ['REP-2', '800 oz'],
  ] as const) {
    const details = { kind: 'release' as const, representative_id: representative, release_on: '1961-02-15' };
    const id = await drafted(ingot, quantity, details, '1961-02-10');
    await fourEyes(ingot, id, { kind: 'execute' }, '1961-02-15', {
      representative_id: representative,
      identity_document_checked: true,
    });
    say(
      `1961-02-15  ${id}: about ${quantity} released in Moscow to ${representative}, identity checked; bars leave custody.`,
    );
  }
  const insurance = value(parseMoney('£1,000,000'));
  const shipment = {
    kind: 'shipment' as const,
    destination: 'Havana, National Bank of Cuba',
    carrier: 'sea freight (illustrative)',
    insurance_value: insurance,
  };
  const id = await drafted(ingot, '2 t', shipment, '1961-02-16');
  const transport: Money = value(parseMoney('£2,500'));
  const premium: Money = value(parseMoney('£1,200'));
  await fourEyes(
    ingot,
    id,
    { kind: 'quote', transport, insurance: premium, valid_until: '1961-02-28' },
    '1961-02-17',
  );
  must(
    await addRemark(ingot, {
      instruction_id: id,
      by_user_id: 'nbc-signatory-1',
      written_on: '1961-02-18',
      text: 'Please ship in sealed cases; our embassy will attend the loading.',
    }),
    'remark',
  );
  must(
    await addRemark(ingot, {
      instruction_id: id,
      by_user_id: 'gosbank-operator',
      written_on: '1961-02-19',
      text: 'Agreed. Loading at the vault on 1 March, embassy present.',
    }),
    'remark',
  );
  for (const signer of ['nbc-signatory-1', 'nbc-signatory-2']) {
    must(
      await step(ingot, {
        instruction_id: id,
        event: { kind: 'accept_quote' },
        date: '1961-02-20',
        by_user_id: signer,
        digest: await shownDigest(ingot, id),
      }),
      'quote acceptance',
    );
  }
  say(
    `1961-02-20  ${id}: shipment of 2 t to Havana; NBC accepts the quote, ${formatLsd(transport.minor + premium.minor)} debited to NBC-GBP.`,
  );
  await fourEyes(ingot, id, { kind: 'dispatch' }, '1961-03-01');
  await fourEyes(ingot, id, { kind: 'confirm_delivery' }, '1961-03-20');
  say(
    `1961-03-20  ${id}: delivered in Havana (${describeWeight(value(parseQuantity('2 t')))} asked; bars listed on the instruction).`,
  );
}
