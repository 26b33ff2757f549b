// Offers and their take-up; the depository's operators make new ones here, with the vault's free
// stock in view, a warning when an offer goes above it, and a confirmation of its terms.
import { useState } from 'react';
import { parseFineness } from '../../../../src/domain/weight.ts';
import { call, newKey } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { NoticeList, useNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { readQuantity, showFineness, showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Offer, OfferMade } from '../../types.ts';
import { type Stock, useFreeStock } from './stock.ts';
import './trading.css';

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
          <tr key={offer.id} data-offer={offer.id}>
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

interface Terms {
  readonly seller_party_id: string;
  readonly buyer_party_id: string;
  readonly seller_stock_account_id: string;
  readonly seller_cash_account_id: string;
  readonly buyer_custody_account_id: string;
  readonly buyer_cash_account_id: string;
  readonly maximum_fine_milli_oz: string;
  readonly minimum_fineness: string;
  readonly currency: 'GBP';
  readonly valid_from: string;
  readonly valid_until: string;
}

/** The warning for an offer above the vault's free stock, if it is. */
function aboveStock(maximum: bigint, stock: Stock | undefined, vault: string): string | undefined {
  if (!stock || maximum <= stock.free_fine_milli_oz) return undefined;
  return (
    `Warning: ${showWeight(maximum.toString())} is above the free stock of ${vault}, ` +
    `${showWeight(stock.free_fine_milli_oz.toString())}; acceptances beyond it cannot be allocated.`
  );
}

/** What making the offer will do, in words and figures. */
function offerLines(terms: Terms, stock: Stock | undefined, warning: string | undefined): string[] {
  const free = stock ? showWeight(stock.free_fine_milli_oz.toString()) : 'not known';
  return [
    `Offer ${terms.buyer_party_id} up to ${showWeight(terms.maximum_fine_milli_oz)} of fine gold,`,
    `in bars of at least ${showFineness(terms.minimum_fineness)}, priced at the London fixing of the`,
    `payment day in ${terms.currency}, valid from ${terms.valid_from} until ${terms.valid_until}.`,
    `Gold from ${terms.seller_stock_account_id} (free stock ${free}) to ${terms.buyer_custody_account_id};`,
    `paid from ${terms.buyer_cash_account_id} to ${terms.seller_cash_account_id}.`,
    ...(warning ? [warning] : []),
  ];
}

function NewOffer({ accounts, onMade }: { accounts: readonly Account[]; onMade: (n: NoticeText) => void }) {
  const desk = useDesk();
  const depository = desk.session.depository_party_id;
  const buyers = [
    ...new Set(
      accounts.filter((a) => a.party_id !== depository && a.kind !== 'external').map((a) => a.party_id),
    ),
  ];
  const vault = pick(accounts, depository, 'custody');
  const [buyer, setBuyer] = useState(buyers[0] ?? '');
  const [maximum, setMaximum] = useState('5 t');
  const [fineness, setFineness] = useState('995.0');
  const [until, setUntil] = useState(desk.date);
  const [key, setKey] = useState(newKey);
  const [made, setMade] = useState(0);
  const [dialog, ask] = useConfirm();
  const stock = useFreeStock(vault, made);
  const quantity = readQuantity(maximum);
  const minimum = parseFineness(fineness);
  const warning = quantity.ok ? aboveStock(BigInt(quantity.milli), stock, vault) : undefined;
  const problem = !quantity.ok
    ? quantity.reason
    : !minimum.ok
      ? minimum.reason
      : until < desk.date
        ? `the offer would end on ${until}, before it starts on ${desk.date}`
        : undefined;
  const submit = async () => {
    if (!quantity.ok || !minimum.ok || problem) return;
    const terms: Terms = {
      seller_party_id: depository,
      buyer_party_id: buyer,
      seller_stock_account_id: vault,
      seller_cash_account_id: pick(accounts, depository, 'cash', 'GBP'),
      buyer_custody_account_id: pick(accounts, buyer, 'custody'),
      buyer_cash_account_id: pick(accounts, buyer, 'cash', 'GBP'),
      maximum_fine_milli_oz: quantity.milli,
      minimum_fineness: minimum.value.toString(),
      currency: 'GBP',
      valid_from: desk.date,
      valid_until: until,
    };
    const lines = offerLines(terms, stock, warning);
    const answer = await ask({ title: `Make an offer to ${buyer}`, lines, verb: 'Make the offer' });
    if (!answer.confirmed) return;
    try {
      const done = await call<OfferMade>('POST', '/offers', terms, { key });
      onMade({ text: `${done.offer_id} made to ${buyer}`, refused: false });
      setKey(newKey());
      setMade((count) => count + 1);
    } catch (reason) {
      onMade({ text: `The offer to ${buyer} was refused: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <>
      <form className="inline new-offer" onSubmit={(event) => event.preventDefault()}>
        <h2>New offer, priced at the London fixing of the payment day in GBP</h2>
        <p className="stock">
          {stock
            ? `Free stock in ${vault}: ${showWeight(stock.free_fine_milli_oz.toString())} ` +
              `(${showWeight(stock.held_fine_milli_oz.toString())} held, ` +
              `${showWeight(stock.reserved_fine_milli_oz.toString())} reserved for allocated trades and accepted instructions)`
            : `Reading the stock of ${vault}…`}
        </p>
        <label>
          To{' '}
          <select value={buyer} onChange={(e) => setBuyer(e.target.value)}>
            {buyers.map((b) => (
              <option key={b}>{b}</option>
            ))}
          </select>
        </label>
        <label>
          Up to <input name="maximum" value={maximum} onChange={(e) => setMaximum(e.target.value)} />
        </label>
        <label>
          Bars of at least <input value={fineness} onChange={(e) => setFineness(e.target.value)} />‰
        </label>
        <label>
          Valid from {desk.date} until{' '}
          <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
        </label>
        <button type="button" onClick={submit} disabled={problem !== undefined}>
          Make the offer
        </button>
        {problem && <p className="error">{problem}</p>}
        {warning && (
          <p className="warning" role="status">
            {warning}
          </p>
        )}
      </form>
      {dialog}
    </>
  );
}

export function Offers() {
  const desk = useDesk();
  const offers = useLoad(() => call<Offer[]>('GET', '/offers'), []);
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const notices = useNotices();
  const operator = ['depository_operator', 'depository_supervisor'].includes(desk.session.user.role);
  return (
    <div>
      {offers.error && <p className="error">{offers.error}</p>}
      {offers.data && <OfferTable offers={offers.data} />}
      <NoticeList notices={notices.shown} onDismiss={notices.dismiss} />
      {operator && accounts.data && (
        <NewOffer
          accounts={accounts.data}
          onMade={(made) => {
            notices.add(made);
            offers.reload();
          }}
        />
      )}
    </div>
  );
}
