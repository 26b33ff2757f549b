// The shapes the API speaks, declared once: they check requests, type the handlers and make the
// OpenAPI document, and the desk's wire types are their Static types (web/src/types.ts imports
// them as types only). So this module imports nothing but typebox and the pure core's lists: the
// desk's type check reads it, without Node's types. Amounts and weights are decimal strings of
// their minor unit (see wire.ts).
import { type Static, type TSchema, Type } from 'typebox';
import { BAR_EVENT_KINDS } from '../domain/bar-history.ts';

/**
 * An integer of a minor unit as a decimal string: 1/4800 £, cents, 0.001 fine oz, 1/10,000 fineness.
 * At most 18 digits: below 2^63, what both stores hold in a bigint column, and far above any real
 * sum (10^18 minor units is 2·10^14 £, or 3·10^10 t of gold), so an amount out of range is bad
 * input naming its field, never an overflow in the database.
 */
export const Minor = Type.String({
  pattern: '^-?[0-9]{1,18}$',
  description: 'an integer of the minor unit, as a decimal string of at most 18 digits',
  examples: ['60960'],
});
/** A positive integer of a minor unit as a decimal string. */
export const PositiveMinor = Type.String({
  pattern: '^0*[1-9][0-9]{0,17}$',
  description: 'a positive integer of the minor unit, as a decimal string of at most 18 digits',
  examples: ['562429696'],
});
export const IsoDate = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'a calendar date, YYYY-MM-DD',
  examples: ['1961-01-31'],
});
/** Identifiers of parties, accounts, offers and trades. */
export const Identifier = Type.String({
  pattern: '^[A-Z0-9][A-Z0-9._-]{0,39}$',
  description: '1–40 of A–Z, 0–9, ".", "_", "-"',
  examples: ['NBC-GOLD'],
});
export const UserId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' });
export const Currency = Type.Enum(['GBP', 'USD', 'EUR'], { description: 'currency of payment' });
export const Unit = Type.Enum(['GBP', 'USD', 'EUR', 'XAU'], { description: 'a ledger unit; XAU is gold' });
export const Role = Type.Enum([
  'depository_operator',
  'depository_supervisor',
  'client_signatory',
  'client_viewer',
  'auditor',
]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'the refusal code, a sentence in snake case' }),
    message: Type.String(),
    field: Nullable(Type.String({ description: 'the field at fault' })),
    problems: Type.Optional(
      Type.Array(
        Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), reason: Type.String() }),
      ),
    ),
  },
  { description: 'every refusal, whatever the route' },
);

export const Money = Type.Object({ currency: Currency, minor: Minor }, { additionalProperties: false });
export const PositiveMoney = Type.Object(
  { currency: Currency, minor: PositiveMinor },
  { additionalProperties: false },
);

export const Party = Type.Object({ id: Type.String(), name: Type.String(), role: Type.String() });
export const Account = Type.Object({
  id: Type.String(),
  party_id: Type.String(),
  kind: Type.Enum(['cash', 'custody', 'external']),
  unit: Unit,
  balance: Minor,
});
export const User = Type.Object({
  id: Type.String(),
  name: Type.String(),
  party_id: Type.String(),
  role: Role,
  active: Type.Boolean(),
});

export const Bar = Type.Object({
  id: Minor,
  refiner: Type.String(),
  serial: Type.String(),
  year: Type.Integer(),
  gross_milli_oz: Minor,
  fineness: Minor,
  fine_milli_oz: Minor,
  vault: Nullable(Type.String()),
  location: Nullable(Type.String()),
  bar_id: Nullable(Type.String()),
  owner_account_id: Type.String(),
  state: Type.String(),
  trade_id: Nullable(Type.String()),
});

export const Fixing = Type.Object({
  date: Type.String(),
  currency: Type.String(),
  minor_per_oz: Minor,
  source: Type.String(),
  entered_by: Type.String(),
  entered_at: Type.String(),
});

