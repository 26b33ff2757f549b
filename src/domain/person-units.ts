// Figures for people, as a download for a person writes them (a program's form keeps minor units):
// fine ounces to three decimals; sterling before Decimal Day as £sd, decimal major units after.
// Pure: exact integers in, text out, never through floating point.
import { divideFloor, formatScaled } from './decimal.ts';
import { DECIMAL_DAY, formatLsd, isCurrencyCode, minorPerMajor } from './money.ts';
import { InvariantError } from './outcome.ts';

/** The unit of a column of figures dated from `from` to `to`, as its header names it. */
export function unitNamed(unit: string, from: string, to: string): string {
  if (unit === 'XAU') return 'fine oz';
  if (unit !== 'GBP' || from >= DECIMAL_DAY) return unit;
  if (to < DECIMAL_DAY) return '£ s d';
  return `£ s d to ${DECIMAL_DAY}, GBP from then`;
}

/**
 * One figure for people: fine ounces (milli-ounces in) to three decimals; sterling before Decimal
 * Day as £sd; else decimal major units, to the penny, or to the thousandth where the coin of the
 * date was the new halfpenny; an amount finer than that is shown to the penny below, marked "≈".
 */
export function personAmount(unit: string, minor: bigint, date: string): string {
  if (unit === 'XAU') return formatScaled(minor, 3);
  if (!isCurrencyCode(unit)) throw new InvariantError(`a figure in an unknown unit ${unit}`);
  if (unit === 'GBP' && date < DECIMAL_DAY) return formatLsd(minor);
  const perMajor = minorPerMajor(unit);
  const thousandths = minor * 1000n;
  if (thousandths % perMajor === 0n) {
    const scaled = thousandths / perMajor;
    return scaled % 10n === 0n ? formatScaled(scaled / 10n, 2) : formatScaled(scaled, 3);
  }
  return `≈${formatScaled(divideFloor(minor * 100n, perMajor), 2)}`;
}
