// SWIFT value syntaxes, exact: the decimal comma, YYMMDD dates, amounts of fine gold and of money.
import { formatScaled, type Parsed, parseScaled } from '../decimal.ts';
import { isIsoDate } from '../fixing.ts';
import {
  type CurrencyCode,
  isCurrencyCode,
  minorPerMajor,
  STERLING_UNITS_PER_OLD_PENNY,
  STERLING_UNITS_PER_POUND,
  STERLING_UNITS_PER_SHILLING,
} from '../money.ts';
import { assert } from '../outcome.ts';

/** SWIFT amounts carry at most six decimals (network rule C89). */
export const SWIFT_DECIMALS_MAXIMUM = 6;
/** YYMMDD years 50–99 are read as 1950–1999 and 00–49 as 2000–2049. */
export const SWIFT_CENTURY_PIVOT = 50;
/** The first year YYMMDD can hold. */
export const SWIFT_YEAR_FIRST = 1950;
/** The last year YYMMDD can hold. */
export const SWIFT_YEAR_LAST = 2049;
const MICRO_OUNCES_PER_MILLI_OUNCE = 1000n;
const MICRO_PER_UNIT = 10n ** BigInt(SWIFT_DECIMALS_MAXIMUM);

/** Reads a SWIFT number ("12,5", "100000,") into an integer scaled by 10^scale; never negative. */
export function readSwiftNumber(text: string, scale: number, what: string): Parsed<bigint> {
  const match = /^(\d+),(\d*)$/.exec(text);
  if (!match) {
    if (/^\d+\.\d+$/.test(text)) {
      const comma = text.replace('.', ',');
      return { ok: false, reason: `${what} "${text}" has a decimal point; SWIFT writes "${comma}"` };
    }
    if (/^\d+$/.test(text)) {
      return { ok: false, reason: `${what} "${text}" has no decimal comma; SWIFT writes "${text},"` };
    }
    return { ok: false, reason: `${what} "${text}" is not a number` };
  }
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > scale) {
    return {
      ok: false,
      reason: `${what} "${text}" has ${fraction.length} decimals; at most ${scale} are allowed`,
    };
  }
  return parseScaled(fraction === '' ? whole : `${whole}.${fraction}`, scale, what);
}

/** Writes a non-negative integer scaled by 10^scale with a decimal comma and no trailing zeros. */
export function writeSwiftNumber(value: bigint, scale: number, minimumDecimals = 0): string {
  assert(value >= 0n, `writeSwiftNumber: ${value} is negative; SWIFT amounts carry no sign`);
  const [whole = '', fraction = ''] = formatScaled(value, scale).split('.');
  let decimals = fraction.replace(/0+$/, '');
  if (decimals.length < minimumDecimals) decimals = fraction.slice(0, minimumDecimals);
  return `${whole},${decimals}`;
}

/**
 * Reads an amount of fine troy ounces (unit FOZ) into milli-ounces. SWIFT allows six decimals;
 * Ingot counts gold to 0.001 oz, so digits past the third must be zeros ("100,500000" is fine,
 * "100,5004" is refused): an amount is never rounded on the way in.
 */
export function readFineOunces(text: string, what: string): Parsed<bigint> {
  const micro = readSwiftNumber(text, SWIFT_DECIMALS_MAXIMUM, what);
  if (!micro.ok) return micro;
  if (micro.value % MICRO_OUNCES_PER_MILLI_OUNCE !== 0n) {
    return {
      ok: false,
      reason: `${what} "${text}" is finer than 0.001 oz; Ingot keeps gold to the thousandth of an ounce`,
    };
  }
  return { ok: true, value: micro.value / MICRO_OUNCES_PER_MILLI_OUNCE };
}

/** Writes milli-ounces as a SWIFT amount: 562429696n → "562429,696". */
export function writeFineOunces(milli: bigint): string {
  return writeSwiftNumber(milli, 3);
}

/** Reads a currency code Ingot keeps. */
export function readCurrency(text: string, what: string): Parsed<CurrencyCode> {
  return isCurrencyCode(text)
    ? { ok: true, value: text }
    : { ok: false, reason: `${what} currency "${text}" is not one Ingot keeps (GBP, USD, EUR)` };
}

/**
 * Reads an amount of money into minor units. A decimal amount ("12,7") must be a whole number of
 * minor units (1/4800 £, the cent). Sterling may also be written as pounds/shillings/pence with the
 * pence to two decimals, "7142857/2/10,25" for £7,142,857 2s 10¼d, as some such sums have no
 * finite decimal form.
 */
