// Money paid into and out of client accounts at the depository, from and to the outside world.
import { formatMoney, type Money } from '../../domain/money.ts';
import { refuse } from '../../domain/outcome.ts';
import { postEntry } from '../journal/journal.ts';
import type { Ingot } from '../kernel/context.ts';
import { idempotent, type Replayable } from '../kernel/idempotency.ts';
import { ensureExternalAccount, findAccount } from '../parties/parties.ts';

export interface CashMovement {
  readonly account_id: string;
  readonly amount: Money;
  readonly date: string;
  readonly memo?: string;
  readonly key: string;
}

/** Credits an account with money received from outside (a deposit); a withdrawal is the reverse. */
export async function moveCash(
  ingot: Ingot,
  direction: 'deposit' | 'withdrawal',
  movement: CashMovement,
): Promise<Replayable<{ entry_id: bigint }>> {
  if (movement.amount.minor <= 0n) return refuse('invalid_input', 'the amount must be above zero', 'amount');
  return idempotent(ingot, movement.key, `cash.${direction}`, movement, async (tx) => {
    const found = await findAccount(tx, movement.account_id);
    if (!found.ok) return found;
    const { account } = found;
    if (account.kind !== 'cash')
      return refuse('account_unit_mismatch', `${account.id} is not a cash account`, 'account');
    if (account.unit !== movement.amount.currency) {
      return refuse(
        'currency_mismatch',
        `${account.id} holds ${account.unit}, not ${movement.amount.currency}`,
        'amount',
      );
    }
    const external = await ensureExternalAccount(tx, account.unit, ingot.now());
    const sign = direction === 'deposit' ? 1n : -1n;
    const text = formatMoney(movement.amount, movement.date);
    return postEntry(tx, {
      kind: `cash_${direction}`,
      value_date: movement.date,
      recorded_at: ingot.now(),
      memo:
        movement.memo ?? `${direction} of ${text} ${direction === 'deposit' ? 'into' : 'from'} ${account.id}`,
      idempotency_key: movement.key,
      postings: [
        { account_id: account.id, unit: account.unit, amount: sign * movement.amount.minor },
        { account_id: external, unit: account.unit, amount: -sign * movement.amount.minor },
      ],
    });
  });
}
