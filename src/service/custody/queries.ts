// The reads of custody that the server and the command line offer: instructions with their steps,
// bars and remarks, representatives and approvals. One function each, so both show the same.
import { voidedBy } from '../../domain/custody/account-text.ts';
import type { Instruction } from '../../domain/custody/instruction.ts';
import type { CustodyOutcome } from '../../domain/custody/refusal.ts';
import type { Remark } from '../../domain/custody/remarks.ts';
import type { Representative } from '../../domain/custody/representatives.ts';
import type { ApprovalRow, InstructionStepRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { fromJson } from '../kernel/json.ts';
import { instructionAccount } from './accounts.ts';
import { storedAccount } from './approvals.ts';
import { loadInstruction, remarksOf } from './instructions.ts';
import { approvalRow, listApprovals } from './queries-approvals.ts';
import { referenceHolder } from './queries-reference.ts';
import { storedApprovalPayload, storedRepresentative } from './stored.ts';

/** The client party an instruction belongs to, or undefined when there is no such instruction. */
export async function instructionClient(ingot: Ingot, id: string): Promise<string | undefined> {
  const row = await ingot.store.db
    .selectFrom('instructions')
    .select('client_party_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.client_party_id;
}

/** An instruction as listed: its kind, client, account and state. */
export interface InstructionListing {
  readonly id: string;
  readonly kind: string;
  readonly client_party_id: string;
  readonly source_account_id: string;
  readonly state: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Instructions oldest first, of one client or all, in one state or any. */
export async function listInstructions(
  ingot: Ingot,
  filter: { party?: string | undefined; state?: string | undefined },
): Promise<InstructionListing[]> {
  let query = ingot.store.db
    .selectFrom('instructions')
    .select(['id', 'kind', 'client_party_id', 'source_account_id', 'state', 'created_at', 'updated_at'])
    .orderBy('created_at')
    .orderBy('id');
  if (filter.party !== undefined) query = query.where('client_party_id', '=', filter.party);
  if (filter.state) query = query.where('state', '=', filter.state);
  return query.execute();
}

/**
 * An instruction as shown: its terms, every step in order, its bars by id, its remarks, and the
 * account its signatories sign (or accept the quote of) with that account's digest.
 */
export interface InstructionShown {
  readonly instruction: Instruction;
  readonly account: readonly string[];
  readonly digest: string;
  readonly steps: Omit<InstructionStepRow, 'instruction_id' | 'recorded_at' | 'digest' | 'account'>[];
  readonly bars: bigint[];
  readonly remarks: Remark[];
}

/** An instruction with its steps, bars and remarks, or instruction_not_found. */
export async function showInstruction(ingot: Ingot, id: string): Promise<CustodyOutcome<InstructionShown>> {
  const db = ingot.store.db;
  const found = await loadInstruction(db, id);
  if (!found.ok) return found;
  const steps = await db
    .selectFrom('instruction_steps')
    .select(['number', 'date', 'event', 'from_state', 'to_state', 'maker_user_id', 'checker_user_id'])
    .select(['entry_id', 'reason'])
    .where('instruction_id', '=', id)
    .orderBy('number')
    .execute();
  const bars = await db
    .selectFrom('instruction_bars')
    .select('bar_id')
    .where('instruction_id', '=', id)
    .orderBy('bar_id')
    .execute();
  const remarks = await remarksOf(db, id);
  const account = await instructionAccount(db, found.instruction);
  return {
    ok: true,
    instruction: found.instruction,
    account: account.lines,
    digest: account.digest,
    steps,
    bars: bars.map((b) => b.bar_id),
    remarks,
  };
}

/** The remarks on an instruction, in the order written. */
export function remarksOn(ingot: Ingot, instructionId: string): Promise<Remark[]> {
  return remarksOf(ingot.store.db, instructionId);
}

/** A representative as listed: the stored terms, with who proposed and who approved them. */
export type RepresentativeListing = Representative & {
  readonly made_by: string;
  readonly checked_by: string | null;
};

/** Representatives in id order, of one party or all. */
export async function listRepresentatives(
  ingot: Ingot,
  party: string | undefined,
): Promise<RepresentativeListing[]> {
  let query = ingot.store.db
    .selectFrom('representatives')
    .select(['id', 'body', 'made_by', 'checked_by'])
    .orderBy('id');
  if (party !== undefined) query = query.where('party_id', '=', party);
  const rows = await query.execute();
  return rows.map((row) => ({
    ...storedRepresentative(row.body, row.id),
    made_by: row.made_by,
    checked_by: row.checked_by,
  }));
}

/** The party a representative belongs to, or undefined when there is none of that id. */
export async function representativeParty(ingot: Ingot, id: string): Promise<string | undefined> {
  const row = await referenceHolder(ingot.store.db, 'representatives', id);
  return row?.party_id;
}

/** An approval's party and action, or undefined when there is none of that number. */
export async function approvalScope(
  ingot: Ingot,
  id: bigint,
): Promise<{ party_id: string; action: string } | undefined> {
  return ingot.store.db
    .selectFrom('approvals')
    .select(['party_id', 'action'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Approvals in number order, of one party or all, in one status or any, payloads read back. */
export async function approvalsShown(
  ingot: Ingot,
  filter: { party_id?: string | undefined; status?: string | undefined },
) {
  const rows = await listApprovals(ingot.store.db, {
    ...(filter.party_id ? { party_id: filter.party_id } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  });
  const waiting = rows.some((row) => row.status === 'pending');
  const voids = waiting ? await waitingVoids(ingot, filter.party_id) : NONE_VOIDED;
  return rows.map((row) => shownApproval(row, voids));
}

/**
 * What an approval would carry out, read back and checked, or undefined when there is none of that
 * number: enough to tell what it is classified as, without reading the approvals waiting beside it.
 */
export async function approvalPayload(ingot: Ingot, id: bigint) {
  const row = await approvalRow(ingot.store.db, id);
  return row ? storedApprovalPayload(row.payload, row.id) : undefined;
}

/**
 * One approval as shown, or undefined when there is none of that number; `reader_party_id` (a
 * client bank's) limits the waiting approvals it names as voided to that bank's own.
 */
export async function approvalShown(ingot: Ingot, id: bigint, reader_party_id?: string) {
  const row = await approvalRow(ingot.store.db, id);
  if (!row) return undefined;
  // A decided approval voids nothing: the others waiting are read only for one that waits.
  const voids = row.status === 'pending' ? await waitingVoids(ingot, reader_party_id) : NONE_VOIDED;
  return shownApproval(row, voids);
}

const NONE_VOIDED: ReadonlyMap<bigint, readonly bigint[]> = new Map();

/**
 * For each waiting approval, the waiting approvals (of `party_id`, or all) that approving it would
 * void: their accounts show a balance it moves.
 */
async function waitingVoids(ingot: Ingot, party_id: string | undefined): Promise<Map<bigint, bigint[]>> {
  const waiting = await listApprovals(ingot.store.db, { status: 'pending' });
  const voided = voidedBy(waiting.map((row) => ({ id: row.id, account: storedAccount(row) })));
  if (party_id === undefined) return voided;
  const ofParty = new Set(waiting.filter((row) => row.party_id === party_id).map((row) => row.id));
  return new Map([...voided].map(([id, ids]) => [id, ids.filter((other) => ofParty.has(other))]));
}

/** An approval with its payload and outcome read back, and the account its checker approves. */
function shownApproval(row: ApprovalRow, voids: ReadonlyMap<bigint, readonly bigint[]>) {
  const { pending_step: _key, account: _text, digest, ...rest } = row;
  return {
    ...rest,
    payload: storedApprovalPayload(row.payload, row.id),
    // The outcome is whatever the step or change returned, shown as it was written.
    outcome: row.outcome === null ? null : fromJson<unknown>(row.outcome),
    account: storedAccount(row),
    digest,
    voids: [...(voids.get(row.id) ?? [])],
  };
}
