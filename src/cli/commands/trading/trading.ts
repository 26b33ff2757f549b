// Offers, acceptances, allocation and settlement.
import type { Command } from 'commander';
import { formatBarListHeader, formatBarRow } from '../../../domain/barlist.ts';
import { type CurrencyCode, formatMoney, parseMoney } from '../../../domain/money.ts';
import { type Asked, askedOf, describeOffer, TRADE_STATES } from '../../../domain/offer.ts';
import { refuse } from '../../../domain/outcome.ts';
import { describeWeight, parseFineness, parseQuantity } from '../../../domain/weight.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { PAGE_ROWS_DEFAULT, PAGE_ROWS_MAX } from '../../../service/kernel/paging.ts';
import { createOffer, listOffers } from '../../../service/trading/offers.ts';
import { offerById, tradeParties, tradeWithBars } from '../../../service/trading/queries.ts';
import { settleTrade } from '../../../service/trading/settle.ts';
import { tradePage } from '../../../service/trading/trade-pages.ts';
import { acceptOffer, allocateTrade, cancelTrade } from '../../../service/trading/trades.ts';
import { type BarView, toBarSpec } from '../../../service/vault/bar-view.ts';
import { withIngot } from '../../context.ts';
import { currencyOption, dateOption, keyOption } from '../../options.ts';
import { CliExit, EXIT, must, parsedOption, refused } from '../../output.ts';
import { listParty, mustReadOwned } from '../vault/reader.ts';

interface OfferOptions {
  seller: string;
  buyer: string;
  max: string;
  minFineness: string;
  currency: string;
  validFrom?: string;
  validUntil: string;
  sellerStock: string;
  sellerCash: string;
  buyerCustody: string;
  buyerCash: string;
  key?: string;
}

function registerOffers(program: Command): void {
  const offers = program
    .command('offers')
    .enablePositionalOptions()
    .description('offers of gold to client banks')
    .action(listOffersAction);
  offers
    .command('create')
    .description('offer gold priced at the London fixing of the payment day')
    .requiredOption('--seller <party>', 'the depository')
    .requiredOption('--buyer <party>', 'the client bank')
    .requiredOption('--max <quantity>', 'maximum fine gold, e.g. "30 t", "20000 kg", "964522.397 oz"')
    .option('--min-fineness <per-mille>', 'minimum fineness of the bars', '995.0')
    .option('--currency <code>', 'currency of payment', 'GBP')
    .option('--valid-from <date>', 'first day an acceptance counts (default today)')
    .requiredOption('--valid-until <date>', 'last day an acceptance counts')
    .requiredOption('--seller-stock <account>', 'custody account the bars come from')
    .requiredOption('--seller-cash <account>', 'cash account receiving the price')
    .requiredOption('--buyer-custody <account>', 'custody account receiving the bars')
    .requiredOption('--buyer-cash <account>', 'cash account paying the price')
    .option('--key <key>', 'idempotency key')
    .addHelpText(
      'after',
      '\nExample:\n  ingot offers create --seller GOSBANK --buyer NBC --max "30 t" --min-fineness 990.0 \\\n    --valid-from 1961-01-11 --valid-until 1961-03-31 --seller-stock GOSBANK-VAULT \\\n    --seller-cash GOSBANK-GBP --buyer-custody NBC-GOLD --buyer-cash NBC-GBP',
    )
    .action(async (options: OfferOptions, command: Command) => {
      const terms = {
        seller_party_id: options.seller,
        buyer_party_id: options.buyer,
        seller_stock_account_id: options.sellerStock,
        seller_cash_account_id: options.sellerCash,
        buyer_custody_account_id: options.buyerCustody,
        buyer_cash_account_id: options.buyerCash,
        maximum_fine_milli_oz: parsedOption(parseQuantity(options.max), '--max'),
        minimum_fineness: parsedOption(parseFineness(options.minFineness), '--min-fineness'),
        currency: currencyOption(options.currency, '--currency'),
        pricing: 'london_fixing_of_payment_day' as const,
        custody_fee_per_year_per10k: 0n,
        valid_from: dateOption(options.validFrom, '--valid-from'),
        valid_until: dateOption(options.validUntil, '--valid-until'),
      };
      await withIngot(command, async (ingot, out) => {
        const made = must(await createOffer(ingot, terms, keyOption(options.key, out.note)));
        out.result(made, () => `${made.offer_id}: ${describeOffer({ ...terms, id: made.offer_id })}`);
      });
    });
  offers
    .command('list')
    .description('offers and what remains of each')
    .option('--party <id>')
    .action(listOffersAction);
}

