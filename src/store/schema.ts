// The tables of an Ingot store, as Kysely sees them. Integers are bigint end to end.
export interface PartyRow {
  id: string;
  name: string;
  role: string;
  created_at: string;
}

export interface AccountRow {
  id: string;
  party_id: string;
  kind: string;
  unit: string;
  balance: bigint;
  created_at: string;
}

export interface EntryRow {
  id: bigint;
  kind: string;
  value_date: string;
  recorded_at: string;
  memo: string;
  trade_id: string | null;
  idempotency_key: string | null;
  hash: string | null;
}

export interface PostingRow {
  entry_id: bigint;
  line: bigint;
  account_id: string;
  unit: string;
  amount: bigint;
}

export interface BarRow {
  id: bigint;
  refiner: string;
  serial: string;
  year: bigint;
  gross_milli_oz: bigint;
  fineness: bigint;
  fine_milli_oz: bigint;
  vault: string | null;
  location: string | null;
  external_bar_id: string | null;
  owner_account_id: string;
  state: string;
  trade_id: string | null;
  received_entry_id: bigint;
  instruction_id: string | null;
}

export interface BarMoveRow {
  entry_id: bigint;
  bar_id: bigint;
  source_account_id: string;
  target_account_id: string;
}

export interface FixingRow {
  date: string;
  currency: string;
  minor_per_oz: bigint;
  source: string;
  entered_by: string;
  entered_at: string;
}

export interface OfferRow {
  id: string;
  seller_party_id: string;
  buyer_party_id: string;
  seller_stock_account_id: string;
  seller_cash_account_id: string;
  buyer_custody_account_id: string;
  buyer_cash_account_id: string;
  maximum_fine_milli_oz: bigint;
  minimum_fineness: bigint;
  currency: string;
  pricing: string;
  custody_fee_per_year_per10k: bigint;
  valid_from: string;
  valid_until: string;
  created_at: string;
}

export interface TradeRow {
  id: string;
  offer_id: string;
  accepted_on: string;
  asked_kind: string;
  asked_fine_milli_oz: bigint | null;
  budget_minor: bigint | null;
  budget_currency: string | null;
  budget_stated: string | null;
  state: string;
  allocated_fine_milli_oz: bigint | null;
  allocation_target_milli_oz: bigint | null;
  reference_date: string | null;
  settlement_date: string | null;
  price_minor_per_oz: bigint | null;
  consideration_minor: bigint | null;
  settlement_entry_id: bigint | null;
  pending_reason: string | null;
  created_at: string;
}

export interface TradeBarRow {
  trade_id: string;
  bar_id: bigint;
}

export interface DocumentRow {
  id: bigint;
  kind: string;
  trade_id: string | null;
  entry_id: bigint | null;
  party_id: string;
  created_at: string;
  body: string;
}

export interface IdempotencyRow {
  key: string;
  command: string;
  request_hash: string;
  response: string;
  created_at: string;
}

export interface MetaRow {
  key: string;
  value: string;
}

export interface UserRow {
  id: string;
  party_id: string;
  name: string;
  role: string;
  password_hash: string;
  active: bigint;
  created_at: string;
  created_by: string;
}

export interface SessionRow {
  token_hash: string;
  user_id: string;
  kind: string;
  label: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface InstructionRow {
  id: string;
  kind: string;
  client_party_id: string;
  source_account_id: string;
  state: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface InstructionStepRow {
  instruction_id: string;
  number: bigint;
  event: string;
  from_state: string;
  to_state: string;
  date: string;
  maker_user_id: string;
  checker_user_id: string | null;
  reason: string | null;
  entry_id: bigint | null;
  recorded_at: string;
}

export interface InstructionBarRow {
  instruction_id: string;
  bar_id: bigint;
}

export interface RemarkRow {
  instruction_id: string;
  number: bigint;
  author_user_id: string;
  author_party_id: string;
  written_on: string;
  text: string;
  recorded_at: string;
}

/** Reference data kept as the domain's record in `body`: representatives, signing rules, fees. */
export interface ReferenceRow {
  id: string;
  party_id: string;
  body: string;
  made_by: string;
  checked_by: string | null;
  updated_at: string;
}

export interface ApprovalRow {
  id: bigint;
  action: string;
  subject: string;
  party_id: string;
  payload: string;
  maker_user_id: string;
  status: string;
  checker_user_id: string | null;
  outcome: string | null;
  created_at: string;
  decided_at: string | null;
}

export interface Database {
  parties: PartyRow;
  accounts: AccountRow;
  entries: EntryRow;
  postings: PostingRow;
  bars: BarRow;
  bar_moves: BarMoveRow;
  fixings: FixingRow;
  offers: OfferRow;
  trades: TradeRow;
  trade_bars: TradeBarRow;
  documents: DocumentRow;
  idempotency: IdempotencyRow;
  meta: MetaRow;
  users: UserRow;
  sessions: SessionRow;
  instructions: InstructionRow;
  instruction_steps: InstructionStepRow;
  instruction_bars: InstructionBarRow;
  remarks: RemarkRow;
  representatives: ReferenceRow;
  signing_rules: ReferenceRow;
  fee_schedules: ReferenceRow;
  approvals: ApprovalRow;
}
