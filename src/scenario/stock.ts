// A deterministic vault stock of Good Delivery bars, as a bar list, for scenarios and benchmarks.
import { formatBarListHeader, formatBarRow } from '../domain/barlist.ts';
import { fineWeight } from '../domain/weight.ts';

const REFINERS = ['MSK', 'NSK', 'KRS', 'SVR', 'PRK'] as const;

/** A small seeded generator (mulberry32): the same seed gives the same vault. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Yields a bar list of `count` Good Delivery bars (header first), about 400 fine oz each. */
export async function* generateStock(
  count: number,
  seed = 1961,
  firstSerial = 100_000,
): AsyncGenerator<string> {
  const random = seededRandom(seed);
  yield formatBarListHeader(true);
  for (let index = 0; index < count; index += 1) {
    // Gross 380.000–425.000 oz in steps of 0.025 oz; fineness 995.0–999.9‰.
    const gross = 380_000n + 25n * BigInt(Math.floor(random() * 1800));
    const fineness = 9950n + BigInt(Math.floor(random() * 50));
    const refiner = REFINERS[index % REFINERS.length] ?? 'MSK';
    yield formatBarRow(
      {
        serial: String(firstSerial + index),
        refiner,
        year: 1950 + Math.floor(random() * 11),
        gross_milli_oz: gross,
        fineness,
        fine_milli_oz: fineWeight(gross, fineness),
        vault: 'MOSCOW',
        location: `R${Math.floor(index / 500) + 1}-S${(index % 500) + 1}`,
        bar_id: null,
      },
      true,
    );
  }
}