export const Offer = Type.Object({
  id: Type.String(),
  seller_party_id: Type.String(),
  buyer_party_id: Type.String(),
  seller_stock_account_id: Type.String(),
  seller_cash_account_id: Type.String(),
  buyer_custody_account_id: Type.String(),
  buyer_cash_account_id: Type.String(),
  maximum_fine_milli_oz: Minor,
  minimum_fineness: Minor,
  currency: Currency,
  pricing: Type.String(),
  custody_fee_per_year_per10k: Minor,
  valid_from: Type.String(),
  valid_until: Type.String(),
  created_at: Type.Optional(Type.String()),
  taken_fine_milli_oz: Minor,
  remaining_fine_milli_oz: Minor,
});

export const Trade = Type.Object({
  id: Type.String(),
  offer_id: Type.String(),
  accepted_on: Type.String(),
  asked_kind: Type.String(),
  asked_fine_milli_oz: Nullable(Minor),
  budget_minor: Nullable(Minor),
  budget_currency: Nullable(Type.String()),
  budget_stated: Nullable(Type.String()),
  state: Type.String({ description: 'accepted, allocated, settled or cancelled' }),
  allocated_fine_milli_oz: Nullable(Minor),
  allocation_target_milli_oz: Nullable(Minor),
  reference_date: Nullable(Type.String()),
  settlement_date: Nullable(Type.String()),
  price_minor_per_oz: Nullable(Minor),
  consideration_minor: Nullable(Minor),
  settlement_entry_id: Nullable(Minor),
  pending_reason: Nullable(Type.String()),
  cancellation_reason: Type.Optional(Nullable(Type.String())),
  created_at: Type.String(),
});

/** A page of a long list and the cursor of the next page (null at the end). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next_cursor: Nullable(Type.String({ description: 'pass as ?cursor= for the next page' })),
    total: Type.Optional(Type.Integer({ description: 'how many match, given on the first page only' })),
  });

/** Who is signed in, and the depository: GET /session. */
export const Session = Type.Object({ user: User, depository_party_id: Type.String() });

/** What an acceptance would buy and cost at the latest fixing: POST /offers/{id}/quote. */
export const Quote = Type.Object({
  fixing_date: Type.String(),
  price_minor_per_oz: Minor,
  fine_milli_oz: Minor,
  cost: Money,
  remaining_fine_milli_oz: Minor,
});

export const StatementLine = Type.Object({
  entry_id: Minor,
  value_date: Type.String(),
  kind: Type.String(),
  memo: Type.String(),
  amount: Minor,
  balance: Minor,
});
/** An account's statement: GET /accounts/{id}/statement (`bars` null when asked with bars=false). */
export const Statement = Type.Object({
  account: Account,
  from: Type.String(),
  to: Type.String(),
  opening: Minor,
  lines: Type.Array(StatementLine),
  closing: Minor,
  bars: Nullable(Type.Array(Bar)),
});

/** A journal entry and its postings: the items of GET /journal. */
export const JournalEntry = Type.Object({
  id: Minor,
  kind: Type.String(),
  value_date: Type.String(),
  recorded_at: Type.String(),
  memo: Type.String(),
  trade_id: Nullable(Type.String()),
  idempotency_key: Nullable(Type.String()),
  hash: Nullable(
    Type.String({
      description:
        'SHA-256 in hex of the entry after the one before: its link in the hash chain (null until sealed)',
    }),
  ),
  postings: Type.Array(
    Type.Object({ line: Minor, account_id: Type.String(), unit: Type.String(), amount: Minor }),
  ),
});

/** An approval waiting for (or decided by) a second user: the items of GET /approvals. */
export const Approval = Type.Object({
  id: Minor,
  action: Type.String(),
  subject: Type.String(),
  party_id: Type.String(),
  payload: Type.Unknown(),
  maker_user_id: Type.String(),
  status: Type.String({ description: 'pending, approved or declined' }),
  checker_user_id: Nullable(Type.String()),
  outcome: Type.Unknown(),
  created_at: Type.String(),
  decided_at: Nullable(Type.String()),
  account: Type.Array(Type.String(), {
    description: 'what approving it will do, line by line, composed from the books when proposed',
  }),
  digest: Nullable(
    Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'SHA-256 of the account: send it to approve exactly this (null: proposed before accounts)',
    }),
  ),
  voids: Type.Array(Minor, {
    description:
      'pending approvals that approving this one would void: their accounts show a balance it moves, ' +
      'so they would be refused (approval_changed) and proposed again',
  }),
});

