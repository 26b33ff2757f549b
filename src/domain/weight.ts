// Weights and fineness of gold, exact. Rounding rules are stated here once and in docs/ROUNDING.md.
import { divideHalfUp, formatScaled, type Parsed, parseScaled } from './decimal.ts';
import { MINOR_MAX, withinMinorRange } from './money.ts';

/** Fine gold in thousandths of a troy ounce (0.001 oz), the unit of every gold balance. */
export type FineMilliOz = bigint;
/** Gross bar weight in thousandths of a troy ounce. */
export type GrossMilliOz = bigint;
/** Fineness in parts per ten thousand: 9950 is 995.0‰, 9999 is 999.9‰. */
export type FinenessPer10k = bigint;

export const FINENESS_MAX: FinenessPer10k = 10000n;
/** One troy ounce is 31.1034768 g exactly (1959 agreement): 311,034,768 ten-millionths of a gram. */
export const GRAM_E7_PER_TROY_OZ = 311_034_768n;
const GRAM_E7_PER_GRAM = 10_000_000n;
/** LBMA Good Delivery gross weights are stated in steps of 0.025 oz. */
export const GOOD_DELIVERY_WEIGHT_STEP_MILLI_OZ = 25n;

/**
 * Fine weight of a bar: gross × fineness, truncated to 0.001 oz.
 * Rounding rule R1: truncation, so the books never credit gold that is not in the bar.
 */
export function fineWeight(gross: GrossMilliOz, fineness: FinenessPer10k): FineMilliOz {
  if (gross < 0n || fineness < 0n || fineness > FINENESS_MAX) {
    throw new Error(`fineWeight: gross ${gross} or fineness ${fineness} out of range`);
  }
  return (gross * fineness) / FINENESS_MAX;
}

/** Parses an ounce figure with up to three decimals ("401.125") into milli-ounces. */
export function parseOunces(text: string, what = 'weight'): Parsed<bigint> {
  const parsed = parseScaled(text, 3, `${what} (oz)`);
  if (parsed.ok && !withinMinorRange(parsed.value)) return beyondRange(`${what} (oz)`, text);
  return parsed;
}

/** The refusal of a weight past MINOR_MAX thousandths of an ounce. */
function beyondRange(what: string, text: string): Parsed<never> {
  return {
    ok: false,
    reason: `${what} "${text}" is beyond ${MINOR_MAX} thousandths of an ounce (18 digits)`,
  };
}

/** Parses a fineness in per mille with one decimal ("995.8") into parts per ten thousand. */
export function parseFineness(text: string): Parsed<FinenessPer10k> {
  const parsed = parseScaled(text, 1, 'fineness (‰)');
  if (!parsed.ok) return parsed;
  if (parsed.value < 0n || parsed.value > FINENESS_MAX) {
    return { ok: false, reason: `fineness ${text}‰ is outside 0–1000.0‰` };
  }
  return parsed;
}

/** Formats parts per ten thousand as per mille with one decimal: 9958n → "995.8". */
export function formatFineness(fineness: FinenessPer10k): string {
  return formatScaled(fineness, 1);
}

/** Formats milli-ounces as "562,430.125" (three decimals, grouped). */
export function formatOunces(milli: bigint): string {
  return formatScaled(milli, 3, { group: true });
}

export type MassUnit = 'oz' | 'g' | 'kg' | 't';

const UNIT_NAMES: Record<string, MassUnit> = {
  oz: 'oz',
  ozt: 'oz',
  foz: 'oz',
  xau: 'oz',
  ounce: 'oz',
  ounces: 'oz',
  g: 'g',
  gram: 'g',
  grams: 'g',
  kg: 'kg',
  kilogram: 'kg',
  kilograms: 'kg',
  t: 't',
  tonne: 't',
  tonnes: 't',
  ton: 't',
  tons: 't',
};

/** Ten-millionths of a gram per unit, for the metric units. */
export const METRIC_SCALE: Readonly<Record<Exclude<MassUnit, 'oz'>, bigint>> = {
  g: GRAM_E7_PER_GRAM,
  kg: GRAM_E7_PER_GRAM * 1000n,
  t: GRAM_E7_PER_GRAM * 1_000_000n,
};

/**
 * Converts a metric mass to fine milli-ounces.
 * Rounding rule R2: metric quantities convert to the nearest 0.001 oz, halves away from zero.
 */
