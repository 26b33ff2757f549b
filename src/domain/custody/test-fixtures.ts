// Shared test data for the custody tests: the 1961 parties, their users, accounts and instructions.
// Used only by *.test.ts files beside it.
import type { Account, AccountKind, LedgerUnit } from '../ledger.ts';
import type { Role, User } from './controls.ts';
import type {
  Instruction,
  InstructionDetails,
  InstructionState,
  ReleaseDetails,
  Selection,
  ShipmentDetails,
  TransferDetails,
} from './instruction.ts';
import type { SigningRule } from './signing.ts';

export const DEPOSITORY = 'GOSBANK';
export const CLIENT = 'NBC';
export const OTHER_CLIENT = 'NBP';

function user(id: string, party_id: string, role: Role, active = true): User {
  return { id, name: id, party_id, role, active };
}

/** Users by id: operators, supervisors, an auditor, signatories of both clients, a viewer. */
export const USERS = {
  operator: user('op-1', DEPOSITORY, 'depository_operator'),
  operator2: user('op-2', DEPOSITORY, 'depository_operator'),
  supervisor: user('sup-1', DEPOSITORY, 'depository_supervisor'),
  supervisor2: user('sup-2', DEPOSITORY, 'depository_supervisor'),
  auditor: user('aud-1', DEPOSITORY, 'auditor'),
  signatory: user('sig-1', CLIENT, 'client_signatory'),
  signatory2: user('sig-2', CLIENT, 'client_signatory'),
  signatory3: user('sig-3', CLIENT, 'client_signatory'),
  inactive: user('sig-4', CLIENT, 'client_signatory', false),
  viewer: user('view-1', CLIENT, 'client_viewer'),
  foreign: user('nbp-sig-1', OTHER_CLIENT, 'client_signatory'),
  foreignViewer: user('nbp-view-1', OTHER_CLIENT, 'client_viewer'),
  rogue: user('rogue-1', CLIENT, 'depository_supervisor'),
} as const;
export type UserName = keyof typeof USERS;

export const USER_MAP: ReadonlyMap<string, User> = new Map(Object.values(USERS).map((u) => [u.id, u]));

export function account(
  id: string,
  party_id: string,
  kind: AccountKind,
  unit: LedgerUnit,
  balance = 0n,
): Account {
  return { id, party_id, kind, unit, balance };
}

/** Accounts with balances: NBC holds 4 bars (1,600 oz) and £1,000; NBP holds nothing. */
export function accounts(cash_minor = 4_800_000n): Map<string, Account> {
  const list = [
    account('NBC-GOLD', CLIENT, 'custody', 'XAU', 1_600_000n),
    account('NBC-TRANSIT', CLIENT, 'custody', 'XAU'),
    account('NBC-GBP', CLIENT, 'cash', 'GBP', cash_minor),
    account('NBP-GOLD', OTHER_CLIENT, 'custody', 'XAU'),
    account('NBP-GBP', OTHER_CLIENT, 'cash', 'GBP'),
    account('GOSBANK-FEES', DEPOSITORY, 'cash', 'GBP'),
    account('GOSBANK-VAULT', DEPOSITORY, 'custody', 'XAU'),
    account('EXTERNAL-XAU', 'EXTERNAL', 'external', 'XAU', -1_600_000n),
    account('EXTERNAL-GBP', 'EXTERNAL', 'external', 'GBP', -cash_minor),
  ];
  return new Map(list.map((a) => [a.id, a]));
}

/** NBC-GOLD: any two of three signatories. */
export const RULE: SigningRule = {
  account_id: 'NBC-GOLD',
  required_signatures: 2,
  signatory_user_ids: ['sig-1', 'sig-2', 'sig-3'],
};

export const RELEASE: ReleaseDetails = {
  kind: 'release',
  representative_id: 'REP-1',
  release_on: '1961-02-10',
};
export const TRANSFER: TransferDetails = {
  kind: 'transfer',
  target: { kind: 'existing_account', account_id: 'NBP-GOLD' },
};
export const SHIPMENT: ShipmentDetails = {
  kind: 'shipment',
  destination: 'Havana',
  carrier: 'Aeroflot',
  insurance_value: { currency: 'GBP', minor: 4800n * 20_000n },
};

export const BARS: Extract<Selection, { kind: 'bars' }> = { kind: 'bars', bar_ids: [1n, 2n] };
export const QUANTITY: Extract<Selection, { kind: 'quantity' }> = {
  kind: 'quantity',
  fine_milli_oz: 800_000n,
};

/** An instruction in a state, with whatever signatures and quote that state implies. */
export function instruction(
  details: InstructionDetails,
  state: InstructionState = 'drafted',
  selection: Selection = BARS,
): Instruction {
  const signed = state !== 'drafted';
  const quoted = ['quoted', 'quote_accepted', 'quote_declined', 'in_transit', 'delivered', 'returned'];
  const quoteAccepted = ['quote_accepted', 'in_transit', 'delivered', 'returned'];
  return {
    id: 'I-1',
    client_party_id: CLIENT,
    source_account_id: 'NBC-GOLD',
    selection,
    details,
    state,
    drafted_by: 'sig-1',
    drafted_on: '1961-02-01',
    last_step_on: '1961-02-01',
    signatures: signed
      ? [
          { user_id: 'sig-1', signed_on: '1961-02-01' },
          { user_id: 'sig-2', signed_on: '1961-02-01' },
        ]
      : [],
    quote: quoted.includes(state)
      ? {
          transport: { currency: 'GBP', minor: 4800n * 150n },
          insurance: { currency: 'GBP', minor: 4800n * 50n },
          quoted_on: '1961-02-01',
          valid_until: '1961-02-28',
        }
      : null,
    quote_signatures: quoteAccepted.includes(state)
      ? [
          { user_id: 'sig-1', signed_on: '1961-02-01' },
          { user_id: 'sig-3', signed_on: '1961-02-01' },
        ]
      : [],
  };
}
