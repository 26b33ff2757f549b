// Exact decimal text <-> scaled bigint. Nothing here ever passes through a JavaScript number.

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const DECIMAL_PATTERN = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?$/;

/** The common form, digits with or without a fraction: read without the general pattern's work. */
const PLAIN_DECIMAL_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/** Parses decimal text ("1,234.5", "-0.25", "12") into an integer scaled by 10^scale. */
export function parseScaled(text: string, scale: number, what: string): Parsed<bigint> {
  // A bar list holds millions of weights, nearly all plain: they take the short way, same result.
  const plain = PLAIN_DECIMAL_PATTERN.exec(text);
  const plainFraction = plain?.[2] ?? '';
  if (plain && plainFraction.length <= scale) {
    return { ok: true, value: BigInt(`${plain[1]}${plainFraction.padEnd(scale, '0')}`) };
  }
  const trimmed = text.trim();
  const match = DECIMAL_PATTERN.exec(trimmed);
  if (trimmed === '' || !match || (match[2] === undefined && match[3] === undefined)) {
    return { ok: false, reason: `${what} "${text}" is not a decimal number` };
  }
  const whole = (match[2] ?? '0').replaceAll(',', '');
  const fraction = match[3] ?? '';
  if (fraction.length > scale) {
    return {
      ok: false,
      reason: `${what} "${text}" has ${fraction.length} decimals; at most ${scale} are allowed`,
    };
  }
  const digits = BigInt(whole + fraction.padEnd(scale, '0'));
  return { ok: true, value: match[1] === '-' ? -digits : digits };
}

/** Formats an integer scaled by 10^scale as decimal text with exactly `decimals` places. */
export function formatScaled(
  value: bigint,
  scale: number,
  options: { decimals?: number; group?: boolean } = {},
): string {
  const decimals = options.decimals ?? scale;
  if (decimals > scale) {
    throw new Error(`formatScaled: ${decimals} decimals asked of a value with scale ${scale}`);
  }
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  const divisor = 10n ** BigInt(scale);
  const wholePart = (magnitude / divisor).toString();
  const fractionAll = (magnitude % divisor).toString().padStart(scale, '0');
  const fraction = fractionAll.slice(0, decimals);
  const whole = options.group ? groupThousands(wholePart) : wholePart;
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}

/** Inserts thousands separators into a string of digits. */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer division rounding toward negative infinity. */
export function divideFloor(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('divideFloor: denominator must be positive');
  const quotient = numerator / denominator;
  return numerator % denominator < 0n ? quotient - 1n : quotient;
}

/** Integer division rounding to nearest, halves away from zero. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new Error('divideHalfUp: denominator must be positive');
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}

/** Parses a non-negative integer written in plain digits. */
export function parseCount(text: string, what: string): Parsed<bigint> {
  return /^\d+$/.test(text.trim())
    ? { ok: true, value: BigInt(text.trim()) }
    : { ok: false, reason: `${what} "${text}" is not a whole number` };
}
