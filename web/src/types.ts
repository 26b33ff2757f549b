// What the API sends the desk. Amounts and weights are decimal strings of their minor unit.

export type Role =
  | 'depository_operator'
  | 'depository_supervisor'
  | 'client_signatory'
  | 'client_viewer'
  | 'auditor';
export type Currency = 'GBP' | 'USD' | 'EUR';

export interface User {
  id: string;
  name: string;
  party_id: string;
  role: Role;
}

export interface Session {
  user: User;
  depository_party_id: string;
}

export interface Party {
  id: string;
  name: string;
  role: string;
}

export interface Account {
  id: string;
  party_id: string;
  kind: 'cash' | 'custody' | 'external';
  unit: Currency | 'XAU';
  balance: string;
}

export interface Offer {
  id: string;
  seller_party_id: string;
  buyer_party_id: string;
  seller_stock_account_id: string;
  seller_cash_account_id: string;
  buyer_custody_account_id: string;
  buyer_cash_account_id: string;
  maximum_fine_milli_oz: string;
  minimum_fineness: string;
  currency: Currency;
  valid_from: string;
  valid_until: string;
  taken_fine_milli_oz: string;
  remaining_fine_milli_oz: string;
}

export interface Trade {
  id: string;
  offer_id: string;
  accepted_on: string;
  asked_kind: 'quantity' | 'amount';
  asked_fine_milli_oz: string | null;
  budget_minor: string | null;
  budget_currency: Currency | null;
  budget_stated: string | null;
  state: 'accepted' | 'allocated' | 'settled' | 'cancelled';
  allocated_fine_milli_oz: string | null;
  settlement_date: string | null;
  price_minor_per_oz: string | null;
  consideration_minor: string | null;
  pending_reason: string | null;
  created_at: string;
}

export interface Bar {
  id: string;
  refiner: string;
  serial: string;
  year: number;
  gross_milli_oz: string;
  fineness: string;
  fine_milli_oz: string;
  vault: string | null;
  location: string | null;
  state: string;
  trade_id: string | null;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
}

export interface Fixing {
  date: string;
  currency: Currency;
  minor_per_oz: string;
  source: string;
  entered_by: string;
}

export interface Quote {
  fixing_date: string;
  price_minor_per_oz: string;
  fine_milli_oz: string;
  cost: { currency: Currency; minor: string };
  remaining_fine_milli_oz: string;
}

export interface StatementLine {
  entry_id: string;
  value_date: string;
  kind: string;
  memo: string;
  amount: string;
  balance: string;
}

export interface Statement {
  account: Account;
  from: string;
  to: string;
  opening: string;
  lines: StatementLine[];
  closing: string;
}

export interface JournalEntry {
  id: string;
  kind: string;
  value_date: string;
  memo: string;
  trade_id: string | null;
  postings: { line: string; account_id: string; unit: string; amount: string }[];
}

/** One currency of a client bank's treasury on a date. */
export interface TreasuryLine {
  currency: Currency;
  at_correspondents: string;
  at_depository: string;
  under_way: string;
  set_aside: string;
  earmarked: string;
  left: string;
  left_in_sterling: string | null;
}

export interface TreasuryPlace {
  kind: 'correspondent' | 'outside' | 'depository';
  name: string;
}

export interface TreasuryCorrespondent {
  id: string;
  bank: string;
  currency: Currency;
  account_reference: string;
  stated: string | null;
  as_of: string | null;
  out_since: string;
  in_since: string;
  position: string;
  history: { id: string; as_of: string; minor: string; recorded_by: string; recorded_at: string }[];
}

export interface TreasuryTransfer {
  id: string;
  currency: Currency;
  minor: string;
  from: TreasuryPlace;
  to: TreasuryPlace;
  sent_on: string;
  expected_on: string;
  state: 'under_way' | 'arrived' | 'cancelled';
  state_on_date: 'not_yet_sent' | 'under_way' | 'arrived' | 'cancelled';
  overdue: boolean;
  closed_on: string | null;
  note: string | null;
  recorded_by: string;
  closed_by: string | null;
}

export interface TreasuryEarmark {
  id: string;
  currency: Currency;
  minor: string;
  purpose: string;
  from: string;
  until: string;
  released_on: string | null;
  active: boolean;
  recorded_by: string;
}

/** A client bank's treasury on a date, as GET /treasury/{id} gives it. */
export interface TreasuryView {
  party_id: string;
  date: string;
  currencies: TreasuryLine[];
  sterling: { total: string; rates: Record<string, string> } | null;
  sterling_refusal: { code: string; message: string; field: string } | null;
  correspondents: TreasuryCorrespondent[];
  depository: { account_id: string; currency: Currency; balance: string }[];
  transfers: TreasuryTransfer[];
  earmarks: TreasuryEarmark[];
  set_aside: {
    trade_id: string;
    currency: Currency;
    minor: string;
    basis: 'budget' | 'price_paid' | 'estimate' | 'unpriced';
    price_date: string | null;
  }[];
}
