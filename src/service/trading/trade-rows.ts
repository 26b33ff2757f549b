// Stored trade rows to the domain's trades and back.
import type { CurrencyCode } from '../../domain/money.ts';
import type { Asked, Trade, TradeState } from '../../domain/offer.ts';
import { assert } from '../../domain/outcome.ts';
import type { TradeRow } from '../../store/schema.ts';

/** Maps a stored trade to the domain's trade. */
export function toTrade(row: TradeRow): Trade {
  return {
    id: row.id,
    offer_id: row.offer_id,
    accepted_on: row.accepted_on,
    asked: toAsked(row),
    state: row.state as TradeState,
    allocated_fine_milli_oz: row.allocated_fine_milli_oz,
    pending_reason: row.pending_reason,
  };
}

function toAsked(row: TradeRow): Asked {
  if (row.asked_kind === 'quantity') {
    assert(row.asked_fine_milli_oz !== null, `trade ${row.id} has no asked quantity`);
    return { kind: 'quantity', fine_milli_oz: row.asked_fine_milli_oz };
  }
  const { budget_minor, budget_currency, budget_stated } = row;
  assert(
    budget_minor !== null && budget_currency !== null && budget_stated !== null,
    `trade ${row.id} has no budget`,
  );
  const budget = { currency: budget_currency as CurrencyCode, minor: budget_minor };
  return { kind: 'amount', budget, stated: budget_stated };
}