export function readSwiftMoney(text: string, currency: CurrencyCode, what: string): Parsed<bigint> {
  if (currency === 'GBP' && text.includes('/')) return readPoundsShillingsPence(text, what);
  const micro = readSwiftNumber(text, SWIFT_DECIMALS_MAXIMUM, what);
  if (!micro.ok) return micro;
  const units = micro.value * minorPerMajor(currency);
  if (units % MICRO_PER_UNIT !== 0n) {
    const unit = currency === 'GBP' ? '1/4800 £ (or write it as pounds/shillings/pence)' : 'cent';
    return { ok: false, reason: `${what} "${text}" is not a whole number of the ${unit}` };
  }
  return { ok: true, value: units / MICRO_PER_UNIT };
}

/** Reads "7142857/2/10,25": pounds, shillings below 20, pence below 12 with up to two decimals. */
function readPoundsShillingsPence(text: string, what: string): Parsed<bigint> {
  const match = /^(\d+)\/(\d{1,2})\/(\d{1,2})(?:,(\d{0,2}))?$/.exec(text);
  const form = 'pounds/shillings/pence like "12/10/7,5"';
  if (!match) return { ok: false, reason: `${what} "${text}" is not a number or ${form}` };
  const shillings = BigInt(match[2] ?? '0');
  const pence = BigInt(match[3] ?? '0');
  if (shillings >= 20n) return { ok: false, reason: `${what} "${text}": shillings must be below 20` };
  if (pence >= 12n) return { ok: false, reason: `${what} "${text}": pence must be below 12` };
  const hundredths = BigInt((match[4] ?? '').padEnd(2, '0'));
  const hundredthsPerUnit = 100n / STERLING_UNITS_PER_OLD_PENNY;
  if (hundredths % hundredthsPerUnit !== 0n) {
    return { ok: false, reason: `${what} "${text}": pence must be a whole number of 1/20 d` };
  }
  const pounds = BigInt(match[1] ?? '0');
  const units =
    pounds * STERLING_UNITS_PER_POUND +
    shillings * STERLING_UNITS_PER_SHILLING +
    pence * STERLING_UNITS_PER_OLD_PENNY +
    hundredths / hundredthsPerUnit;
  return { ok: true, value: units };
}

/**
 * Writes minor units as a SWIFT amount: decimal when it has an exact decimal form of at most six
 * places ("12,7", "20000000,"), otherwise (sterling only) as pounds/shillings/pence.
 */
export function writeSwiftMoney(minor: bigint, currency: CurrencyCode): string {
  const perMajor = minorPerMajor(currency);
  if ((minor * MICRO_PER_UNIT) % perMajor === 0n) {
    return writeSwiftNumber((minor * MICRO_PER_UNIT) / perMajor, SWIFT_DECIMALS_MAXIMUM);
  }
  assert(currency === 'GBP' && minor >= 0n, `writeSwiftMoney: ${minor} ${currency} cannot be written`);
  const pounds = minor / STERLING_UNITS_PER_POUND;
  const shillings = (minor % STERLING_UNITS_PER_POUND) / STERLING_UNITS_PER_SHILLING;
  const pennyUnits = minor % STERLING_UNITS_PER_SHILLING;
  const pence = writeSwiftNumber(pennyUnits * (100n / STERLING_UNITS_PER_OLD_PENNY), 2);
  return `${pounds}/${shillings}/${pence.endsWith(',') ? pence.slice(0, -1) : pence}`;
}

/** Reads a YYMMDD date as YYYY-MM-DD (years by SWIFT_CENTURY_PIVOT). */
export function readSwiftDate(text: string, what: string): Parsed<string> {
  if (!/^\d{6}$/.test(text)) return { ok: false, reason: `${what} "${text}" is not a date YYMMDD` };
  const year = Number.parseInt(text.slice(0, 2), 10);
  const century = year >= SWIFT_CENTURY_PIVOT ? '19' : '20';
  const iso = `${century}${text.slice(0, 2)}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
  return isIsoDate(iso)
    ? { ok: true, value: iso }
    : { ok: false, reason: `${what} "${text}" is no real date` };
}

/** Checks a YYYY-MM-DD date that can be written as YYMMDD. */
export function checkIsoDate(text: string, what: string): Parsed<string> {
  if (!isIsoDate(text)) return { ok: false, reason: `${what} "${text}" is not a date YYYY-MM-DD` };
  const year = Number.parseInt(text.slice(0, 4), 10);
  if (year < SWIFT_YEAR_FIRST || year > SWIFT_YEAR_LAST) {
    return {
      ok: false,
      reason: `${what} ${text} cannot be written YYMMDD (years ${SWIFT_YEAR_FIRST}–${SWIFT_YEAR_LAST})`,
    };
  }
  return { ok: true, value: text };
}

/** Writes a checked YYYY-MM-DD date as YYMMDD. */
export function writeSwiftDate(iso: string): string {
  assert(checkIsoDate(iso, 'date').ok, `writeSwiftDate: ${iso} cannot be written YYMMDD`);
  return `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}
