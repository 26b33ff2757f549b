// Amounts and weights for people, by the core's own rules (no floating point): sterling before
// Decimal Day in pounds, shillings and pence, gold in fine ounces and tonnes.
import { type CurrencyCode, formatLsd, formatMoney, parseMoney } from '../../src/domain/money.ts';
import { describeWeight, formatFineness, formatOunces, parseQuantity } from '../../src/domain/weight.ts';

/** An amount of a currency or of gold (XAU) as people read it. */
export function showAmount(unit: string, minor: string, date?: string): string {
  if (unit === 'XAU') return describeWeight(BigInt(minor));
  return formatMoney({ currency: unit as CurrencyCode, minor: BigInt(minor) }, date);
}

/** A fine weight: "562,429.696 fine oz (17.494 t)". */
export function showWeight(milli: string): string {
  return describeWeight(BigInt(milli));
}

/** Ounces with three decimals. */
export function showOunces(milli: string): string {
  return formatOunces(BigInt(milli));
}

/** A fineness in per mille: "995.8‰". */
export function showFineness(per10k: string): string {
  return `${formatFineness(BigInt(per10k))}‰`;
}

/** A price per fine ounce, in shillings and pence for sterling before 1971. */
export function showPrice(currency: string, minor: string, date: string): string {
  if (currency === 'GBP' && date < '1971-02-15')
    return `${formatLsd(BigInt(minor), { shillingsOnly: true })}`;
  return formatMoney({ currency: currency as CurrencyCode, minor: BigInt(minor) }, date);
}

/** Reads a quantity typed by a person ("500 oz", "2 t", "1,000 kg") as milli-ounces. */
export function readQuantity(text: string): { ok: true; milli: string } | { ok: false; reason: string } {
  const parsed = parseQuantity(text);
  return parsed.ok ? { ok: true, milli: parsed.value.toString() } : { ok: false, reason: parsed.reason };
}

/** Reads a sum typed by a person ("£100,000", "USD 280,000", "£12 10s") as minor units. */
export function readMoney(
  text: string,
  fallback: CurrencyCode,
): { ok: true; currency: CurrencyCode; minor: string } | { ok: false; reason: string } {
  const parsed = parseMoney(text, fallback);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  return { ok: true, currency: parsed.value.currency, minor: parsed.value.minor.toString() };
}
