// What the API sends the desk, as the server declares it: each type is the Static type of the
// TypeBox schema a route answers with (src/server/schemas.ts), so the desk cannot drift from the
// wire. The imports are of types only: Vite erases them and bundles no server code or typebox.
// Amounts and weights are decimal strings of their minor unit.
import type { Static } from 'typebox';
import type {
  Account as AccountSchema,
  AccountStock as AccountStockSchema,
  Allocation as AllocationSchema,
  Approval as ApprovalSchema,
  Approved as ApprovedSchema,
  AuthorizedRepresentative as AuthorizedRepresentativeSchema,
  BarEvent as BarEventSchema,
  BarFlag as BarFlagSchema,
  BarHistory as BarHistorySchema,
  Bar as BarSchema,
  BarsImported as BarsImportedSchema,
  CashBooked as CashBookedSchema,
  Created as CreatedSchema,
  Currency as CurrencySchema,
  CustodyFee as CustodyFeeSchema,
  Differences as DifferencesSchema,
  Enrolled as EnrolledSchema,
  ErrorBody as ErrorBodySchema,
  FeeScheduleInForce as FeeScheduleInForceSchema,
  FeeSchedule as FeeScheduleSchema,
  Fixing as FixingSchema,
  FixingsProposed as FixingsProposedSchema,
  ImportProgress as ImportProgressSchema,
  InstructionDrafted as InstructionDraftedSchema,
  InstructionShown as InstructionShownSchema,
  InstructionSummary as InstructionSummarySchema,
  Items as ItemsSchema,
  JournalEntry as JournalEntrySchema,
  LetterOpened as LetterOpenedSchema,
  LetterQueued as LetterQueuedSchema,
  OfferAccepted as OfferAcceptedSchema,
  OfferMade as OfferMadeSchema,
  Offer as OfferSchema,
  Page as PageSchema,
  Party as PartySchema,
  Pending as PendingSchema,
  Proposal as ProposalSchema,
  Quote as QuoteSchema,
  Reconciliation as ReconciliationSchema,
  Recorded as RecordedSchema,
  Refiner as RefinerSchema,
  RefinersImported as RefinersImportedSchema,
  RegisterEntry as RegisterEntrySchema,
  Remark as RemarkSchema,
  RepresentativeUsage as RepresentativeUsageSchema,
  Role as RoleSchema,
  Session as SessionSchema,
  SessionsEnded as SessionsEndedSchema,
  Settlement as SettlementSchema,
  SignedIn as SignedInSchema,
  StatementLine as StatementLineSchema,
  Statement as StatementSchema,
  StepDone as StepDoneSchema,
  TokenCreated as TokenCreatedSchema,
  TokenView as TokenViewSchema,
  Trade as TradeSchema,
  TradeShown as TradeShownSchema,
  TreasuryPlace as TreasuryPlaceSchema,
  TreasuryView as TreasuryViewSchema,
  UserProposed as UserProposedSchema,
  User as UserSchema,
  Verification as VerificationSchema,
} from '../../src/server/schemas.ts';

export type Role = Static<typeof RoleSchema>;
export type Currency = Static<typeof CurrencySchema>;

export type User = Static<typeof UserSchema>;
/** A user proposed, with the first part of its enrolment secret: POST /users. */
export type UserProposed = Static<typeof UserProposedSchema>;
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

/** A refusal, whatever the route: {code, message, field}, and `problems` for a refused list. */
export type ErrorBody = Static<typeof ErrorBodySchema>;
/** What a proposal under four eyes answers: the approval it waits as (POST /prices, /users, …). */
export type Pending = Static<typeof PendingSchema>;

/** An item of GET /representatives. */
export type AuthorizedRepresentative = Static<typeof AuthorizedRepresentativeSchema>;
/** POST /instructions. */
export type InstructionDrafted = Static<typeof InstructionDraftedSchema>;
/** POST /approvals/{id}/approve: `outcome` is whatever the action carried out answers. */
export type Approved = Static<typeof ApprovedSchema>;

/** GET /trades/{id}. */
export type TradeShown = Static<typeof TradeShownSchema>;
/** POST /trades/{id}/allocate. */
export type Allocation = Static<typeof AllocationSchema>;
/** POST /trades/{id}/settle. */
export type Settlement = Static<typeof SettlementSchema>;
/** POST /offers. */
export type OfferMade = Static<typeof OfferMadeSchema>;
/** POST /offers/{id}/accept. */
export type OfferAccepted = Static<typeof OfferAcceptedSchema>;
/** POST /prices/import. */
export type FixingsProposed = Static<typeof FixingsProposedSchema>;

/** POST /bars/import. */
export type BarsImported = Static<typeof BarsImportedSchema>;
export type BarFlag = Static<typeof BarFlagSchema>;
/** GET /bars/import/progress. */
export type ImportProgress = Static<typeof ImportProgressSchema>;
/** Bars a count found out of line with the books (of Reconciliation), generic over the bar's type. */
export type Differences<T> = Omit<Static<ReturnType<typeof DifferencesSchema>>, 'bars'> & { bars: T[] };
/** POST /cash/deposits and /cash/withdrawals. */
export type CashBooked = Static<typeof CashBookedSchema>;

/** POST /treasury/{id}/correspondents. */
export type Created = Static<typeof CreatedSchema>;
/** POST /treasury/{id}/balances, …/transfers, …/earmarks. */
export type Recorded = Static<typeof RecordedSchema>;

/** POST /correspondence/{id}/open. */
export type LetterOpened = Static<typeof LetterOpenedSchema>;

/** POST /session. */
export type SignedIn = Static<typeof SignedInSchema>;
/** POST /tokens: the token itself, shown this once. */
export type TokenCreated = Static<typeof TokenCreatedSchema>;
/** POST /enrolment. */
export type Enrolled = Static<typeof EnrolledSchema>;
/** POST /users/{id}/end-sessions. */
export type SessionsEnded = Static<typeof SessionsEndedSchema>;