async function listOffersAction(options: { party?: string }, command: Command): Promise<void> {
  await withIngot(command, async (ingot, out) => {
    const party = await listParty(ingot, command, options.party);
    const list = party === null ? [] : await listOffers(ingot, party);
    out.result(list, () =>
      list.length === 0
        ? 'no offers'
        : list.map(
            (o) =>
              `${o.id}: ${describeOffer(o)}\n  taken ${describeWeight(o.taken_fine_milli_oz)}, remaining ${describeWeight(o.remaining_fine_milli_oz)}`,
          ),
    );
  });
}

interface AcceptOptions {
  by: string;
  quantity?: string;
  amount?: string;
  rate?: string;
  date?: string;
  key?: string;
}

/** What the client asks for: a quantity, or a sum converted to the offer's currency at a stated rate. */
function askedFrom(options: AcceptOptions, currency: CurrencyCode, date: string): Asked {
  const amount = options.amount;
  const asking = askedOf(
    {
      quantity:
        options.quantity === undefined
          ? undefined
          : parsedOption(parseQuantity(options.quantity), '--quantity'),
      amount: amount === undefined ? undefined : parsedOption(parseMoney(amount, currency), '--amount'),
      rate: options.rate,
    },
    currency,
    date,
  );
  return asking.ok ? asking.asked : refused({ ...asking, field: `--${asking.field ?? 'quantity'}` });
}

async function offerCurrency(ingot: Ingot, offerId: string): Promise<CurrencyCode> {
  return must(await offerById(ingot, offerId)).offer.currency;
}

