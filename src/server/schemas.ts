// The shapes the API speaks, declared once: they check requests, type the handlers and make the
// OpenAPI document. Amounts and weights are decimal strings of their minor unit (see wire.ts).
import type { Readable } from 'node:stream';
import { type Static, type TSchema, Type } from 'typebox';

/** An integer of a minor unit as a decimal string: 1/4800 £, cents, 0.001 fine oz, 1/10,000 fineness. */
export const Minor = Type.String({
  pattern: '^-?[0-9]{1,40}$',
  description: 'an integer of the minor unit, as a decimal string',
  examples: ['60960'],
});
/** A positive integer of a minor unit as a decimal string. */
export const PositiveMinor = Type.String({
  pattern: '^0*[1-9][0-9]{0,39}$',
  description: 'a positive integer of the minor unit, as a decimal string',
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
  created_at: Type.String(),
});

/** A page of a long list and the cursor of the next page (null at the end). */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    next_cursor: Nullable(Type.String({ description: 'pass as ?cursor= for the next page' })),
    total: Type.Optional(Type.Integer({ description: 'how many match, given on the first page only' })),
  });

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

/** A streamed download: CSV text. */
export const CsvDownload = Type.Unsafe<Readable | string>({ type: 'string', description: 'text/csv' });

export type MoneyBody = Static<typeof Money>;