/** An instruction in a list: the items of GET /instructions. */
export const InstructionSummary = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  client_party_id: Type.String(),
  source_account_id: Type.String(),
  state: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
/** A dated remark on an instruction: the items of GET /instructions/{id}/remarks. */
export const Remark = Type.Object({
  instruction_id: Type.String(),
  sequence: Minor,
  author_user_id: Type.String(),
  author_party_id: Type.String(),
  written_on: Type.String(),
  text: Type.String(),
});
/** A step an instruction has taken. */
export const InstructionStep = Type.Object({
  number: Minor,
  date: Type.String(),
  event: Type.String(),
  from_state: Type.String(),
  to_state: Type.String(),
  maker_user_id: Type.String(),
  checker_user_id: Nullable(Type.String()),
  entry_id: Nullable(Minor),
  reason: Nullable(Type.String()),
});
/** A signature collected on an instruction or its quote, with the digest of what it signed. */
const SignatureShown = Type.Object({
  user_id: Type.String(),
  signed_on: Type.String(),
  digest: Type.Optional(Type.String({ description: 'SHA-256 of the account signed' })),
});
/** An instruction's terms, state and signatures as stored (src/domain/custody/instruction.ts). */
export const InstructionTerms = Type.Object({
  id: Type.String(),
  client_party_id: Type.String(),
  source_account_id: Type.String(),
  selection: Type.Union([
    Type.Object({ kind: Type.Literal('bars'), bar_ids: Type.Array(Minor) }),
    Type.Object({ kind: Type.Literal('quantity'), fine_milli_oz: Minor }),
  ]),
  details: Type.Union([
    Type.Object({
      kind: Type.Literal('release'),
      representative_id: Type.String(),
      release_on: Type.String(),
    }),
    Type.Object({
      kind: Type.Literal('transfer'),
      target: Type.Union([
        Type.Object({ kind: Type.Literal('existing_account'), account_id: Type.String() }),
        Type.Object({
          kind: Type.Literal('disposal_account'),
          account_id: Type.String(),
          beneficiary_party_id: Type.String(),
          beneficiary_name: Type.String(),
        }),
      ]),
    }),
    Type.Object({
      kind: Type.Literal('shipment'),
      destination: Type.String(),
      carrier: Type.String(),
      insurance_value: Money,
    }),
  ]),
  state: Type.String(),
  drafted_by: Type.String(),
  drafted_on: Type.String(),
  last_step_on: Type.String(),
  signatures: Type.Array(SignatureShown),
  quote: Nullable(
    Type.Object({ transport: Money, insurance: Money, quoted_on: Type.String(), valid_until: Type.String() }),
  ),
  quote_signatures: Type.Array(SignatureShown),
});
/** An instruction with its steps, bars and remarks: GET /instructions/{id}. */
export const InstructionShown = Type.Object({
  instruction: InstructionTerms,
  account: Type.Array(Type.String(), {
    description:
      'what signing it (or accepting its quote) binds the client to, line by line, from the books now',
  }),
  digest: Type.String({
    pattern: '^[0-9a-f]{64}$',
    description: 'SHA-256 of the account: a signatory sends it to sign or accept the quote',
  }),
  steps: Type.Array(InstructionStep),
  bars: Type.Array(Minor, { description: 'the bars reserved for or moved by the instruction' }),
  remarks: Type.Array(Remark),
});
/** What a step of an instruction did: POST /instructions/{id}/{step}. */
export const StepDone = Type.Object({
  instruction_id: Type.String(),
  state: Type.String(),
  entry_id: Nullable(Minor),
  pending_approval: Nullable(Minor),
});

/** A message in the register of correspondence: the items of GET /correspondence. */
export const RegisterEntry = Type.Object({
  id: Minor,
  direction: Type.String({ description: 'in or out' }),
  correspondent: Type.String(),
  number: Minor,
  registered_at: Type.String(),
  date: Type.String(),
  classification: Type.String(),
  copies: Minor,
  subject: Type.String(),
  message_type: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  state: Type.String(),
  linked: Nullable(Type.String()),
});

/** Where treasury money is or goes: a correspondent account, a cash account, or a payer outside. */
export const TreasuryPlace = Type.Object({
  kind: Type.Enum(['correspondent', 'outside', 'depository']),
  name: Type.String({ description: 'the correspondent account or cash account id, or the payer’s name' }),
});