function registerAcceptance(program: Command): void {
  program
    .command('accept <offer>')
    .description('accept all or part of an offer, by fine weight or by a sum (after internal approval)')
    .requiredOption('--by <party>', 'the accepting client bank')
    .option('--quantity <quantity>', 'fine gold: "17.5 t", "500 kg", "562430 oz"')
    .option(
      '--amount <amount>',
      'a sum: "GBP 7000000", "£7,142,857 2s 10¼d", or "USD 20,000,000" with --rate',
    )
    .option('--rate <rate>', 'units of the amount’s currency per one unit of the offer’s currency, e.g. 2.80')
    .option('--date <date>', 'date of acceptance (default today)')
    .option('--key <key>', 'idempotency key')
    .addHelpText(
      'after',
      '\nExamples:\n  ingot accept OFFER-1 --by NBC --amount "USD 20,000,000" --rate 2.80 --date 1961-01-17\n  ingot accept OFFER-1 --by NBC --quantity "5 t" --date 1961-01-17',
    )
    .action(async (offerId: string, options: AcceptOptions, command: Command) => {
      const date = dateOption(options.date, '--date');
      await withIngot(command, async (ingot, out) => {
        const asked = askedFrom(options, await offerCurrency(ingot, offerId), date);
        const key = keyOption(options.key, out.note);
        const done = must(
          await acceptOffer(ingot, { offer_id: offerId, by_party_id: options.by, date, asked, key }),
        );
        const what =
          asked.kind === 'quantity'
            ? describeWeight(asked.fine_milli_oz)
            : `${formatMoney(asked.budget, date)} (${asked.stated})`;
        out.result(
          { ...done, asked },
          () =>
            `${done.replayed ? 'already accepted: ' : ''}${done.trade_id}: ${options.by} accepts ${what} of ${offerId}`,
        );
      });
    });
  program
    .command('allocate <trade>')
    .description('allocate bars from the seller’s vault to a trade and show the bar list before settlement')
    .option(
      '--price-date <date>',
      'for a trade accepted by amount: the fixing that sizes it (default: latest)',
    )
    .option('--bars', 'print the whole bar list')
    .addHelpText('after', '\nExample:\n  ingot allocate TRADE-1 --price-date 1961-01-31 --bars')
    .action(async (tradeId: string, options: { priceDate?: string; bars?: boolean }, command: Command) => {
      const referenceDate = options.priceDate ? dateOption(options.priceDate, '--price-date') : undefined;
      await withIngot(command, async (ingot, out) => {
        const done = must(
          await allocateTrade(ingot, {
            trade_id: tradeId,
            ...(referenceDate ? { reference_date: referenceDate } : {}),
          }),
        );
        const list = options.bars || out.json ? await barList(ingot, tradeId) : [];
        out.result({ ...done, bar_list: list }, () => [
          `${tradeId}: ${done.bars} bars allocated, ${describeWeight(done.allocated_fine_milli_oz)}`,
          `  asked ${describeWeight(done.target_fine_milli_oz)}${done.reference_date ? ` (at the fixing of ${done.reference_date})` : ''}; short by ${describeWeight(done.gap_fine_milli_oz)}`,
          ...(options.bars
            ? [formatBarListHeader(true), ...list.map((b) => formatBarRow(toBarSpec(b), true))]
            : ['  (add --bars for the bar list)']),
        ]);
      });
    });
  program
    .command('settle <trade>')
    .description('settle a trade delivery versus payment at the London fixing of the date')
    .requiredOption('--date <date>', 'the payment day; its fixing sets the price')
    .option('--key <key>', 'idempotency key (default: settle:<trade>)')
    .addHelpText('after', '\nExample:\n  ingot settle TRADE-1 --date 1961-01-31')
    .action(async (tradeId: string, options: { date: string; key?: string }, command: Command) => {
      const date = dateOption(options.date, '--date');
      await withIngot(command, async (ingot, out) => {
        const key = options.key ?? `settle:${tradeId}:${date}`;
        const done = must(await settleTrade(ingot, { trade_id: tradeId, date, key }));
        const paid = { currency: done.currency as 'GBP', minor: done.consideration_minor };
        out.result(
          done,
          () =>
            `${done.replayed ? 'already settled: ' : ''}${tradeId} settled ${date}: ${describeWeight(done.fine_milli_oz)} in ${done.bars} bars against ${formatMoney(paid, date)} (entry ${done.entry_id})`,
        );
      });
    });
}

async function barList(ingot: Ingot, tradeId: string): Promise<BarView[]> {
  return must(await tradeWithBars(ingot, tradeId)).bars;
}

function registerTrades(program: Command): void {
  const trades = program.command('trades').enablePositionalOptions().description('trades and their state');
  listOptions(trades).action(listTradesAction);
  listOptions(trades.command('list').description('trades, newest first, a page at a time')).action(
    listTradesAction,
  );
  trades
    .command('show <trade>')
    .description('a trade with its bar list')
    .action(async (tradeId: string, _options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        // As the server answers GET /trades/{id}: another bank's trade as one that does not exist,
        // and its bar list only to a reader cleared for one.
        const parties = await tradeParties(ingot, tradeId);
        await mustReadOwned(ingot, command, {
          owners: parties && [parties.seller_party_id, parties.buyer_party_id],
          kind: 'barlist',
          hidden: refuse('trade_not_found', `no trade ${tradeId} is visible to you`, 'trade'),
        });
        const found = must(await tradeWithBars(ingot, tradeId));
        out.result({ trade: found.trade, bars: found.bars }, () => [
          describeTrade(found.trade),
          formatBarListHeader(true),
          ...found.bars.map((b) => formatBarRow(toBarSpec(b), true)),
        ]);
      });
    });
  for (const mode of ['cancel', 'unallocate'] as const) {
    trades
      .command(`${mode} <trade>`)
      .description(
        mode === 'cancel'
          ? 'cancel a trade before settlement, releasing its bars'
          : 'release a trade’s bars so it can be allocated again',
      )
      .option('--reason <text>', 'why (kept with a cancelled trade)')
      .action(async (tradeId: string, options: { reason?: string }, command: Command) => {
        await withIngot(command, async (ingot, out) => {
          const done = must(await cancelTrade(ingot, { trade_id: tradeId, mode, reason: options.reason }));
          out.result(done, () => `${tradeId} is now ${done.state}`);
        });
      });
  }
}

