// Where an import's bars are written: through the store's writeBars (SQLite one prepared insert per
// bar; PostgreSQL a COPY per chunk), a chunk at a time, the collisions of each looked up as they happen.
import type { BarSink, Collision } from '../../store/bar-sink.ts';
import type { BarRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { barBearing, barIdsBetween } from './queries-bars.ts';

/** Bars parsed before they are written, as one chunk: large enough that writes stay few. */
export const BAR_IMPORT_CHUNK_ROWS = 10_000;
/**
 * On SQLite every bar is an insert of its own in the thread, so a chunk only holds bars until
 * then: small ones let them die young (10,000 spent 8 % more CPU, most of it collecting garbage).
 */
export const SQLITE_CHUNK_ROWS = 1000;

/**
 * Where an import inside `tx` writes its bars: each chunk through the store's writeBars, one chunk
 * under way while the next is read (PostgreSQL works on the server meanwhile). A chunk written short had bars whose refiner and
 * serial were known: which, and the bar they collided with, are looked up there and then.
 */
export function barSink(ingot: Ingot, tx: Tx): BarSink {
  const collisions: Collision[] = [];
  let writing: Promise<void> = Promise.resolve();
  const write = async (bars: readonly BarRow[]) => {
    const written = await ingot.store.writeBars(tx, bars);
    if (written !== bars.length) collisions.push(...(await collisionsOf(tx, bars)));
  };
  return {
    chunk_rows: ingot.store.dialect === 'sqlite' ? SQLITE_CHUNK_ROWS : BAR_IMPORT_CHUNK_ROWS,
    async write(bars) {
      await writing;
      if (bars.length === 0) return;
      writing = write(bars);
      // Awaited at the next write or at the end; until then a failure must not go unobserved.
      writing.catch(() => undefined);
    },
    async finish(limit) {
      await writing;
      return collisions.slice(0, limit);
    },
    async abandon() {
      await writing.catch(() => undefined);
    },
  };
}

/** The bars of a chunk that were not written, each with the bar that holds its refiner and serial. */
async function collisionsOf(tx: Tx, bars: readonly BarRow[]): Promise<Collision[]> {
  const first = bars[0];
  const last = bars.at(-1);
  if (!first || !last) return [];
  const done = new Set(await barIdsBetween(tx, first.id, last.id));
  const collisions: Collision[] = [];
  for (const bar of bars.filter((b) => !done.has(b.id))) {
    const other = await barBearing(tx, bar.refiner, bar.serial);
    collisions.push({
      id: bar.id,
      refiner: bar.refiner,
      serial: bar.serial,
      other_id: other.id,
      other_received_entry_id: other.received_entry_id,
    });
  }
  return collisions;
}
