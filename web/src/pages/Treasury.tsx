// The treasury view of a client bank: money at the depository, sums set aside for trades not yet
// settled, and what is left for gold, valued at the latest fixing. Balances at correspondent banks
// and transfers under way are not in Ingot's books yet, so they are not shown.
import { affordableWeight, type CurrencyCode, consideration } from '../../../src/domain/money.ts';
import { call, query } from '../api.ts';
import { Amount } from '../components/Amount.tsx';
import { useDesk } from '../desk.ts';
import { showPrice, showWeight } from '../format.ts';
import { useLoad } from '../hooks.ts';
import type { Account, Fixing, Page, Trade } from '../types.ts';

/** What an open trade will cost: its budget, or its weight at the latest fixing (an estimate). */
function setAside(trade: Trade, fixing: Fixing | undefined): { minor: bigint; estimate: boolean } {
  if (trade.asked_kind === 'amount' && trade.budget_minor)
    return { minor: BigInt(trade.budget_minor), estimate: false };
  const weight = trade.allocated_fine_milli_oz ?? trade.asked_fine_milli_oz ?? '0';
  if (!fixing) return { minor: 0n, estimate: true };
  const price = { currency: fixing.currency as CurrencyCode, minor_per_oz: BigInt(fixing.minor_per_oz) };
  return { minor: consideration(price, BigInt(weight), fixing.date).minor, estimate: true };
}

async function loadTreasury() {
  const [accounts, trades, fixings] = await Promise.all([
    call<Account[]>('GET', '/accounts'),
    call<Page<Trade>>('GET', `/trades${query({ limit: 1000 })}`),
    call<Fixing[]>('GET', `/prices${query({ currency: 'GBP' })}`),
  ]);
  return { accounts, trades: trades.items, fixing: fixings.at(-1) };
}

export function Treasury() {
  const desk = useDesk();
  const { data, error } = useLoad(loadTreasury, []);
  if (error) return <p className="error">{error}</p>;
  if (!data) return <p>Loading…</p>;
  const cash = data.accounts.filter((a) => a.kind === 'cash' && a.party_id === desk.session.user.party_id);
  const open = data.trades.filter((t) => t.state === 'accepted' || t.state === 'allocated');
  const aside = open.map((trade) => ({ trade, ...setAside(trade, data.fixing) }));
  const asideTotal = aside.reduce((sum, item) => sum + item.minor, 0n);
  const balance = cash.filter((a) => a.unit === 'GBP').reduce((sum, a) => sum + BigInt(a.balance), 0n);
  const left = balance - asideTotal;
  const fixing = data.fixing;
  const buys =
    fixing && left > 0n
      ? affordableWeight(
          { currency: 'GBP', minor: left },
          { currency: 'GBP', minor_per_oz: BigInt(fixing.minor_per_oz) },
          fixing.date,
        )
      : 0n;
  return (
    <div className="treasury">
      <table className="grid">
        <tbody>
          {cash.map((a) => (
            <tr key={a.id}>
              <td>Balance of {a.id} at the depository</td>
              <td>
                <Amount unit={a.unit} minor={a.balance} date={desk.date} />
              </td>
            </tr>
          ))}
          {aside.map(({ trade, minor, estimate }) => (
            <tr key={trade.id}>
              <td>
                Set aside for {trade.id} ({trade.state}
                {estimate ? ', estimated at the latest fixing' : `, ${trade.budget_stated}`})
              </td>
              <td>
                <Amount unit="GBP" minor={(-minor).toString()} date={desk.date} />
              </td>
            </tr>
          ))}
          <tr className="total">
            <td>Left for gold</td>
            <td>
              <Amount unit="GBP" minor={left.toString()} date={desk.date} />
            </td>
          </tr>
        </tbody>
      </table>
      {fixing && (
        <p>
          At the fixing of {fixing.date} ({showPrice('GBP', fixing.minor_per_oz, fixing.date)} per fine oz)
          what is left buys about {showWeight(buys.toString())}.
        </p>
      )}
      <p className="note">
        Balances at correspondent banks and transfers under way are not recorded in Ingot yet; this view shows
        the accounts held at the depository.
      </p>
    </div>
  );
}
