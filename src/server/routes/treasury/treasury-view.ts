// The treasury as the API shows it: the position per currency, what is left in sterling (or why it
// cannot be said), and each record behind it with who made it. Amounts are decimal strings.
import type { Static } from 'typebox';
import {
  type Earmark,
  earmarkActiveOn,
  rateField,
  type TransferSource,
  type TransferTarget,
  transferStateOn,
} from '../../../domain/treasury.ts';
import type { TreasuryView as View } from '../../../service/treasury/treasury.ts';
import { toEarmark, toTransfer } from '../../../service/treasury/treasury-rows.ts';
import { type TreasuryPlace, TreasuryView } from '../../schemas.ts';
import { wire } from '../../wire.ts';

// The view's schema is the shared one; re-exported for the treasury route, which imports it from here.
export { TreasuryView };

function place(end: TransferSource | TransferTarget): Static<typeof TreasuryPlace> {
  if (end.kind === 'correspondent') return { kind: end.kind, name: end.correspondent_id };
  if (end.kind === 'outside') return { kind: end.kind, name: end.name };
  return { kind: end.kind, name: end.account_id };
}

function correspondentsWire(view: View, on: string) {
  const balances = view.records.balances;
  return view.position.correspondents.map((line) => {
    // Every balance stated up to the date, by date, a correction after what it corrects.
    const history = balances
      .filter((b) => b.correspondent_id === line.correspondent.id && b.as_of <= on)
      .sort((a, b) => (a.as_of === b.as_of ? Number(a.id - b.id) : a.as_of < b.as_of ? -1 : 1));
    const stated = line.stated;
    return {
      ...line.correspondent,
      stated: stated?.minor ?? null,
      as_of: stated?.as_of ?? null,
      out_since: line.out_since_minor,
      in_since: line.in_since_minor,
      position: line.minor,
      history: history.map(({ id, as_of, minor, recorded_by, recorded_at }) => ({
        id,
        as_of,
        minor,
        recorded_by,
        recorded_at,
      })),
    };
  });
}

function transfersWire(view: View, on: string) {
  return view.records.transfers.map((row) => {
    const transfer = toTransfer(row);
    const state_on_date = transferStateOn(transfer, on);
    return {
      id: row.id,
      currency: transfer.amount.currency,
      minor: row.minor,
      from: place(transfer.source),
      to: place(transfer.target),
      sent_on: row.sent_on,
      expected_on: row.expected_on,
      state: transfer.state,
      state_on_date,
      overdue: state_on_date === 'under_way' && row.expected_on < on,
      closed_on: row.closed_on,
      note: row.note,
      recorded_by: row.recorded_by,
      closed_by: row.closed_by,
    };
  });
}

function earmarkWire(earmark: Earmark, on: string) {
  return {
    id: earmark.id,
    currency: earmark.amount.currency,
    minor: earmark.amount.minor,
    purpose: earmark.purpose,
    from: earmark.from,
    until: earmark.until,
    released_on: earmark.released_on,
    active: earmarkActiveOn(earmark, on),
  };
}

/** The view on a date as the API sends it; `rates` are the rates as the user wrote them. */
export function treasuryWire(view: View, on: string, rates: Partial<Record<string, string>>) {
  const sterling = view.sterling;
  const inSterling = new Map(sterling.ok ? sterling.lines.map((l) => [l.currency, l.sterling_minor]) : []);
  const stated: Record<string, string> = {};
  for (const currency of ['USD', 'EUR'] as const) {
    const text = rates[rateField(currency)];
    if (text !== undefined) stated[currency] = text;
  }
  return wire({
    party_id: view.party_id,
    date: on,
    currencies: view.position.currencies.map((c) => ({
      ...c,
      left_in_sterling: inSterling.get(c.currency) ?? null,
    })),
    sterling: sterling.ok ? { total: sterling.total_minor, rates: stated } : null,
    sterling_refusal: sterling.ok
      ? null
      : { code: sterling.code, message: sterling.message, field: sterling.field ?? 'date' },
    correspondents: correspondentsWire(view, on),
    depository: view.depository.map((d) => ({
      account_id: d.account_id,
      currency: d.currency,
      balance: d.minor,
    })),
    transfers: transfersWire(view, on),
    earmarks: view.records.earmarks.map((row) => ({
      ...earmarkWire(toEarmark(row), on),
      recorded_by: row.recorded_by,
    })),
    set_aside: view.set_aside.map((s) => ({
      trade_id: s.trade_id,
      currency: s.amount.currency,
      minor: s.amount.minor,
      basis: s.basis,
      price_date: s.price_date,
    })),
  });
}