/** A client bank's treasury on a date: GET /treasury/{id}. */
export const TreasuryView = Type.Object({
  party_id: Type.String(),
  date: Type.String(),
  currencies: Type.Array(
    Type.Object({
      currency: Currency,
      at_correspondents: Minor,
      at_depository: Minor,
      under_way: Minor,
      set_aside: Minor,
      earmarked: Minor,
      left: Minor,
      left_in_sterling: Nullable(Minor),
    }),
  ),
  sterling: Nullable(
    Type.Object({
      total: Minor,
      rates: Type.Record(Type.String(), Type.String(), {
        description: 'units of each currency per £, as stated',
      }),
    }),
  ),
  sterling_refusal: Nullable(
    Type.Object({ code: Type.String(), message: Type.String(), field: Type.String() }),
  ),
  correspondents: Type.Array(
    Type.Object({
      id: Type.String(),
      bank: Type.String(),
      currency: Currency,
      account_reference: Type.String(),
      stated: Nullable(Minor),
      as_of: Nullable(Type.String()),
      out_since: Minor,
      in_since: Minor,
      position: Minor,
      history: Type.Array(
        Type.Object({
          id: Minor,
          as_of: Type.String(),
          minor: Minor,
          recorded_by: Type.String(),
          recorded_at: Type.String(),
        }),
      ),
    }),
  ),
  depository: Type.Array(Type.Object({ account_id: Type.String(), currency: Currency, balance: Minor })),
  transfers: Type.Array(
    Type.Object({
      id: Type.String(),
      currency: Currency,
      minor: Minor,
      from: TreasuryPlace,
      to: TreasuryPlace,
      sent_on: Type.String(),
      expected_on: Type.String(),
      state: Type.Enum(['under_way', 'arrived', 'cancelled']),
      state_on_date: Type.Enum(['not_yet_sent', 'under_way', 'arrived', 'cancelled']),
      overdue: Type.Boolean({ description: 'under way on the date, past its expected value date' }),
      closed_on: Nullable(Type.String()),
      note: Nullable(Type.String()),
      recorded_by: Type.String(),
      closed_by: Nullable(Type.String()),
    }),
  ),
  earmarks: Type.Array(
    Type.Object({
      id: Type.String(),
      currency: Currency,
      minor: Minor,
      purpose: Type.String(),
      from: Type.String(),
      until: Type.String(),
      released_on: Nullable(Type.String()),
      active: Type.Boolean({ description: 'holds its sum on the date' }),
      recorded_by: Type.String(),
    }),
  ),
  set_aside: Type.Array(
    Type.Object({
      trade_id: Type.String(),
      currency: Currency,
      minor: Minor,
      basis: Type.Enum(['budget', 'price_paid', 'estimate', 'unpriced']),
      price_date: Nullable(Type.String()),
    }),
  ),
});

/** Weights an event states: counted (where they differed from the books), or found on reweighing. */
export const BarWeights = Type.Object({ gross_milli_oz: Minor, fineness: Minor, fine_milli_oz: Minor });

/** An event of a bar's life, said in a sentence. */
export const BarEvent = Type.Object({
  date: Type.String(),
  kind: Type.Enum([...BAR_EVENT_KINDS]),
  entry_id: Nullable(Minor),
  source_account_id: Nullable(Type.String()),
  target_account_id: Nullable(Type.String()),
  reference: Nullable(Type.String({ description: 'the trade, the instruction, or the weight list' })),
  documents: Type.Array(Type.Object({ id: Minor, kind: Type.String() })),
  handed_to: Nullable(
    Type.Object({ representative_id: Type.String(), name: Type.String(), identity_document: Type.String() }),
  ),
  destination: Nullable(Type.String()),
  weights: Type.Optional(Nullable(BarWeights)),
  weights_before: Type.Optional(Nullable(BarWeights)),
  recorded_at: Type.String(),
  description: Type.String(),
});

/** A bar's chain of custody: GET /bars/{refiner}/{serial}/history. */
export const BarHistory = Type.Object({
  bar: Type.Pick(Bar, [
    'id',
    'refiner',
    'serial',
    'year',
    'gross_milli_oz',
    'fineness',
    'fine_milli_oz',
    'bar_id',
  ]),
  events: Type.Array(BarEvent),
});

