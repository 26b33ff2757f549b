// JSON that keeps bigints exact: a bigint is written as {"$n": "123"} and read back as 123n.

/** Serializes a value, writing bigints as tagged decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'bigint' ? { $n: item.toString() } : item,
  );
}

/** Parses text written by `toJson`, restoring bigints. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const record = item as Record<string, unknown>;
      const keys = Object.keys(record);
      if (keys.length === 1 && keys[0] === '$n' && typeof record.$n === 'string') return BigInt(record.$n);
    }
    return item;
  }) as T;
}

/** A value made JSON-safe for printing: bigints become decimal strings. */
export function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item)),
  );
}
