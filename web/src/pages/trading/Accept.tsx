// Buying gold: accept part of an offer by fine weight or by a sum, with what it buys and costs at
// the latest fixing shown before anything moves.
import { type FormEvent, useEffect, useState } from 'react';
import { call, newKey } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { useDesk } from '../../desk.ts';
import { readMoney, readQuantity, showPrice, showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Offer, Quote } from '../../types.ts';
import { OfferTable } from './Offers.tsx';

type Mode = 'quantity' | 'amount';
const QUANTITY_HINT = 'Fine gold (e.g. "1,000 oz", "2 t")';
const AMOUNT_HINT = 'Sum (e.g. "£100,000", "USD 280,000")';

/** The body of a quote or acceptance, or why the typed text cannot be read. */
function asking(mode: Mode, text: string, rate: string, offer: Offer): { body: object } | { reason: string } {
  if (mode === 'quantity') {
    const quantity = readQuantity(text);
    return quantity.ok ? { body: { quantity_fine_milli_oz: quantity.milli } } : { reason: quantity.reason };
  }
  const sum = readMoney(text, offer.currency);
  if (!sum.ok) return { reason: sum.reason };
  const amount = { currency: sum.currency, minor: sum.minor };
  if (sum.currency === offer.currency) return { body: { amount } };
  return rate.trim() === ''
    ? { reason: `give the rate, ${sum.currency} per ${offer.currency}` }
    : { body: { amount, rate: rate.trim() } };
}

function QuoteLine({ quote }: { quote: Quote | undefined }) {
  if (!quote) return null;
  return (
    <p className="quote">
      Buys {showWeight(quote.fine_milli_oz)}, costing{' '}
      <strong>
        <Amount unit={quote.cost.currency} minor={quote.cost.minor} date={quote.fixing_date} />
      </strong>{' '}
      at the fixing of {quote.fixing_date} (
      {showPrice(quote.cost.currency, quote.price_minor_per_oz, quote.fixing_date)} per fine oz); the price is
      set by the fixing of the payment day.
    </p>
  );
}

/** The quote of what is asked, fetched a moment after the typing stops. */
function useQuote(
  offer: Offer | undefined,
  body: string,
  date: string,
): [Quote | undefined, string | undefined] {
  const [quote, setQuote] = useState<Quote>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    setQuote(undefined);
    setError(undefined);
    if (!offer || body === '') return;
    const timer = setTimeout(() => {
      call<Quote>('POST', `/offers/${offer.id}/quote`, { ...JSON.parse(body), date }).then(
        setQuote,
        (reason: unknown) => setError(describeError(reason)),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [offer, body, date]);
  return [quote, error];
}

function ModeChoice({ mode, onChange }: { mode: Mode; onChange: (mode: Mode) => void }) {
  return (
    <fieldset>
      <label>
        <input type="radio" name="mode" checked={mode === 'quantity'} onChange={() => onChange('quantity')} />
        {' by fine weight'}
      </label>
      <label>
        <input type="radio" name="mode" checked={mode === 'amount'} onChange={() => onChange('amount')} /> by
        a sum
      </label>
    </fieldset>
  );
}

function AcceptForm({ offers, onAccepted }: { offers: readonly Offer[]; onAccepted: () => void }) {
  const desk = useDesk();
  const open = offers.filter(
    (o) => o.remaining_fine_milli_oz !== '0' && o.buyer_party_id === desk.session.user.party_id,
  );
  const [offerId, setOfferId] = useState(open[0]?.id ?? '');
  const [mode, setMode] = useState<Mode>('quantity');
  const [text, setText] = useState('');
  const [rate, setRate] = useState('');
  const [message, setMessage] = useState<string>();
  const [key, setKey] = useState(newKey);
  const offer = open.find((o) => o.id === offerId) ?? open[0];
  const ask = offer && text.trim() !== '' ? asking(mode, text, rate, offer) : undefined;
  const body = ask && 'body' in ask ? JSON.stringify(ask.body) : '';
  const [quote, quoteError] = useQuote(offer, body, desk.date);
  if (!offer) return <p>No offer is open to {desk.session.user.party_id}.</p>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ask || !('body' in ask)) return;
    try {
      const done = await call<{ trade_id: string }>(
        'POST',
        `/offers/${offer.id}/accept`,
        { ...ask.body, date: desk.date },
        { key },
      );
      setMessage(`${done.trade_id}: accepted on ${desk.date}; the depository will allocate the bars.`);
      setText('');
      setKey(newKey());
      onAccepted();
    } catch (reason) {
      setMessage(describeError(reason));
    }
  };
  return (
    <form className="accept" onSubmit={submit}>
      <h2>Accept an offer</h2>
      <label>
        Offer{' '}
        <select value={offer.id} onChange={(e) => setOfferId(e.target.value)}>
          {open.map((o) => (
            <option key={o.id} value={o.id}>
              {o.id}: {showWeight(o.remaining_fine_milli_oz)} remaining
            </option>
          ))}
        </select>
      </label>
      <ModeChoice mode={mode} onChange={setMode} />
      <label>
        {mode === 'quantity' ? QUANTITY_HINT : AMOUNT_HINT}{' '}
        <input name="asked" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {mode === 'amount' && (
        <label>
          Rate (sum's currency per {offer.currency}){' '}
          <input name="rate" value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
      )}
      {ask && 'reason' in ask && <p className="error">{ask.reason}</p>}
      <QuoteLine quote={quote} />
      {quoteError && <p className="error">{quoteError}</p>}
      <button type="submit" disabled={!ask || !('body' in ask)}>
        Accept on {desk.date}
      </button>
      {message && <p className="notice">{message}</p>}
    </form>
  );
}

export function Accept() {
  const desk = useDesk();
  const offers = useLoad(() => call<Offer[]>('GET', '/offers'), []);
  if (offers.error) return <p className="error">{offers.error}</p>;
  if (!offers.data) return <p>Loading…</p>;
  const signatory = desk.session.user.role === 'client_signatory';
  return (
    <div>
      <OfferTable offers={offers.data} />
      {signatory ? (
        <AcceptForm offers={offers.data} onAccepted={offers.reload} />
      ) : (
        <p>Only your bank's signatories may accept an offer.</p>
      )}
    </div>
  );
}
