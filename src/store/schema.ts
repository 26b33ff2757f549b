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
  /** Why the trade was cancelled, as the canceller gave it; null unless cancelled. */
  cancellation_reason: string | null;
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
  /** SHA-256 of the one-time enrolment secret, until the user enrols. */
  enrolment_hash: string | null;
  enrolment_expires_at: string | null;
  /** When the user set its own password; null for a user that has not enrolled yet. */
  enrolled_at: string | null;
  disabled_at: string | null;
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
  /**
   * The instruction's account the step signed (sign, accept_quote) or put before the signatories
   * (draft, quote): its SHA-256 digest and its lines as JSON; null on other steps and on steps
   * recorded before accounts were kept with them.
   */
  digest: string | null;
  account: string | null;
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
  /** The account its checker is shown, as a JSON array of lines (null: proposed before accounts). */
  account: string | null;
  /** SHA-256 of the account, which the checker sends back to approve it. */
  digest: string | null;
  /** For a step of an instruction while pending: "instruction event", unique; null otherwise. */
  pending_step: string | null;
}

/** A bank's own keys (is_self = 1) or a correspondent's pinned public keys, with sequence counters. */
export interface ChannelBankRow {
  bank_id: string;
  is_self: bigint;
  mode: string | null;
  signing_public: string;
  encryption_public: string;
  fingerprint: string;
  key_file: string | null;
  signatory_user_id: string | null;
  pinned_at: string;
  pinned_by: string;
  sent_sequence: bigint;
  received_sequence: bigint;
}

/** The channel's log: keys generated and pinned, envelopes refused or held back. */
export interface ChannelEventRow {
  id: bigint;
  at: string;
  bank_id: string;
  event: string;
  detail: string;
  envelope_hash: string | null;
}

/** One message in the register, in or out. */
export interface MessageRow {
  id: bigint;
  direction: string;
  correspondent: string;
  number: bigint;
  registered_at: string;
  date: string;
  classification: string;
  copies: bigint;
  subject: string;
  message_type: string | null;
  reference: string | null;
  message_id: string | null;
  sequence: bigint | null;
  state: string;
  reason: string | null;
  text: string | null;
  envelope: string | null;
  envelope_hash: string | null;
  relay_id: string | null;
  origin: string | null;
  applied: string | null;
  /** The object in the books the message concerns or created: TRADE-1, INS-3. */
  linked: string | null;
  sent_at: string | null;
  delivered_at: string | null;
}

/** Who opened, printed or was refused a registered message. */
export interface MessageReadRow {
  id: bigint;
  message_id: bigint;
  user_id: string;
  at: string;
  action: string;
  copy_number: bigint | null;
  outcome: string;
}

/** The highest classification a user may open. */
export interface ClearanceRow {
  user_id: string;
  level: string;
  granted_by: string;
  granted_at: string;
}

/** A numbered copy of a document printed from the books. */
export interface DocumentCopyRow {
  document: string;
  copy_number: bigint;
  classification: string;
  printed_by: string;
  printed_at: string;
}

/** A bar in a client bank's own view, credited and debited by advices it received. */
export interface ViewBarRow {
  id: bigint;
  account_id: string;
  refiner: string;
  serial: string;
  year: bigint;
  gross_milli_oz: bigint | null;
  fineness: bigint | null;
  fine_milli_oz: bigint | null;
  credited_by: bigint;
  credited_on: string;
  debited_by: bigint | null;
  debited_on: string | null;
}

/** A credit or debit of a client's metal account, as an advice told it. */
export interface ViewEntryRow {
  id: bigint;
  account_id: string;
  value_date: string;
  mark: string;
  fine_milli_oz: bigint;
  reference: string;
  message: bigint;
}

/** An account a client bank holds at a correspondent bank. */
export interface TreasuryCorrespondentRow {
  party_id: string;
  id: string;
  bank: string;
  currency: string;
  account_reference: string;
  created_by: string;
  created_at: string;
}

/** A balance a correspondent stated, as of a date; a later row for the same date corrects it. */
export interface TreasuryBalanceRow {
  id: bigint;
  party_id: string;
  correspondent_id: string;
  as_of: string;
  minor: bigint;
  recorded_by: string;
  recorded_at: string;
}

/** Money under way to one of a client bank's places. */
export interface TreasuryTransferRow {
  party_id: string;
  id: string;
  currency: string;
  minor: bigint;
  /** 'correspondent' (source: its id) or 'outside' (source: the payer's name). */
  source_kind: string;
  source: string;
  /** 'correspondent' or 'depository' (target: the cash account's id). */
  target_kind: string;
  target: string;
  sent_on: string;
  expected_on: string;
  state: string;
  closed_on: string | null;
  closed_by: string | null;
  closed_at: string | null;
  note: string | null;
  recorded_by: string;
  recorded_at: string;
}

/** A sum a client bank set aside for another need. */
export interface TreasuryEarmarkRow {
  party_id: string;
  id: string;
  currency: string;
  minor: bigint;
  purpose: string;
  from_date: string;
  until: string;
  recorded_by: string;
  recorded_at: string;
  released_on: string | null;
  released_by: string | null;
  released_at: string | null;
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
  channel_banks: ChannelBankRow;
  channel_events: ChannelEventRow;
  messages: MessageRow;
  message_reads: MessageReadRow;
  clearances: ClearanceRow;
  document_copies: DocumentCopyRow;
  view_bars: ViewBarRow;
  view_entries: ViewEntryRow;
  treasury_correspondents: TreasuryCorrespondentRow;
  treasury_balances: TreasuryBalanceRow;
  treasury_transfers: TreasuryTransferRow;
  treasury_earmarks: TreasuryEarmarkRow;
  message_receipts: MessageReceiptRow;
  message_sendings: MessageSendingRow;
  sign_in_attempts: SignInAttemptRow;
  sign_in_known: SignInKnownRow;
  refiners: RefinerRow;
}

/**
 * A delivery receipt, by the message it is for: for one received, the receipt this bank signed
 * (posted_at: when the relay took it, null until then); for one sent, its recipient's receipt as
 * verified (posted_at null).
 */
export interface MessageReceiptRow {
  message_id: bigint;
  receipt: string;
  at: string;
  posted_at: string | null;
}

/** How often a sent message was posted to the relay, and when last: it is resent until receipted. */
export interface MessageSendingRow {
  message_id: bigint;
  attempts: bigint;
  last_sent_at: string;
}

export interface SignInAttemptRow {
  id: bigint;
  user_id: string;
  address: string;
  at_ms: bigint;
  /** 'pending' while the secret is checked, 'failed' once wrong, 'forgiven' by a later success. */
  state: string;
}

export interface SignInKnownRow {
  user_id: string;
  address: string;
  last_at_ms: bigint;
}

/** A refiner of the Good Delivery List as one import recorded it; replaced_at null: the present list. */
export interface RefinerRow {
  id: bigint;
  brand_code: string;
  name: string;
  country: string;
  /** 'current' or 'former'. */
  status: string;
  listed_on: string | null;
  removed_on: string | null;
  recorded_at: string;
  recorded_by: string;
  replaced_at: string | null;
}
