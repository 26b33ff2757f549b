// Trades: what each bank accepted, its allocation and settlement, and for those awaiting settlement
// the reason they wait. The depository's operators allocate, settle and cancel from here, each
// after a confirmation; what an action came to is shown under its row, a refusal until dismissed.
import { useRef, useState } from 'react';
import { call, query } from '../../api.ts';
import { Amount } from '../../components/Amount.tsx';
import { BarDetail, type BarKey } from '../../components/BarDetail.tsx';
import { Download } from '../../components/Download.tsx';
import { NoticeList, type RowNotices, useRowNotices } from '../../components/Notices.tsx';
import { useDesk } from '../../desk.ts';
import { showFineness, showOunces, showPrice, showWeight } from '../../format.ts';
import { describeError, useLoad } from '../../hooks.ts';
import type { Account, Bar, Fixing, Offer, Page, Trade, TradeShown } from '../../types.ts';
import { usePaged } from '../paged.ts';
import { Actions, OPERATORS } from './trade-actions.tsx';
import { askedOf } from './trade-text.ts';
import './trading.css';

const COLUMNS = 8;

/** What the operators' actions need to state their figures: offers, fixings, cash accounts. */
interface Books {
  readonly offers: ReadonlyMap<string, Offer>;
  readonly prices: ReadonlyMap<string, string>;
  readonly accounts: ReadonlyMap<string, Account>;
}

async function readBooks(): Promise<Books> {
  const [offers, accounts] = await Promise.all([
    call<Offer[]>('GET', '/offers'),
    call<Account[]>('GET', '/accounts'),
  ]);
  const currencies = [...new Set(offers.map((offer) => offer.currency))];
  const fixings = await Promise.all(
    currencies.map((currency) => call<Fixing[]>('GET', `/prices${query({ currency })}`)),
  );
  const prices = new Map<string, string>();
  for (const fixing of fixings.flat()) prices.set(`${fixing.currency} ${fixing.date}`, fixing.minor_per_oz);
  return {
    offers: new Map(offers.map((offer) => [offer.id, offer])),
    prices,
    accounts: new Map(accounts.map((account) => [account.id, account])),
  };
}

/** Why a trade waits: its recorded reason, or the step it waits for. A closed trade waits for nothing. */
function whyItWaits(trade: Trade): string {
  if (trade.state === 'accepted') return trade.pending_reason ?? 'awaiting allocation';
  if (trade.state === 'allocated') return trade.pending_reason ?? 'allocated, awaiting settlement';
  return '';
}

function Settled({ trade }: { trade: Trade }) {
  if (!trade.consideration_minor || !trade.settlement_date) return null;
  return (
    <>
      {trade.settlement_date} at {showPrice('GBP', trade.price_minor_per_oz ?? '0', trade.settlement_date)}:{' '}
      <Amount unit="GBP" minor={trade.consideration_minor} date={trade.settlement_date} />
    </>
  );
}

