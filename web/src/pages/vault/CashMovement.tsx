// Money paid in to or out of a cash account at the depository, booked by its operators: the sum as
// a person types it ("£12,500", "£12 10s" before 1971), the value date, a memo; a confirmation
// states the balance before and after, and warns where a payment would overdraw the account (the
// server refuses it). One idempotency key per booking: a double click books once.
import { useState } from 'react';
import { type CurrencyCode, formatMoney } from '../../../../src/domain/money.ts';
import { call, newKey } from '../../api.ts';
import { useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { readMoney } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { Account, CashBooked } from '../../types.ts';

type Direction = 'deposit' | 'withdrawal';

const PATHS: Record<Direction, string> = { deposit: '/cash/deposits', withdrawal: '/cash/withdrawals' };

export function CashMovement({
  account,
  onDone,
}: {
  account: Account;
  onDone: (notice: NoticeText) => void;
}) {
  const desk = useDesk();
  const currency = account.unit as CurrencyCode;
  const [direction, setDirection] = useState<Direction>('deposit');
  const [sum, setSum] = useState('');
  const [date, setDate] = useState(desk.date);
  const [memo, setMemo] = useState('');
  const [key, setKey] = useState(newKey);
  const [dialog, ask] = useConfirm();
  const read = sum.trim() === '' ? undefined : readMoney(sum, currency);
  const wrongCurrency =
    read?.ok && read.currency !== currency ? `${account.id} holds ${currency}, not ${read.currency}` : null;
  const before = BigInt(account.balance);
  const moved = read?.ok ? BigInt(read.minor) : 0n;
  const after = direction === 'deposit' ? before + moved : before - moved;
  const show = (minor: bigint) => formatMoney({ currency, minor }, date);
  const overdrawn = direction === 'withdrawal' && after < 0n;
  const book = async () => {
    if (!read?.ok || wrongCurrency) return;
    const answer = await ask({
      title:
        direction === 'deposit' ? `Book money received into ${account.id}` : `Pay money out of ${account.id}`,
      lines: [
        `${direction === 'deposit' ? 'Credit' : 'Debit'} ${account.id} (${account.party_id}) with ${show(moved)}, value ${date}${memo.trim() ? `: ${memo.trim()}` : ''}.`,
        `Balance now ${show(before)}; after ${show(after)}.`,
      ],
      verb: direction === 'deposit' ? 'Book the receipt' : 'Book the payment',
    });
    if (!answer.confirmed) return;
    try {
      const done = await call<CashBooked>(
        'POST',
        PATHS[direction],
        {
          account_id: account.id,
          amount: { currency, minor: read.minor },
          date,
          ...(memo.trim() ? { memo: memo.trim() } : {}),
        },
        { key },
      );
      onDone({
        text: `${account.id}: ${show(moved)} ${direction === 'deposit' ? 'received' : 'paid out'} (journal entry #${done.entry_id})`,
        refused: false,
      });
      setSum('');
      setMemo('');
      setKey(newKey());
    } catch (reason) {
      onDone({ text: `${account.id}: not booked: ${describeError(reason)}`, refused: true });
    }
  };
  return (
    <form
      className="inline cash-movement"
      onSubmit={(event) => event.preventDefault()}
      aria-labelledby="cash-movement"
    >
      <h2 id="cash-movement">Money in or out of {account.id}</h2>
      {dialog}
      <label>
        Movement{' '}
        <select
          name="cash_direction"
          value={direction}
          onChange={(e) => setDirection(e.target.value === 'withdrawal' ? 'withdrawal' : 'deposit')}
        >
          <option value="deposit">received (credit)</option>
          <option value="withdrawal">paid out (debit)</option>
        </select>
      </label>
      <label>
        Sum{' '}
        <input
          name="cash_sum"
          placeholder={currency === 'GBP' ? '£12,500 or £12 10s' : `${currency} 12,500`}
          value={sum}
          onChange={(e) => setSum(e.target.value)}
        />
      </label>
      <label>
        Value date{' '}
        <input type="date" name="cash_date" value={date} onChange={(e) => setDate(e.target.value)} />
      </label>
      <label>
        Memo <input name="cash_memo" value={memo} onChange={(e) => setMemo(e.target.value)} />
      </label>
      {read && !read.ok && <p className="error">{read.reason}</p>}
      {wrongCurrency && <p className="error">{wrongCurrency}</p>}
      {overdrawn && (
        <p className="error">
          This would overdraw {account.id}: it holds {show(before)}.
        </p>
      )}
      <button
        type="button"
        onClick={book}
        disabled={!read?.ok || moved === 0n || wrongCurrency !== null || overdrawn || date === ''}
      >
        Book…
      </button>
    </form>
  );
}