function describeTrade(row: {
  id: string;
  offer_id: string;
  state: string;
  accepted_on: string;
  allocated_fine_milli_oz: bigint | null;
  settlement_date: string | null;
  consideration_minor: bigint | null;
  pending_reason: string | null;
}): string {
  const gold =
    row.allocated_fine_milli_oz === null ? 'no bars yet' : describeWeight(row.allocated_fine_milli_oz);
  const paid =
    row.consideration_minor === null
      ? ''
      : ` for ${formatMoney({ currency: 'GBP', minor: row.consideration_minor }, row.settlement_date ?? undefined)} on ${row.settlement_date}`;
  const pending = row.pending_reason ? `\n  pending: ${row.pending_reason}` : '';
  return `${row.id} (${row.offer_id}) ${row.state}, accepted ${row.accepted_on}: ${gold}${paid}${pending}`;
}

/** The options of a list of trades: those of `GET /trades`'s query. */
function listOptions(command: Command): Command {
  return command
    .option('--party <id>', 'only trades of offers this party buys or sells')
    .option('--offer <id>', 'only trades of this offer')
    .option('--state <state>', `only trades in this state: ${TRADE_STATES.join(', ')}`)
    .option('--cursor <cursor>', 'the next page: the next_cursor of the page before')
    .option('--limit <rows>', `trades per page, 1 to ${PAGE_ROWS_MAX}`, String(PAGE_ROWS_DEFAULT))
    .addHelpText('after', '\nExample:\n  ingot trades list --party NBC --state settled --limit 20');
}

interface ListTradesOptions {
  party?: string;
  offer?: string;
  state?: string;
  cursor?: string;
  limit: string;
}

/** A page size option: a whole number of rows from 1 to PAGE_ROWS_MAX. */
function limitOption(text: string): number {
  const rows = /^[0-9]{1,4}$/.test(text) ? Number(text) : 0;
  if (rows < 1 || rows > PAGE_ROWS_MAX) {
    throw new CliExit(
      EXIT.bad_input,
      `invalid_input [--limit]: "${text}" is not a whole number from 1 to ${PAGE_ROWS_MAX}`,
    );
  }
  return rows;
}

/** A page of trades, as `GET /trades` answers it (with --json, the same body). */
async function listTradesAction(options: ListTradesOptions, command: Command): Promise<void> {
  const state = options.state;
  if (state !== undefined && !TRADE_STATES.some((known) => known === state)) {
    throw new CliExit(
      EXIT.bad_input,
      `invalid_input [--state]: "${state}" is not one of ${TRADE_STATES.join(', ')}`,
    );
  }
  const limit = limitOption(options.limit);
  await withIngot(command, async (ingot, out) => {
    const party = await listParty(ingot, command, options.party);
    const page =
      party === null
        ? { items: [], next_cursor: null }
        : await tradePage(ingot, { party, offer_id: options.offer, state, cursor: options.cursor, limit });
    out.result(page, () => [
      ...(page.items.length === 0 ? ['no trades'] : page.items.map(describeTrade)),
      ...(page.next_cursor ? [`more: add --cursor ${page.next_cursor}`] : []),
    ]);
  });
}

export function registerTrading(program: Command): void {
  registerOffers(program);
  registerAcceptance(program);
  registerTrades(program);
}