/** A trade's bars; a serial opens the bar's history under the list. */
function BarRows({ bars }: { bars: readonly Bar[] }) {
  const [opened, setOpened] = useState<BarKey>();
  const table = useRef<HTMLTableElement>(null);
  // Closing gives the focus back to the serial that opened the bar.
  const close = () => {
    const serial = opened?.serial ?? '';
    setOpened(undefined);
    table.current
      ?.querySelector<HTMLButtonElement>(`tr[data-serial="${CSS.escape(serial)}"] button`)
      ?.focus();
  };
  return (
    <>
      <table className="trade-bars" ref={table}>
        <thead>
          <tr>
            <th>Refiner</th>
            <th>Serial</th>
            <th>Year</th>
            <th className="num">Gross oz</th>
            <th className="num">Fineness</th>
            <th className="num">Fine oz</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((bar) => (
            <tr key={bar.id} data-serial={bar.serial}>
              <td>{bar.refiner}</td>
              <td>
                <button
                  type="button"
                  className="link"
                  title={`The history of bar ${bar.refiner}/${bar.serial}`}
                  onClick={() => setOpened({ refiner: bar.refiner, serial: bar.serial })}
                >
                  {bar.serial}
                </button>
              </td>
              <td>{bar.year}</td>
              <td className="num">{showOunces(bar.gross_milli_oz)}</td>
              <td className="num">{showFineness(bar.fineness)}</td>
              <td className="num">{showOunces(bar.fine_milli_oz)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {opened && <BarDetail bar={opened} onClose={close} />}
    </>
  );
}

interface RowProps {
  readonly trade: Trade;
  readonly books: Books | undefined;
  readonly notices: RowNotices;
  readonly bars: readonly Bar[] | undefined;
  readonly onBars: (bars: readonly Bar[] | undefined) => void;
  readonly onChanged: () => void;
}

function TradeRow({ trade, books, notices, bars, onBars, onChanged }: RowProps) {
  const desk = useDesk();
  const settled = trade.state === 'settled';
  const why = whyItWaits(trade);
  const offer = books?.offers.get(trade.offer_id);
  const cash = offer ? books?.accounts.get(offer.buyer_cash_account_id) : undefined;
  const shown = notices.of(trade.id);
  const operator = OPERATORS.includes(desk.session.user.role);
  const showBars = async () => {
    if (bars) return onBars(undefined);
    try {
      onBars((await call<TradeShown>('GET', `/trades/${trade.id}`)).bars);
    } catch (reason) {
      notices.add(trade.id, { text: `${trade.id}: bars not shown: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <>
      <tr data-trade={trade.id} className={why !== '' && trade.pending_reason ? 'waiting' : ''}>
        <td>{trade.id}</td>
        <td>{trade.offer_id}</td>
        <td>{trade.accepted_on}</td>
        <td>{askedOf(trade)}</td>
        <td className="state">{trade.state}</td>
        <td>{trade.allocated_fine_milli_oz ? showWeight(trade.allocated_fine_milli_oz) : '—'}</td>
        <td>{settled ? <Settled trade={trade} /> : <span className="why">{why}</span>}</td>
        <td>
          {trade.allocated_fine_milli_oz && operator && (
            <button type="button" onClick={showBars}>
              {bars ? 'Hide the bars' : 'Show the bars'}
            </button>
          )}{' '}
          {trade.allocated_fine_milli_oz && (
            <Download label="Bars CSV" path={`/trades/${trade.id}/bars.csv`} />
          )}{' '}
          {settled && <Download label="Confirmation PDF" path={`/trades/${trade.id}/confirmation.pdf`} />}{' '}
          {settled && (
            <Download
              label="Documents CSV"
              path={`/documents.csv${query({ trade: trade.id, units: 'person' })}`}
            />
          )}{' '}
          <Actions
            trade={trade}
            offer={offer}
            prices={books?.prices ?? new Map()}
            cash={cash}
            onOutcome={(notice) => {
              notices.add(trade.id, notice);
              onChanged();
            }}
            onBars={(list) => onBars(list.length === 0 ? undefined : list)}
          />
        </td>
      </tr>
      {bars && bars.length > 0 && (
        <tr className="row-bars" data-bars-for={trade.id}>
          <td colSpan={COLUMNS}>
            <BarRows bars={bars} />
          </td>
        </tr>
      )}
      {shown.length > 0 && (
        <tr className="row-notice" data-notice-for={trade.id}>
          <td colSpan={COLUMNS}>
            <NoticeList notices={shown} onDismiss={(id) => notices.dismiss(trade.id, id)} />
          </td>
        </tr>
      )}
    </>
  );
}

export function Trades() {
  const desk = useDesk();
  const [state, setState] = useState('');
  const notices = useRowNotices();
  const [bars, setBars] = useState<ReadonlyMap<string, readonly Bar[]>>(new Map());
  const operator = OPERATORS.includes(desk.session.user.role);
  const books = useLoad(() => (operator ? readBooks() : Promise.resolve(undefined)), [operator]);
  const paged = usePaged(
    (cursor) => call<Page<Trade>>('GET', `/trades${query({ state, cursor, limit: 50 })}`),
    [state],
  );
  const onChanged = () => {
    paged.reload();
    books.reload();
  };
  const barsOf = (id: string) => (list: readonly Bar[] | undefined) =>
    setBars((before) => {
      const next = new Map(before);
      if (list) next.set(id, list);
      else next.delete(id);
      return next;
    });
  return (
    <div className="trades">
      <p className="filters">
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.target.value)}>
            <option value="">all</option>
            <option value="accepted">accepted, awaiting allocation</option>
            <option value="allocated">allocated, awaiting settlement</option>
            <option value="settled">settled</option>
            <option value="cancelled">cancelled</option>
          </select>
        </label>{' '}
        <Download label="All confirmations and advices (CSV)" path="/documents.csv?units=person" />
      </p>
      {paged.error && <p className="error">{paged.error}</p>}
      {books.error && <p className="error">{books.error}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th>Trade</th>
            <th>Offer</th>
            <th>Accepted</th>
            <th>Asked</th>
            <th>State</th>
            <th>Allocated</th>
            <th>Settlement, or why it waits</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {paged.items.map((trade) => (
            <TradeRow
              key={trade.id}
              trade={trade}
              books={books.data}
              notices={notices}
              bars={bars.get(trade.id)}
              onBars={barsOf(trade.id)}
              onChanged={onChanged}
            />
          ))}
        </tbody>
      </table>
      {paged.more && (
        <button type="button" onClick={paged.loadMore}>
          More trades
        </button>
      )}
    </div>
  );
}