export function metricToMilliOz(valueScaled: bigint, scale: number, unit: Exclude<MassUnit, 'oz'>) {
  // value × unitScale ten-millionths of a gram, divided by 311,034,768 ten-millionths per ounce.
  const numerator = valueScaled * METRIC_SCALE[unit] * 1000n;
  return divideHalfUp(numerator, GRAM_E7_PER_TROY_OZ * 10n ** BigInt(scale));
}

/** Milli-ounces to grams scaled by 10^3 (milligrams), nearest, halves away from zero (rule R2). */
export function milliOzToMilligrams(milli: bigint): bigint {
  return divideHalfUp(milli * GRAM_E7_PER_TROY_OZ, GRAM_E7_PER_GRAM);
}

/** Formats milli-ounces as tonnes with three decimals (to the kilogram), e.g. "17.494 t". */
export function formatTonnes(milli: bigint): string {
  const kilograms = divideHalfUp(milli * GRAM_E7_PER_TROY_OZ, GRAM_E7_PER_GRAM * 1000n * 1000n);
  return `${formatScaled(kilograms, 3, { group: true })} t`;
}

/**
 * Parses a quantity of fine gold with its unit: "30t", "30 tonnes", "20000 kg", "562430.5 oz".
 * Ounces take at most three decimals; metric units at most six.
 */
export function parseQuantity(text: string): Parsed<FineMilliOz> {
  if (/^\s*-/.test(text)) return { ok: false, reason: `quantity "${text}" must be greater than zero` };
  const match = /^\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!match) {
    return { ok: false, reason: `quantity "${text}" must be a number and a unit (t, kg, g, oz)` };
  }
  const unit = UNIT_NAMES[(match[2] ?? '').toLowerCase()];
  if (!unit) return { ok: false, reason: `quantity "${text}": unknown unit "${match[2]}"` };
  const number = match[1] ?? '';
  const scale = unit === 'oz' ? 3 : 6;
  const parsed = parseScaled(number, scale, 'quantity');
  if (!parsed.ok) return parsed;
  const milli = unit === 'oz' ? parsed.value : metricToMilliOz(parsed.value, scale, unit);
  if (milli <= 0n) return { ok: false, reason: `quantity "${text}" must be greater than zero` };
  if (milli > MINOR_MAX) return beyondRange('quantity', text);
  return { ok: true, value: milli };
}

/** Readable weight: "562,430.125 fine oz (17.494 t)". */
export function describeWeight(milli: FineMilliOz): string {
  return `${formatOunces(milli)} fine oz (${formatTonnes(milli)})`;
}

/** A change of weight with its sign: "+0.040", "−1.250". */
export function signedOunces(milli: bigint): string {
  return `${milli < 0n ? '−' : '+'}${formatOunces(milli < 0n ? -milli : milli)}`;
}

/** A bar's weights as booked: its fine weight as the books hold it, not worked out again. */
export interface BookedWeights {
  readonly gross_milli_oz: GrossMilliOz;
  readonly fineness: FinenessPer10k;
  readonly fine_milli_oz: FineMilliOz;
}

/**
 * What reweighing a bar changes, in words: its gross weight, its fineness, and its fine weight
 * (gross × fineness, truncated) with the difference the journal will record. The operator's
 * confirmation and the supervisor's approval state these same lines.
 */
export function reweighChangeLines(
  before: BookedWeights,
  after: { readonly gross_milli_oz: GrossMilliOz; readonly fineness: FinenessPer10k },
): string[] {
  const fine = fineWeight(after.gross_milli_oz, after.fineness);
  const signed = signedOunces(fine - before.fine_milli_oz);
  return [
    `Gross weight: ${formatOunces(before.gross_milli_oz)} oz → ${formatOunces(after.gross_milli_oz)} oz`,
    `Fineness: ${formatFineness(before.fineness)}‰ → ${formatFineness(after.fineness)}‰`,
    `Fine weight: ${formatOunces(before.fine_milli_oz)} oz → ${formatOunces(fine)} oz ` +
      `(gross × fineness, truncated; ${signed} oz fine)`,
  ];
}

/** A count of bars in words: "1 bar", "2 bars". */
export function barsText(bars: number | bigint): string {
  return `${bars} ${BigInt(bars) === 1n ? 'bar' : 'bars'}`;
}
