// The depository's actions on a trade: allocate, settle on a date, release the bars, cancel. Each
// asks first in a dialog stating what will happen in words and figures; a settlement on a date
// before the acceptance, or with no fixing, is warned of and not offered.
import { useState } from 'react';
import { call, newKey } from '../../api.ts';
import { type ConfirmRequest, useConfirm } from '../../components/Confirm.tsx';
import type { NoticeText } from '../../components/Notice.tsx';
import { useDesk } from '../../desk.ts';
import { showAmount, showWeight } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { Account, Allocation, Bar, Offer, Settlement, Trade } from '../../types.ts';
import {
  allocateLines,
  cancelLines,
  figuresOf,
  releaseLines,
  settleLines,
  settlementBlocked,
} from './trade-text.ts';

export const OPERATORS = ['depository_operator', 'depository_supervisor'];

export interface ActionsProps {
  readonly trade: Trade;
  readonly offer: Offer | undefined;
  /** Prices of the fixings, minor units per fine oz, by `${currency} ${date}`. */
  readonly prices: ReadonlyMap<string, string>;
  /** The buyer's cash account, as the depository sees it. */
  readonly cash: Account | undefined;
  readonly onOutcome: (notice: NoticeText) => void;
  readonly onBars: (bars: readonly Bar[]) => void;
}

/** Runs a confirmed action and reports its outcome, in the trade's row. */
function useAct(trade: Trade, onOutcome: (notice: NoticeText) => void) {
  const [dialog, ask] = useConfirm();
  const [busy, setBusy] = useState(false);
  const act = async (request: ConfirmRequest, what: string, work: (reason: string) => Promise<string>) => {
    const answer = await ask(request);
    if (!answer.confirmed) return;
    setBusy(true);
    try {
      onOutcome({ text: await work(answer.reason), refused: false });
    } catch (reason) {
      onOutcome({ text: `${trade.id}: ${what} refused: ${describeError(reason)}`, refused: true });
    } finally {
      setBusy(false);
    }
  };
  return { dialog, busy, act };
}

function SettleAction(props: ActionsProps & { offer: Offer }) {
  const { trade, offer, prices, cash, onOutcome } = props;
  const desk = useDesk();
  const [chosen, setChosen] = useState<string>();
  const [key, setKey] = useState(newKey);
  const { dialog, busy, act } = useAct(trade, onOutcome);
  const date = chosen ?? desk.date;
  const figures = figuresOf(trade, offer.currency, prices.get(`${offer.currency} ${date}`), date);
  const blocked = settlementBlocked(trade, date, figures);
  const settle = () => {
    if (!figures || blocked) return;
    const lines = settleLines(trade, offer, figures, cash, date);
    return act({ title: `Settle ${trade.id}`, lines, verb: 'Settle' }, 'settlement', async () => {
      setKey(newKey());
      const done = await call<Settlement>('POST', `/trades/${trade.id}/settle`, { date }, { key });
      const paid = showAmount(done.currency, done.consideration_minor, done.date);
      return `${trade.id}: settled on ${done.date}, ${paid} paid against ${showWeight(trade.allocated_fine_milli_oz ?? '0')}`;
    });
  };
  return (
    <>
      <label className="settle-date">
        Settle on{' '}
        <input
          type="date"
          name="settle-date"
          value={date}
          min={trade.accepted_on}
          onChange={(e) => setChosen(e.target.value)}
        />
      </label>{' '}
      {blocked ? (
        <span className="warning settle-blocked">{blocked}</span>
      ) : (
        <button type="button" disabled={busy} onClick={settle}>
          Settle {date}
        </button>
      )}
      {dialog}
    </>
  );
}

export function Actions(props: ActionsProps) {
  const { trade, offer, onOutcome, onBars } = props;
  const desk = useDesk();
  const { dialog, busy, act } = useAct(trade, onOutcome);
  if (!OPERATORS.includes(desk.session.user.role) || !offer) return null;
  const post = <T,>(path: string, body: unknown) => call<T>('POST', `/trades/${trade.id}/${path}`, body);
  const allocate = () =>
    act(
      { title: `Allocate ${trade.id}`, lines: allocateLines(trade, offer, desk.date), verb: 'Allocate' },
      'allocation',
      async () => {
        const done = await post<Allocation>('allocate', { reference_date: desk.date });
        onBars(done.bar_list);
        return `${trade.id}: ${done.bars} bars allocated, ${showWeight(done.allocated_fine_milli_oz)}`;
      },
    );
  const release = () =>
    act(
      {
        title: `Release the bars of ${trade.id}`,
        lines: releaseLines(trade, offer),
        verb: 'Release the bars',
      },
      'release',
      async () => {
        await post('unallocate', {});
        onBars([]);
        return `${trade.id}: bars released; it waits for allocation again`;
      },
    );
  const cancel = () =>
    act(
      {
        title: `Cancel ${trade.id}`,
        lines: cancelLines(trade, offer),
        verb: 'Cancel the trade',
        reason: 'Reason for cancelling',
      },
      'cancellation',
      async (reason) => {
        await post('cancel', { reason });
        onBars([]);
        return `${trade.id}: cancelled (${reason})`;
      },
    );
  const live = trade.state === 'accepted' || trade.state === 'allocated';
  return (
    <span className="actions">
      {trade.state === 'accepted' && (
        <button type="button" disabled={busy} onClick={allocate}>
          Allocate
        </button>
      )}
      {trade.state === 'allocated' && (
        <>
          <SettleAction {...props} offer={offer} />{' '}
          <button type="button" disabled={busy} onClick={release}>
            Release bars
          </button>
        </>
      )}
      {live && (
        <button type="button" disabled={busy} onClick={cancel}>
          Cancel
        </button>
      )}
      {dialog}
    </span>
  );
}