/** The bars accepting an instruction would reserve, or the bars it holds: GET /instructions/{id}/proposal. */
export const Proposal = Type.Object({
  instruction_id: Type.String(),
  asked_fine_milli_oz: Nullable(Minor),
  proposed: Type.Boolean(),
  fine_milli_oz: Minor,
  bars: Type.Array(Bar),
});

/** A custody account's gold held, reserved and free to offer: the items of GET /vault/stock. */
export const AccountStock = Type.Object({
  account_id: Type.String(),
  held_fine_milli_oz: Minor,
  reserved_fine_milli_oz: Minor,
  free_fine_milli_oz: Minor,
  held_bars: Minor,
  reserved_bars: Minor,
  free_bars: Minor,
});

/** What a representative has received against its limit: the items of GET /representatives/received. */
export const RepresentativeUsage = Type.Object({
  representative_id: Type.String(),
  received_fine_milli_oz: Minor,
  limit_fine_milli_oz: Nullable(Minor),
  remaining_fine_milli_oz: Nullable(Minor),
});

/** The custody fee of a fee schedule. */
export const CustodyFee = Type.Union([
  Type.Object({ kind: Type.Literal('none') }),
  Type.Object({ kind: Type.Literal('rate_of_value'), per_year_per10k: Minor }),
  Type.Object({ kind: Type.Literal('per_bar'), per_bar_per_year_minor: Minor }),
]);

/** A client bank's fee schedule: its custody fee, handling fees, and who bears shipment costs. */
export const FeeSchedule = Type.Object({
  agreement_id: Type.String(),
  currency: Type.String(),
  custody: CustodyFee,
  handling_per_release_minor: Minor,
  handling_per_transfer_minor: Minor,
  handling_per_shipment_minor: Minor,
  shipment_costs_payer: Type.Enum(['client', 'depository']),
});

/** The fee schedule in force for a client bank: the items of GET /fee-schedules. */
export const FeeScheduleInForce = Type.Object({
  party_id: Type.String(),
  party_name: Type.String(),
  source: Type.Enum(['agreed', 'default']),
  schedule: FeeSchedule,
  made_by: Nullable(Type.String()),
  checked_by: Nullable(Type.String()),
  updated_at: Nullable(Type.String()),
});

/** A list answered whole, in an envelope: GET /fee-schedules, /vault/stock, /representatives/received. */
export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'from next_cursor of the page before' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
};

/** The `Idempotency-Key` header that every value-moving POST requires. */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.String({
    minLength: 1,
    maxLength: 128,
    pattern: '^[\\x21-\\x7e]+$',
    description: 'a client-chosen key; a retry with the same key returns the first result',
  }),
});

/** The same header where it is optional: a retry with it replays, without it is refused by state. */
export const OptionalIdempotencyHeaders = Type.Partial(IdempotencyHeaders);

export const Replayed = {
  replayed: Type.Boolean({ description: 'true when a retry replayed the first result' }),
};

/** The error responses a route may give, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorBody> {
  const responses: Record<number, typeof ErrorBody> = {};
  for (const status of [400, 401, ...statuses]) responses[status] = ErrorBody;
  return responses;
}

/** What Fastify pipes to the client (a Node Readable), named by its shape to keep Node's types out. */
interface Pipeable {
  pipe(destination: never): unknown;
}

/** A streamed download: CSV text. */
export const CsvDownload = Type.Unsafe<Pipeable | string>({ type: 'string', description: 'text/csv' });

export type MoneyBody = Static<typeof Money>;

/** A step or change proposed for four eyes: the approval a second user decides. */
export const Pending = Type.Object({ pending_approval: Minor });
/** A user proposed: POST /users, with the first part of its enrolment secret, shown once. */
export const UserProposed = Type.Object({
  pending_approval: Minor,
  enrolment_secret_part: Type.String({
    description:
      'the first part of the new user\u2019s enrolment secret, for its proposer to hand over out of band; ' +
      'its approver is shown the second',
  }),
});

