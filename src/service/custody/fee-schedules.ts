// The fee schedule in force for each client bank: the one agreed under four eyes, or the 1961
// terms that apply until one is (no custody or handling fee, transport borne by the client).
import { type FeeSchedule, feeSchedule1961 } from '../../domain/custody/charges.ts';
import type { Ingot } from '../kernel/context.ts';
import { clientParties, feeSchedulesOf } from './queries-reference.ts';
import { storedFeeSchedule } from './stored.ts';

export interface FeeScheduleInForce {
  readonly party_id: string;
  readonly party_name: string;
  /** "agreed" when set under four eyes; "default" for the 1961 terms that apply until then. */
  readonly source: 'agreed' | 'default';
  readonly schedule: FeeSchedule;
  readonly made_by: string | null;
  readonly checked_by: string | null;
  readonly updated_at: string | null;
}

/** The schedule in force for each client bank (only `party`'s when given), in party order. */
export async function feeSchedulesInForce(
  ingot: Ingot,
  party: string | undefined,
): Promise<FeeScheduleInForce[]> {
  const db = ingot.store.db;
  const parties = await clientParties(db, party);
  if (parties.length === 0) return [];
  const rows = await feeSchedulesOf(
    db,
    parties.map((p) => p.id),
  );
  return parties.map((p) => {
    const row = rows.find((r) => r.id === p.id);
    return row
      ? {
          party_id: p.id,
          party_name: p.name,
          source: 'agreed',
          schedule: storedFeeSchedule(row.body, p.id),
          made_by: row.made_by,
          checked_by: row.checked_by,
          updated_at: row.updated_at,
        }
      : {
          party_id: p.id,
          party_name: p.name,
          source: 'default',
          schedule: feeSchedule1961(`${p.id}-1961`),
          made_by: null,
          checked_by: null,
          updated_at: null,
        };
  });
}
