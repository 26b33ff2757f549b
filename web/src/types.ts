// What the API sends the desk, as the server declares it: each type is the Static type of the
// TypeBox schema a route answers with (src/server/schemas.ts), so the desk cannot drift from the
// wire. The imports are of types only: Vite erases them and bundles no server code or typebox.
// Amounts and weights are decimal strings of their minor unit.
import type { Static } from 'typebox';
import type {
  Account as AccountSchema,
  AccountStock as AccountStockSchema,
  Approval as ApprovalSchema,
  BarEvent as BarEventSchema,
  BarHistory as BarHistorySchema,
  Bar as BarSchema,
  Currency as CurrencySchema,
  CustodyFee as CustodyFeeSchema,
  FeeScheduleInForce as FeeScheduleInForceSchema,
  FeeSchedule as FeeScheduleSchema,
  Fixing as FixingSchema,
  InstructionShown as InstructionShownSchema,
  InstructionSummary as InstructionSummarySchema,
  Items as ItemsSchema,
  JournalEntry as JournalEntrySchema,
  LetterQueued as LetterQueuedSchema,
  Offer as OfferSchema,
  Page as PageSchema,
  Party as PartySchema,
  Proposal as ProposalSchema,
  Quote as QuoteSchema,
  Reconciliation as ReconciliationSchema,
  Refiner as RefinerSchema,
  RefinersImported as RefinersImportedSchema,
  RegisterEntry as RegisterEntrySchema,
  Remark as RemarkSchema,
  RepresentativeUsage as RepresentativeUsageSchema,
  Role as RoleSchema,
  Session as SessionSchema,
  StatementLine as StatementLineSchema,
  Statement as StatementSchema,
  StepDone as StepDoneSchema,
  TokenView as TokenViewSchema,
  Trade as TradeSchema,
  TreasuryPlace as TreasuryPlaceSchema,
  TreasuryView as TreasuryViewSchema,
  User as UserSchema,
  Verification as VerificationSchema,
} from '../../src/server/schemas.ts';

export type Role = Static<typeof RoleSchema>;
export type Currency = Static<typeof CurrencySchema>;

export type User = Static<typeof UserSchema>;
/** GET /session. */
export type Session = Static<typeof SessionSchema>;
export type Party = Static<typeof PartySchema>;
export type Account = Static<typeof AccountSchema>;
export type Offer = Static<typeof OfferSchema>;
/**
 * state, asked_kind and budget_currency are plain strings on the wire (the server's rows are), not
 * the unions the desk once assumed; the desk compares them with the values it knows.
 */
export type Trade = Static<typeof TradeSchema>;
export type Bar = Static<typeof BarSchema>;
/** currency is a plain string on the wire. */
export type Fixing = Static<typeof FixingSchema>;
/** POST /offers/{id}/quote. */
export type Quote = Static<typeof QuoteSchema>;
export type StatementLine = Static<typeof StatementLineSchema>;
/** GET /accounts/{id}/statement. */
export type Statement = Static<typeof StatementSchema>;
/** An item of GET /journal. */
export type JournalEntry = Static<typeof JournalEntrySchema>;

/**
 * A page of a long list: the server's envelope (next_cursor, total) around items of T. Generic
 * over the item's TypeScript type, where the schema is generic over the item's schema.
 */
export type Page<T> = Omit<Static<ReturnType<typeof PageSchema>>, 'items'> & { items: T[] };

/** A client bank's treasury on a date: GET /treasury/{id}. */
export type TreasuryView = Static<typeof TreasuryViewSchema>;
/** One currency of the treasury on the date. */
export type TreasuryLine = TreasuryView['currencies'][number];
export type TreasuryPlace = Static<typeof TreasuryPlaceSchema>;
export type TreasuryCorrespondent = TreasuryView['correspondents'][number];
export type TreasuryTransfer = TreasuryView['transfers'][number];
export type TreasuryEarmark = TreasuryView['earmarks'][number];

/** An item of GET /approvals; payload and outcome are whatever the action carries. */
export type Approval = Static<typeof ApprovalSchema>;

/** An item of GET /instructions. */
export type InstructionSummary = Static<typeof InstructionSummarySchema>;
/** GET /instructions/{id}; `instruction` is a record of unknown values on the wire. */
export type InstructionShown = Static<typeof InstructionShownSchema>;
export type Remark = Static<typeof RemarkSchema>;
/** What POST /instructions/{id}/{step} answers. */
export type StepDone = Static<typeof StepDoneSchema>;

/** An item of GET /correspondence. */
export type RegisterEntry = Static<typeof RegisterEntrySchema>;

/** What POST /correspondence/letters answers: the letter's place in the register. */
export type LetterQueued = Static<typeof LetterQueuedSchema>;

/** An event of a bar's life. */
export type BarEvent = Static<typeof BarEventSchema>;
/** GET /bars/{refiner}/{serial}/history. */
export type BarHistory = Static<typeof BarHistorySchema>;

/** GET /instructions/{id}/proposal. */
export type Proposal = Static<typeof ProposalSchema>;

/** An item of GET /vault/stock. */
export type AccountStock = Static<typeof AccountStockSchema>;

/** An item of GET /representatives/received. */
export type RepresentativeUsage = Static<typeof RepresentativeUsageSchema>;

/** The custody fee of a fee schedule. */
export type CustodyFee = Static<typeof CustodyFeeSchema>;
/** A fee schedule; currency is a plain string on the wire. */
export type FeeSchedule = Static<typeof FeeScheduleSchema>;
/** An item of GET /fee-schedules. */
export type FeeScheduleInForce = Static<typeof FeeScheduleInForceSchema>;

/** A list the server answers whole, in an envelope: GET /fee-schedules and others. */
export type Items<T> = Omit<Static<ReturnType<typeof ItemsSchema>>, 'items'> & { items: T[] };

/** POST /reconcile: a count of the vault against the books. */
export type Reconciliation = Static<typeof ReconciliationSchema>;
/** GET /verify. */
export type Verification = Static<typeof VerificationSchema>;
/** An item of GET /refiners, and what POST /refiners/import answers. */
export type Refiner = Static<typeof RefinerSchema>;
export type RefinersImported = Static<typeof RefinersImportedSchema>;
/** An item of GET /tokens. */
export type TokenView = Static<typeof TokenViewSchema>;