/** A digest of an account shown to a user, sent back to approve or sign exactly that account. */
export const AccountDigest = Type.String({
  pattern: '^[0-9a-f]{64}$',
  description: 'the digest of the account shown (GET /approvals/{id}, GET /instructions/{id})',
});

/** The longest letter written over the API, in characters: some pages, well within an envelope. */
export const LETTER_TEXT_CHARACTERS_MAXIMUM = 20_000;

/** POST /correspondence/letters: a free-format letter (MT699) to a correspondent. */
export const LetterBody = Type.Object(
  {
    to: Identifier,
    classification: Type.Enum(['confidential', 'secret', 'top_secret']),
    subject: Type.String({ minLength: 1, maxLength: 200, description: 'one line, for the register' }),
    text: Type.String({ minLength: 1, maxLength: LETTER_TEXT_CHARACTERS_MAXIMUM }),
    date: Type.Optional(IsoDate),
  },
  { additionalProperties: false },
);

/** A letter queued in the outbox: its place in the register; `ingot sync` delivers it. */
export const LetterQueued = Type.Object({
  id: Minor,
  number: Minor,
  sequence: Minor,
  reference: Type.String(),
  correspondent: Type.String(),
  ...Replayed,
});

/** A breach found by verifying the books: GET /verify. */
export const Breach = Type.Object({ rule: Type.String(), detail: Type.String() });
/** A bar as a count of the vault states it. */
export const CountedBar = Type.Object({
  refiner: Type.String(),
  serial: Type.String(),
  gross_milli_oz: Minor,
  fineness: Minor,
  fine_milli_oz: Minor,
});
/** Bars a count found out of line with the books, and how many. */
export const Differences = <T extends TSchema>(item: T) =>
  Type.Object({ count: Minor, bars: Type.Array(item) });
/** A count of the vault against the books: POST /reconcile. */
export const Reconciliation = Type.Object({
  counted: Minor,
  booked: Minor,
  matched: Minor,
  missing: Differences(CountedBar),
  unexpected: Differences(CountedBar),
  differing: Differences(Type.Object({ booked: CountedBar, counted: CountedBar })),
  recorded: Type.Optional(
    Type.Object({
      count_id: Minor,
      entry_id: Minor,
      document_id: Minor,
      date: IsoDate,
      sha256: Type.String(),
    }),
  ),
});

/** GET /verify. */
export const Verification = Type.Object({ checks: Type.Integer(), breaches: Type.Array(Breach) });

/** A refiner of the Good Delivery List: GET /refiners. */
export const Refiner = Type.Object({
  brand_code: Type.String(),
  name: Type.String(),
  country: Type.String(),
  status: Type.Enum(['current', 'former']),
  listed_on: Nullable(Type.String()),
  removed_on: Nullable(Type.String()),
});

/** What replacing the list of refiners did: POST /refiners/import. */
export const RefinersImported = Type.Object({
  current: Type.Integer(),
  former: Type.Integer(),
  removed: Type.Array(Type.String(), { description: 'brand codes the list left out, now former' }),
  unchanged: Type.Boolean({ description: 'the list imported is the present list: nothing written' }),
});

/** One of a user's API tokens, never the token itself: GET /tokens. */
export const TokenView = Type.Object({
  id: Type.String(),
  label: Type.String(),
  created_at: Type.String(),
  expires_at: Type.String(),
  revoked_at: Nullable(Type.String()),
});

/** An authorized representative of a client bank: the items of GET /representatives. */
export const AuthorizedRepresentative = Type.Object({
  id: Type.String(),
  client_party_id: Type.String(),
  name: Type.String(),
  identity_document: Type.String({ description: 'the document the operator sees at hand-over' }),
  authority_valid_from: Type.String(),
  authority_valid_until: Type.String({ description: 'the last day of the authority, included' }),
  revoked_on: Nullable(Type.String({ description: 'void from this day on' })),
  account_ids: Type.Array(Type.String()),
  limit_fine_milli_oz: Nullable(Minor),
  made_by: Type.String(),
  checked_by: Nullable(Type.String()),
});

/** A trade with its bar list: GET /trades/{id}. */
export const TradeShown = Type.Object({ trade: Trade, bars: Type.Array(Bar) });

