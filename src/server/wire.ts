// Values as they travel over HTTP: every bigint (an amount or weight in its minor unit) becomes
// its decimal string, so no amount ever passes through a JSON number.

/** The wire form of a type: bigints become decimal strings, recursively. */
export type Wire<T> = T extends bigint
  ? string
  : T extends string | number | boolean | null | undefined
    ? T
    : T extends readonly (infer E)[]
      ? Wire<E>[]
      : T extends object
        ? { -readonly [K in keyof T]: Wire<T[K]> }
        : T;

/** Converts a value to its wire form: bigints to decimal strings, everything else as it is. */
export function wire<T>(value: T): Wire<T> {
  return convert(value) as Wire<T>;
}

function convert(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(convert);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = convert(item);
  }
  return out;
}

/** JSON text of a value, bigints written as decimal strings. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
