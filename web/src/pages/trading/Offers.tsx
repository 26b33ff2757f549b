// Offers and their take-up; the depository's operators make new ones here.
import { type FormEvent, useState } from 'react';
import { parseFineness } from '../../../../src/domain/weight.ts';
import { call, newKey } from '../../api.ts';
import { useDesk } from '../../desk.ts';
import { readQuantity, showFineness, showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Offer } from '../../types.ts';

/** The share of an offer taken, as a bar. */
function TakeUp({ offer }: { offer: Offer }) {
  const maximum = BigInt(offer.maximum_fine_milli_oz);
  const taken = BigInt(offer.taken_fine_milli_oz);
  const percent = maximum === 0n ? 0 : Number((taken * 1000n) / maximum) / 10;
  return (
    <span className="takeup" title={`${percent}% taken`}>
      <span style={{ width: `${percent}%` }} />
      <em>{percent}%</em>
    </span>
  );
}

export function OfferTable({ offers }: { offers: readonly Offer[] }) {
  return (
    <table className="grid">
      <thead>
        <tr>
          <th>Offer</th>
          <th>Buyer</th>
          <th>Maximum</th>
          <th>Taken</th>
          <th>Remaining</th>
          <th>Bars of at least</th>
          <th>Valid</th>
        </tr>
      </thead>
      <tbody>
        {offers.map((offer) => (
          <tr key={offer.id}>
            <td>{offer.id}</td>
            <td>{offer.buyer_party_id}</td>
            <td>{showWeight(offer.maximum_fine_milli_oz)}</td>
            <td>
              <TakeUp offer={offer} />
            </td>
            <td>{showWeight(offer.remaining_fine_milli_oz)}</td>
            <td>{showFineness(offer.minimum_fineness)}</td>
            <td>
              {offer.valid_from} to {offer.valid_until}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function pick(accounts: readonly Account[], party: string, kind: string, unit?: string): string {
  return (
    accounts.find((a) => a.party_id === party && a.kind === kind && (!unit || a.unit === unit))?.id ?? ''
  );
}

function NewOffer({ accounts, onMade }: { accounts: readonly Account[]; onMade: (text: string) => void }) {
  const desk = useDesk();
  const depository = desk.session.depository_party_id;
  const buyers = [
    ...new Set(
      accounts.filter((a) => a.party_id !== depository && a.kind !== 'external').map((a) => a.party_id),
    ),
  ];
  const [buyer, setBuyer] = useState(buyers[0] ?? '');
  const [maximum, setMaximum] = useState('5 t');
  const [fineness, setFineness] = useState('995.0');
  const [until, setUntil] = useState(desk.date);
  const [key, setKey] = useState(newKey);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const quantity = readQuantity(maximum);
    const minimum = parseFineness(fineness);
    if (!quantity.ok) return onMade(quantity.reason);
    if (!minimum.ok) return onMade(minimum.reason);
    const terms = {
      seller_party_id: depository,
      buyer_party_id: buyer,
      seller_stock_account_id: pick(accounts, depository, 'custody'),
      seller_cash_account_id: pick(accounts, depository, 'cash', 'GBP'),
      buyer_custody_account_id: pick(accounts, buyer, 'custody'),
      buyer_cash_account_id: pick(accounts, buyer, 'cash', 'GBP'),
      maximum_fine_milli_oz: quantity.milli,
      minimum_fineness: minimum.value.toString(),
      currency: 'GBP',
      valid_from: desk.date,
      valid_until: until,
    };
    try {
      const made = await call<{ offer_id: string }>('POST', '/offers', terms, { key });
      onMade(`${made.offer_id} made to ${buyer}`);
      setKey(newKey());
    } catch (reason) {
      onMade(describeError(reason));
    }
  };
  return (
    <form className="inline" onSubmit={submit}>
      <h2>New offer, priced at the London fixing of the payment day in GBP</h2>
      <label>
        To{' '}
        <select value={buyer} onChange={(e) => setBuyer(e.target.value)}>
          {buyers.map((b) => (
            <option key={b}>{b}</option>
          ))}
        </select>
      </label>
      <label>
        Up to <input value={maximum} onChange={(e) => setMaximum(e.target.value)} />
      </label>
      <label>
        Bars of at least <input value={fineness} onChange={(e) => setFineness(e.target.value)} />‰
      </label>
      <label>
        Valid from {desk.date} until{' '}
        <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
      </label>
      <button type="submit">Make the offer</button>
    </form>
  );
}

export function Offers() {
  const desk = useDesk();
  const offers = useLoad(() => call<Offer[]>('GET', '/offers'), []);
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const [message, setMessage] = useState<string>();
  const operator = ['depository_operator', 'depository_supervisor'].includes(desk.session.user.role);
  return (
    <div>
      {offers.error && <p className="error">{offers.error}</p>}
      {offers.data && <OfferTable offers={offers.data} />}
      {message && <p className="notice">{message}</p>}
      {operator && accounts.data && (
        <NewOffer
          accounts={accounts.data}
          onMade={(text) => {
            setMessage(text);
            offers.reload();
          }}
        />
      )}
    </div>
  );
}