/** Bars allocated to a trade and reserved: POST /trades/{id}/allocate. */
export const Allocation = Type.Object({
  trade_id: Type.String(),
  bars: Type.Integer(),
  target_fine_milli_oz: Minor,
  allocated_fine_milli_oz: Minor,
  gap_fine_milli_oz: Minor,
  reference_date: Nullable(Type.String()),
  bar_list: Type.Array(Bar),
});

/** A trade settled, delivery versus payment: POST /trades/{id}/settle. */
export const Settlement = Type.Object({
  trade_id: Type.String(),
  entry_id: Minor,
  date: Type.String(),
  price_minor_per_oz: Minor,
  fine_milli_oz: Minor,
  consideration_minor: Minor,
  currency: Type.String(),
  bars: Minor,
  ...Replayed,
});

/** An offer made: POST /offers. */
export const OfferMade = Type.Object({ offer_id: Type.String(), ...Replayed });
/** An offer accepted, a trade made: POST /offers/{id}/accept. */
export const OfferAccepted = Type.Object({ trade_id: Type.String(), ...Replayed });

/** A list of fixings proposed: POST /prices/import. */
export const FixingsProposed = Type.Object({
  /** The approval the fixings wait as; null when every fixing of the list was recorded already. */
  pending_approval: Type.Union([Minor, Type.Null()]),
  proposed: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Optional(Type.Array(Type.Object({ date: Type.String(), reason: Type.String() }))),
});

/** A bar received although the refiners list does not vouch for its brand. */
export const BarFlag = Type.Object({
  sheet: Nullable(Type.String()),
  row: Type.Integer(),
  brand: Type.String(),
  reason: Type.String(),
});

/** A weight list received into a custody account: POST /bars/import. */
export const BarsImported = Type.Object({
  entry_id: Minor,
  bars: Type.Integer(),
  fine_milli_oz: Minor,
  flagged: Type.Array(BarFlag, { description: 'bars received under refiners=flag, by row' }),
  ...Replayed,
});

/** How far an import has come, and how it ended: GET /bars/import/progress. */
export const ImportProgress = Type.Object({
  phase: Type.Enum(['receiving', 'writing', 'sealing', 'done', 'refused']),
  bytes_received: Type.Integer(),
  bytes_total: Nullable(Type.Integer()),
  rows_total: Nullable(Type.Integer({ description: 'bar rows in the file, once received' })),
  rows_done: Type.Integer({ description: 'bar rows read, checked and written so far' }),
  outcome: Nullable(
    Type.Object({ status: Type.Integer(), code: Nullable(Type.String()), message: Type.String() }),
  ),
});

/** Money booked into or out of a cash account: POST /cash/deposits and /cash/withdrawals. */
export const CashBooked = Type.Object({ entry_id: Type.String(), ...Replayed });

/** An account at a correspondent bank registered: POST /treasury/{id}/correspondents. */
export const Created = Type.Object({ id: Type.String() });
/** A treasury record written under an idempotency key: a balance, a transfer, an earmark. */
export const Recorded = Type.Object({ id: Type.String(), ...Replayed });

/** An instruction drafted: POST /instructions. */
export const InstructionDrafted = Type.Object({ instruction_id: Type.String() });

/** An approval decided and carried out: POST /approvals/{id}/approve. */
export const Approved = Type.Object({ approval_id: Minor, outcome: Type.Unknown() });

/** A message opened: its text for a cleared reader: POST /correspondence/{id}/open. */
export const LetterOpened = Type.Object({ entry: RegisterEntry, text: Nullable(Type.String()) });

/** Signed in: POST /session. */
export const SignedIn = Type.Object({
  token: Type.String({ description: 'send as Authorization: Bearer …; the desk gets it as a cookie too' }),
  user: User,
  expires_at: Type.String(),
});
/** An API token made, shown this once: POST /tokens. */
export const TokenCreated = Type.Object({
  id: Type.String(),
  token: Type.String(),
  label: Type.String(),
  expires_at: Type.String(),
});
/** A user enrolled, its own password set: POST /enrolment. */
export const Enrolled = Type.Object({ user_id: Type.String() });
/** A user's sessions and API tokens ended: POST /users/{id}/end-sessions. */
export const SessionsEnded = Type.Object({ ended: Type.Integer() });
