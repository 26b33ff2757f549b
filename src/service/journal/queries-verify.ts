// The invariants of the books as queries the database answers over the whole store: each returns
// the rows that break its rule (none when the books are sound), `ingot verify` names them.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../store/schema.ts';

/** At most this many examples of one breach are named. */
const EXAMPLES_MAX = 5;

/** An invariant of the books, as a query that returns the rows breaking it, each described. */
export interface Check {
  readonly rule: string;
  readonly query: string;
  readonly describe: (row: Record<string, unknown>) => string;
}

export const CHECKS: readonly Check[] = [
  {
    rule: 'every journal entry balances in each unit',
    query: `select entry_id, unit, sum(amount) as total from postings group by entry_id, unit having sum(amount) <> 0`,
    describe: (r) => `entry ${r.entry_id} leaves ${r.total} ${r.unit} unbalanced`,
  },
  {
    rule: 'the books as a whole balance in each unit',
    query: `select unit, sum(balance) as total from accounts group by unit having sum(balance) <> 0`,
    describe: (r) => `${r.unit} balances sum to ${r.total}`,
  },
  {
    rule: "each account's balance equals the sum of its postings",
    query: `select a.id, a.balance, coalesce(p.total, 0) as total from accounts a
            left join (select account_id, sum(amount) as total from postings group by account_id) p
              on p.account_id = a.id
            where a.balance <> coalesce(p.total, 0)`,
    describe: (r) => `account ${r.id} says ${r.balance}, its postings sum to ${r.total}`,
  },
  {
    rule: 'a posting is in its account’s unit',
    query: `select p.entry_id, p.account_id, p.unit from postings p join accounts a on a.id = p.account_id
            where a.unit <> p.unit`,
    describe: (r) => `entry ${r.entry_id} posts ${r.unit} to ${r.account_id}`,
  },
  {
    rule: 'no account but an external one is below zero',
    query: `select id, balance from accounts where kind <> 'external' and balance < 0`,
    describe: (r) => `account ${r.id} stands at ${r.balance}`,
  },
  {
    rule: "each custody account's gold equals the sum of its bars' fine weights",
    query: `select a.id, a.balance, coalesce(b.total, 0) as total from accounts a
            left join (select owner_account_id, sum(fine_milli_oz) as total from bars group by owner_account_id) b
              on b.owner_account_id = a.id
            where a.kind = 'custody' and a.balance <> coalesce(b.total, 0)`,
    describe: (r) => `account ${r.id} holds ${r.balance} milli-oz, its bars weigh ${r.total}`,
  },
  {
    rule: 'every bar has exactly one owner, a gold account',
    query: `select b.id, b.owner_account_id from bars b left join accounts a on a.id = b.owner_account_id
            where a.id is null or a.unit <> 'XAU'`,
    describe: (r) => `bar ${r.id} is owned by ${r.owner_account_id}, not a gold account`,
  },
  {
    rule: "a bar's fine weight is its gross weight times its fineness, truncated",
    query: `select id, fine_milli_oz from bars where fine_milli_oz <> (gross_milli_oz * fineness) / 10000`,
    describe: (r) => `bar ${r.id} states ${r.fine_milli_oz} milli-oz fine`,
  },
  {
    rule: "a bar's owner is where its history leads",
    query: `select b.id, b.owner_account_id, m.target_account_id from bars b
            join (select bar_id, max(entry_id) as entry_id from bar_moves group by bar_id) last on last.bar_id = b.id
            join bar_moves m on m.bar_id = last.bar_id and m.entry_id = last.entry_id
            where m.target_account_id <> b.owner_account_id`,
    describe: (r) =>
      `bar ${r.id} is with ${r.owner_account_id}, its last move went to ${r.target_account_id}`,
  },
  {
    rule: 'a reserved bar is reserved for exactly one allocated trade, from the seller’s stock',
    query: `select b.id, b.trade_id, t.state from bars b
            left join trades t on t.id = b.trade_id
            left join offers o on o.id = t.offer_id
            left join trade_bars tb on tb.trade_id = b.trade_id and tb.bar_id = b.id
            where (b.trade_id is not null and (b.state <> 'reserved' or b.instruction_id is not null
                   or t.state is null or t.state <> 'allocated'
                   or tb.bar_id is null or o.seller_stock_account_id <> b.owner_account_id))
               or (b.state = 'reserved' and b.trade_id is null and b.instruction_id is null)`,
    describe: (r) => `bar ${r.id} is marked for trade ${r.trade_id} (${r.state ?? 'no such trade'})`,
  },
  {
    rule: "a bar held for an instruction is reserved in the client's account, or in transit, as its state says",
    query: `select b.id, b.instruction_id, b.state as bar_state, i.state from bars b
            left join instructions i on i.id = b.instruction_id
            where (b.instruction_id is not null and (i.id is null
                   or (b.state = 'reserved' and (b.owner_account_id <> i.source_account_id
                       or i.state not in ('signed', 'accepted', 'quoted', 'quote_declined', 'quote_accepted')))
                   or (b.state = 'in_transit' and i.state <> 'in_transit')
                   or b.state not in ('reserved', 'in_transit')))
               or (b.state = 'in_transit' and b.instruction_id is null)`,
    describe: (r) =>
      `bar ${r.id} is ${r.bar_state} for instruction ${r.instruction_id} (${r.state ?? 'no such instruction'})`,
  },
  {
    rule: 'a bar delivered out of custody belongs to the outside world, and only such a bar',
    query: `select b.id, b.state, b.owner_account_id from bars b join accounts a on a.id = b.owner_account_id
            where (b.state = 'delivered_out') <> (a.kind = 'external')`,
    describe: (r) => `bar ${r.id} is ${r.state} but owned by ${r.owner_account_id}`,
  },
  {
    rule: "an allocated trade's bars are all reserved for it and sum to its allocation",
    query: `select t.id, t.allocated_fine_milli_oz, coalesce(sum(b.fine_milli_oz), 0) as total,
                   sum(case when b.trade_id = t.id and b.state = 'reserved' then 0 else 1 end) as stray
            from trades t join trade_bars tb on tb.trade_id = t.id join bars b on b.id = tb.bar_id
            where t.state = 'allocated' group by t.id, t.allocated_fine_milli_oz
            having coalesce(sum(b.fine_milli_oz), 0) <> t.allocated_fine_milli_oz
                or sum(case when b.trade_id = t.id and b.state = 'reserved' then 0 else 1 end) <> 0`,
    describe: (r) =>
      `trade ${r.id} allocates ${r.allocated_fine_milli_oz}, its bars weigh ${r.total} (${r.stray} astray)`,
  },
  {
    rule: 'a settled trade moved exactly its allocated gold against its consideration',
    query: `select t.id from trades t
            left join postings p on p.entry_id = t.settlement_entry_id and p.unit = 'XAU' and p.amount > 0
            where t.state = 'settled'
              and (p.amount is null or p.amount <> t.allocated_fine_milli_oz or t.consideration_minor is null)`,
    describe: (r) => `trade ${r.id} settled without a matching gold posting`,
  },
  {
    rule: 'an offer is never taken beyond its maximum',
    query: `select o.id, o.maximum_fine_milli_oz, sum(t.allocated_fine_milli_oz) as taken from offers o
            join trades t on t.offer_id = o.id and t.state in ('allocated', 'settled')
            group by o.id, o.maximum_fine_milli_oz having sum(t.allocated_fine_milli_oz) > o.maximum_fine_milli_oz`,
    describe: (r) => `offer ${r.id} allows ${r.maximum_fine_milli_oz}, trades took ${r.taken}`,
  },
];

/** What breaks one invariant, described, at most EXAMPLES_MAX of them. */
export async function checkBreaches(db: Kysely<Database>, check: Check): Promise<string[]> {
  const result = await sql.raw<Record<string, unknown>>(`${check.query} limit ${EXAMPLES_MAX}`).execute(db);
  return result.rows.map((row) => check.describe(row));
}
