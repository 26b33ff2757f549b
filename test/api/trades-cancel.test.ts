// A trade cancelled says why: the reason the operator gives is kept with the trade, and the trade
// no longer shows a reason it waits for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/service/journal/verify.ts';
import { errorOf, type Served, servedWorld } from './support.ts';

let served: Served;
beforeAll(async () => {
  served = await servedWorld(20);
});
afterAll(async () => {
  expect((await verifyStore(served.ingot)).breaches).toEqual([]);
  await served.close();
});

describe('cancelling a trade', () => {
  it('keeps the reason given, clears why it waited, and refuses an empty reason', async () => {
    const nbc = await served.signIn('nbc-signatory');
    const operator = await served.signIn('operator');
    const accepted = await nbc.post(
      '/offers/OFFER-1/accept',
      { quantity_fine_milli_oz: '1000000', date: '1961-01-17' },
      'c1',
    );
    expect(accepted.status, accepted.text).toBe(201);
    const empty = await operator.post('/trades/TRADE-1/cancel', { reason: '' });
    expect([empty.status, errorOf(empty).field]).toEqual([400, 'reason']);
    const done = await operator.post('/trades/TRADE-1/cancel', {
      reason: 'the client withdrew its approval',
    });
    expect(done.body).toEqual({ trade_id: 'TRADE-1', state: 'cancelled' });
    const shown = (await operator.get('/trades/TRADE-1')).body as {
      trade: { cancellation_reason: string | null; pending_reason: string | null };
    };
    expect(shown.trade).toMatchObject({
      cancellation_reason: 'the client withdrew its approval',
      pending_reason: null,
    });
  });
});
