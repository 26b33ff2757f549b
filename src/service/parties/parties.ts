// Parties (the depository, its client banks) and their accounts.
import {
  type Account,
  type AccountKind,
  EXTERNAL_PARTY_ID,
  externalAccountId,
  LEDGER_UNITS,
  type LedgerUnit,
} from '../../domain/ledger.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import type { Tx } from '../../store/store.ts';
import { toAccount } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically } from '../kernel/idempotency.ts';
import {
  accountExists,
  accountRow,
  accountRows,
  depositoryNamed,
  partyExists,
  recordAccount,
  recordParty,
  recordPartyOnce,
} from './queries-parties.ts';

export type PartyRole = 'depository' | 'client';
const ID_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,39}$/;

/** Checks an identifier for parties and accounts: upper-case letters, digits, ".", "_" and "-". */
export function checkId(id: string, field: string): Outcome<object> {
  return ID_PATTERN.test(id)
    ? { ok: true }
    : refuse(
        'invalid_input',
        `${field} "${id}" must be 1–40 of A–Z, 0–9, ".", "_", "-", starting with a letter or digit`,
        field,
      );
}

/**
 * Registers a party: the depository or a client bank. The books have one depository: every rule
 * that asks for "the depository" finds it by its role, so a second one is refused, naming the
 * first, and nothing is written.
 */
export async function addParty(
  ingot: Ingot,
  party: { id: string; name: string; role: PartyRole },
): Promise<Outcome<{ id: string }>> {
  const valid = checkId(party.id, 'party');
  if (!valid.ok) return valid;
  if (party.name.trim() === '') return refuse('invalid_input', 'a party needs a name', 'name');
  return atomically(ingot, async (tx) => {
    if (await partyExists(tx, party.id)) {
      return refuse('party_exists', `party ${party.id} already exists`, 'party');
    }
    if (party.role === 'depository') {
      const depository = await depositoryNamed(tx);
      if (depository) {
        const message =
          `the depository is already registered: ${depository.id} (${depository.name}); ` +
          `the books have one depository, and ${party.id} may be registered only as a client`;
        return refuse('depository_exists', message, 'role');
      }
    }
    await recordParty(tx, {
      id: party.id,
      name: party.name.trim(),
      role: party.role,
      created_at: ingot.now(),
    });
    return { ok: true, id: party.id };
  });
}

/** Opens an account for a party: cash in a currency, or allocated gold custody (XAU). */
export async function openAccount(
  ingot: Ingot,
  account: { id: string; party_id: string; kind: Exclude<AccountKind, 'external'>; unit: LedgerUnit },
): Promise<Outcome<{ id: string }>> {
  const valid = checkId(account.id, 'account');
  if (!valid.ok) return valid;
  if (account.kind === 'custody' && account.unit !== 'XAU') {
    return refuse('account_unit_mismatch', 'a custody account holds gold (XAU)', 'unit');
  }
  if (account.kind === 'cash' && account.unit === 'XAU') {
    return refuse('account_unit_mismatch', 'a cash account holds a currency, not XAU', 'unit');
  }
  return atomically(ingot, async (tx) => {
    if (!(await partyExists(tx, account.party_id))) {
      return refuse('party_not_found', `party ${account.party_id} does not exist`, 'party');
    }
    if (await accountExists(tx, account.id)) {
      return refuse('account_exists', `account ${account.id} already exists`, 'account');
    }
    await recordAccount(tx, { ...account, created_at: ingot.now() });
    return { ok: true, id: account.id };
  });
}

/** Makes sure the external party and its account for `unit` exist; returns the account id. */
export async function ensureExternalAccount(tx: Tx, unit: LedgerUnit, now: string): Promise<string> {
  const id = externalAccountId(unit);
  if (await accountExists(tx, id)) return id;
  await recordPartyOnce(tx, {
    id: EXTERNAL_PARTY_ID,
    name: 'Outside the depository',
    role: 'external',
    created_at: now,
  });
  await recordAccount(tx, { id, party_id: EXTERNAL_PARTY_ID, kind: 'external', unit, created_at: now });
  return id;
}

/** Every account with its balance, optionally of one party. */
export async function listAccounts(ingot: Ingot, party_id?: string): Promise<Account[]> {
  return (await accountRows(ingot.store.db, party_id)).map(toAccount);
}

/** One account, or a refusal naming it. */
export async function findAccount(
  tx: Tx,
  id: string,
  field = 'account',
): Promise<Outcome<{ account: Account }>> {
  const row = await accountRow(tx, id);
  return row
    ? { ok: true, account: toAccount(row) }
    : refuse('account_not_found', `account ${id} does not exist`, field);
}

/** Parses a ledger unit name. */
export function parseUnit(text: string): LedgerUnit | undefined {
  const upper = text.toUpperCase();
  return (LEDGER_UNITS as readonly string[]).includes(upper) ? (upper as LedgerUnit) : undefined;
}
