// Buying gold: accept part of an offer by fine weight or by a sum, with what it buys and costs at
// the latest fixing, and the cash available, shown before anything moves; a confirmation states
// it all again, and nothing is accepted by pressing Enter.
import { useEffect, useState } from 'react';
import { call, newKey } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { useConfirm } from '../../components/Confirm.tsx';
import { NoticeList, useNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { readMoney, readQuantity, showAmount, showPrice, showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Offer, OfferAccepted, Quote } from '../../types.ts';
import { OfferTable } from './Offers.tsx';
import './trading.css';

type Mode = 'quantity' | 'amount';
const QUANTITY_HINT = 'Fine gold (e.g. "1,000 oz", "2 t")';
const AMOUNT_HINT = 'Sum (e.g. "£100,000", "USD 280,000")';

/** What is asked, as the API takes it and as people read it. */
interface Asked {
  readonly body: object;
  readonly stated: string;
}

/** The body of a quote or acceptance, or why the typed text cannot be read. */
function asking(
  mode: Mode,
  text: string,
  rate: string,
  offer: Offer,
  date: string,
): Asked | { reason: string } {
  if (mode === 'quantity') {
    const quantity = readQuantity(text);
    if (!quantity.ok) return { reason: quantity.reason };
    return { body: { quantity_fine_milli_oz: quantity.milli }, stated: showWeight(quantity.milli) };
  }
  const sum = readMoney(text, offer.currency);
  if (!sum.ok) return { reason: sum.reason };
  const amount = { currency: sum.currency, minor: sum.minor };
  const stated = showAmount(sum.currency, sum.minor, date);
  if (sum.currency === offer.currency) return { body: { amount }, stated };
  return rate.trim() === ''
    ? { reason: `give the rate, ${sum.currency} per ${offer.currency}` }
    : { body: { amount, rate: rate.trim() }, stated: `${stated} at ${rate.trim()} per ${offer.currency}` };
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
  // Asked again when the offer's terms change, not each time the list of offers is read again (the
  // quote shown, and Accept with it, would vanish for a moment under the user's hand).
  const terms = offer ? JSON.stringify(offer) : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `terms` stands for the offer
  useEffect(() => {
    setQuote(undefined);
    setError(undefined);
    if (!offer || body === '') return;
    let live = true;
    const timer = setTimeout(() => {
      // Only the answer to the latest question is shown: an earlier one may come back later.
      call<Quote>('POST', `/offers/${offer.id}/quote`, { ...JSON.parse(body), date }).then(
        (answer) => live && setQuote(answer),
        (reason: unknown) => live && setError(describeError(reason)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [terms, body, date]);
  return [quote, error];
}

/** The warning when the cost is above the cash the buyer's account holds, if it is. */
function aboveCash(quote: Quote | undefined, cash: Account | undefined): string | undefined {
  if (!quote || !cash || cash.unit !== quote.cost.currency) return undefined;
  if (BigInt(quote.cost.minor) <= BigInt(cash.balance)) return undefined;
  const cost = showAmount(quote.cost.currency, quote.cost.minor, quote.fixing_date);
  const held = showAmount(cash.unit, cash.balance, quote.fixing_date);
  return (
    `Warning: the cost, ${cost}, is above the cash available in ${cash.id}, ${held}; ` +
    'the settlement will be refused unless the difference is paid in first.'
  );
}

/** What accepting will do, in words and figures. */
function acceptLines(
  offer: Offer,
  asked: Asked,
  quote: Quote,
  cash: Account | undefined,
  date: string,
): string[] {
  const cost = showAmount(quote.cost.currency, quote.cost.minor, quote.fixing_date);
  const price = showPrice(quote.cost.currency, quote.price_minor_per_oz, quote.fixing_date);
  const available = cash ? showAmount(cash.unit, cash.balance, date) : 'not known';
  const warning = aboveCash(quote, cash);
  return [
    `Accept ${offer.id} from ${offer.seller_party_id} on ${date} for ${asked.stated}:`,
    `${showWeight(quote.fine_milli_oz)} of fine gold,`,
    `costing ${cost} at the fixing of ${quote.fixing_date} (${price} per fine oz);`,
    'the price paid is set by the fixing of the payment day.',
    `Paid from ${offer.buyer_cash_account_id} (cash available ${available});`,
    `the bars delivered to ${offer.buyer_custody_account_id} once allocated and settled.`,
    ...(warning ? [warning] : []),
  ];
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
  const accounts = useLoad(() => call<Account[]>('GET', '/accounts'), []);
  const [offerId, setOfferId] = useState(open[0]?.id ?? '');
  const [mode, setMode] = useState<Mode>('quantity');
  const [text, setText] = useState('');
  const [rate, setRate] = useState('');
  const notices = useNotices();
  const [key, setKey] = useState(newKey);
  const [dialog, confirm] = useConfirm();
  const offer = open.find((o) => o.id === offerId) ?? open[0];
  const ask = offer && text.trim() !== '' ? asking(mode, text, rate, offer, desk.date) : undefined;
  const body = ask && 'body' in ask ? JSON.stringify(ask.body) : '';
  const [quote, quoteError] = useQuote(offer, body, desk.date);
  if (!offer) return <p>No offer is open to {desk.session.user.party_id}.</p>;
  const cash = accounts.data?.find((a) => a.id === offer.buyer_cash_account_id);
  const warning = aboveCash(quote, cash);
  const accept = async () => {
    if (!ask || !('body' in ask) || !quote) return;
    const lines = acceptLines(offer, ask, quote, cash, desk.date);
    const answer = await confirm({ title: `Accept ${offer.id}`, lines, verb: 'Accept' });
    if (!answer.confirmed) return;
    try {
      const done = await call<OfferAccepted>(
        'POST',
        `/offers/${offer.id}/accept`,
        { ...ask.body, date: desk.date },
        { key },
      );
      notices.add({
        text: `${done.trade_id}: accepted on ${desk.date}; the depository will allocate the bars.`,
        refused: false,
      });
      setText('');
      setKey(newKey());
      accounts.reload();
      onAccepted();
    } catch (reason) {
      notices.add({
        text: `${offer.id}: the acceptance was refused: ${describeError(reason)}`,
        refused: true,
      });
    }
  };
  return (
    <>
      {/* Enter in a field never accepts: the form does not submit, only the button asks. */}
      <form className="accept" onSubmit={(event) => event.preventDefault()}>
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
        <p className="stock">
          Cash available in {offer.buyer_cash_account_id}:{' '}
          {cash ? <Amount unit={cash.unit} minor={cash.balance} date={desk.date} /> : '…'}
        </p>
        {ask && 'reason' in ask && <p className="error">{ask.reason}</p>}
        <QuoteLine quote={quote} />
        {quoteError && <p className="error">{quoteError}</p>}
        {warning && (
          <p className="warning" role="status">
            {warning}
          </p>
        )}
        <button type="button" onClick={accept} disabled={!ask || !('body' in ask) || !quote}>
          Accept on {desk.date}
        </button>
      </form>
      <NoticeList notices={notices.shown} onDismiss={notices.dismiss} />
      {dialog}
    </>
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
