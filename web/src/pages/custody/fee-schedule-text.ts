// A fee schedule in words, as the table and the confirmation state it; and the form's fields read
// into the body POST /fee-schedules takes, or the reason they cannot be.
import { readMoney, showAmount } from '../../format.ts';
import type { Currency, CustodyFee, FeeSchedule as Schedule } from '../../types.ts';

export type { Currency, CustodyFee, FeeSchedule as Schedule } from '../../types.ts';

/** The custody fee in words. */
export function custodyFeeText(schedule: Schedule, date: string): string {
  const fee = schedule.custody;
  if (fee.kind === 'none') return 'none';
  if (fee.kind === 'rate_of_value') return `${fee.per_year_per10k} per 10,000 of the value a year`;
  return `${showAmount(schedule.currency, fee.per_bar_per_year_minor, date)} per bar a year`;
}

/** The lines stating a schedule, for the confirmation. */
export function scheduleLines(party: string, schedule: Schedule, date: string): string[] {
  const money = (minor: string) => showAmount(schedule.currency, minor, date);
  return [
    `Fee schedule of ${party}: agreement ${schedule.agreement_id}, in ${schedule.currency}`,
    `Custody fee: ${custodyFeeText(schedule, date)}`,
    `Handling: ${money(schedule.handling_per_release_minor)} a release, ` +
      `${money(schedule.handling_per_transfer_minor)} a transfer, ${money(schedule.handling_per_shipment_minor)} a shipment`,
    `Transport and insurance of a shipment borne by the ${schedule.shipment_costs_payer}`,
  ];
}

/** The form's fields, as typed. */
export interface FeeFields {
  readonly party: string;
  readonly agreement: string;
  readonly currency: Currency;
  readonly custody: CustodyFee['kind'];
  /** The rate (per 10,000 a year) or the sum per bar a year, by `custody`. */
  readonly custody_value: string;
  readonly release: string;
  readonly transfer: string;
  readonly shipment: string;
  readonly payer: 'client' | 'depository';
}

function custodyOf(fields: FeeFields): CustodyFee | string {
  if (fields.custody === 'none') return { kind: 'none' };
  if (fields.custody === 'rate_of_value') {
    const rate = fields.custody_value.trim();
    return /^[0-9]{1,6}$/.test(rate)
      ? { kind: 'rate_of_value', per_year_per10k: rate }
      : 'the custody rate is a whole number per 10,000 of the value a year';
  }
  const sum = readMoney(fields.custody_value, fields.currency);
  if (!sum.ok) return `custody fee per bar: ${sum.reason}`;
  if (sum.currency !== fields.currency) return `custody fee per bar: give it in ${fields.currency}`;
  return { kind: 'per_bar', per_bar_per_year_minor: sum.minor };
}

/** The schedule the fields state, or what is wrong with them. */
export function scheduleOf(
  fields: FeeFields,
): { ok: true; schedule: Schedule } | { ok: false; reason: string } {
  if (fields.party === '') return { ok: false, reason: 'choose the bank' };
  if (fields.agreement.trim() === '') return { ok: false, reason: 'give the agreement' };
  const custody = custodyOf(fields);
  if (typeof custody === 'string') return { ok: false, reason: custody };
  const handling: Record<'release' | 'transfer' | 'shipment', string> = {
    release: '',
    transfer: '',
    shipment: '',
  };
  for (const kind of ['release', 'transfer', 'shipment'] as const) {
    const text = fields[kind].trim() === '' ? '0' : fields[kind];
    const sum = readMoney(text, fields.currency);
    if (!sum.ok) return { ok: false, reason: `handling of a ${kind}: ${sum.reason}` };
    if (sum.currency !== fields.currency)
      return { ok: false, reason: `handling of a ${kind}: give it in ${fields.currency}` };
    handling[kind] = sum.minor;
  }
  return {
    ok: true,
    schedule: {
      agreement_id: fields.agreement.trim(),
      currency: fields.currency,
      custody,
      handling_per_release_minor: handling.release,
      handling_per_transfer_minor: handling.transfer,
      handling_per_shipment_minor: handling.shipment,
      shipment_costs_payer: fields.payer,
    },
  };
}
