// Bar-level reporting in the layout of docs/BAR-REPORTING.md, modelled on the LBMA Gold Bar
// Integrity data standard: each bar keyed by the five identifiers (metal, weight, fineness, serial
// number, brand), as CSV with a header or as JSON Lines. Pure: rows in, text out.
import type { BarEventKind } from './bar-history.ts';
import { quoteCsvField } from './barlist.ts';
import { formatScaled } from './decimal.ts';
import { formatFineness } from './weight.ts';

/** The formats a report is written in. */
export const BAR_REPORT_FORMATS = ['csv', 'jsonl'] as const;
export type BarReportFormat = (typeof BAR_REPORT_FORMATS)[number];

/** Ingot holds gold only: every bar's metal is XAU. */
export const BAR_REPORT_METAL = 'XAU';

/** A bar as the report names it: its identifiers and its place in the books. */
export interface ReportedBar {
  readonly serial: string;
  readonly refiner: string;
  readonly year: bigint;
  readonly gross_milli_oz: bigint;
  readonly fineness: bigint;
  readonly fine_milli_oz: bigint;
  /** The depository party holding the bar in custody. */
  readonly custodian: string;
  /** The account that owns the bar (after the event, for an event). */
  readonly account_id: string;
  readonly owner_party_id: string;
}

/** The GBI-like name of each event of a bar's life that moves it (docs/BAR-REPORTING.md). */
export const GBI_EVENT_NAMES = {
  received: 'stock_in',
  owner_changed: 'ownership_change',
  released_to_representative: 'stock_out',
  dispatched: 'transit_out',
  delivered: 'stock_out',
  returned: 'transit_return',
} as const satisfies Partial<Record<BarEventKind, string>>;
export type ReportedEventKind = keyof typeof GBI_EVENT_NAMES;

/** One event of a bar, as the events report names it. */
export interface ReportedEvent extends ReportedBar {
  readonly kind: ReportedEventKind;
  readonly date: string;
  readonly entry_id: bigint;
  /** The account and party the bar left; empty for a bar received from outside. */
  readonly source_account_id: string | null;
  readonly source_party_id: string | null;
  /** The trade or instruction the event was done under, if any. */
  readonly reference: string | null;
}

const BAR_FIELDS = [
  'metal',
  'serial_number',
  'brand',
  'year',
  'gross_weight_oz',
  'fineness',
  'fine_weight_oz',
  'custodian',
  'account',
  'owner',
] as const;

/** The columns of the holdings report, in order. */
export const HOLDINGS_FIELDS = ['as_of', ...BAR_FIELDS] as const;

/** The columns of the events report, in order. */
export const EVENTS_FIELDS = [
  'event',
  'date',
  'entry_id',
  ...BAR_FIELDS,
  'from_account',
  'from_owner',
  'ingot_event',
  'reference',
] as const;

type Record_<F extends readonly string[]> = { readonly [K in F[number]]: string };

/** A bar's fields, every value a string: weights to 3 decimals of a troy ounce, fineness in ‰. */
function barFields(bar: ReportedBar): Record_<typeof BAR_FIELDS> {
  return {
    metal: BAR_REPORT_METAL,
    serial_number: bar.serial,
    brand: bar.refiner,
    year: bar.year.toString(),
    gross_weight_oz: formatScaled(bar.gross_milli_oz, 3),
    fineness: formatFineness(bar.fineness),
    fine_weight_oz: formatScaled(bar.fine_milli_oz, 3),
    custodian: bar.custodian,
    account: bar.account_id,
    owner: bar.owner_party_id,
  };
}

/** A bar held at the end of `date`, as a record of the holdings report. */
export function holdingRecord(date: string, bar: ReportedBar): Record_<typeof HOLDINGS_FIELDS> {
  return { as_of: date, ...barFields(bar) };
}

/** An event, as a record of the events report. */
export function eventRecord(event: ReportedEvent): Record_<typeof EVENTS_FIELDS> {
  return {
    event: GBI_EVENT_NAMES[event.kind],
    date: event.date,
    entry_id: event.entry_id.toString(),
    ...barFields(event),
    from_account: event.source_account_id ?? '',
    from_owner: event.source_party_id ?? '',
    ingot_event: event.kind,
    reference: event.reference ?? '',
  };
}

/** The header line of a report in `format`, or null for JSON Lines, which has none. */
export function reportHeader(fields: readonly string[], format: BarReportFormat): string | null {
  return format === 'csv' ? fields.join(',') : null;
}

/** One record as a line (no line end): CSV in the fields' order, or one JSON object. */
export function reportLine<F extends readonly string[]>(
  fields: F,
  record: Record_<F>,
  format: BarReportFormat,
): string {
  if (format === 'jsonl') return JSON.stringify(record, [...fields]);
  return fields.map((field: F[number]) => quoteCsvField(record[field])).join(',');
}
