import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { POSTGRES_URL } from '../../../test/support/stores.ts';
import { planned } from './plans.ts';
import { inlined } from './two-step.ts';

const literal = (value: unknown) => inlined({ sql: '$1', parameters: [value] });
const query = (sql: string, ...parameters: unknown[]) => ({ sql, parameters });

describe('statements prepared once per connection and shape', () => {
  test('a shape is prepared on first use on a connection, then only executed', () => {
    const [one, two] = [{}, {}] as pg.ClientBase[];
    const shape = query('select * from trades where id in ($1, $2)', 'T-1', 'T-2');
    const first = planned(one as pg.ClientBase, [shape, query('select 1')], literal);
    expect(first.prepares).toHaveLength(1);
    expect(first.statements[0]).toMatch(/^execute ingot_\d+\('T-1', 'T-2'\)$/);
    expect(first.statements[1]).toBe('select 1');
    // Not yet made (its round trip may fail): asked again, it is prepared again, under a new name.
    const retried = planned(one as pg.ClientBase, [shape], literal);
    expect(retried.prepares).toHaveLength(1);
    const name = (statement?: string) => /ingot_\d+/.exec(statement ?? '')?.[0];
    expect(name(retried.statements[0])).not.toBe(name(first.statements[0]));
    retried.made();
    const again = planned(one as pg.ClientBase, [query(shape.sql, 'T-3', 'T-4')], literal);
    expect(again.prepares).toEqual([]);
    expect(again.statements[0]).toMatch(/\('T-3', 'T-4'\)$/);
    // Another connection has prepared nothing.
    expect(planned(two as pg.ClientBase, [shape], literal).prepares).toHaveLength(1);
  });

  test('a connection that has prepared 1,024 shapes deallocates them all and starts again', () => {
    const client = {} as pg.ClientBase;
    for (let n = 0; n < 1024; n += 1) planned(client, [query(`select $1::int + ${n}`, n)], literal).made();
    const next = planned(client, [query('select $1::int + 0', 0)], literal);
    expect(next.prepares[0]).toBe('deallocate all');
    expect(next.prepares).toHaveLength(2);
  });

  test('on the server, an executed statement answers as the query with its values written in', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      const values = ["it's", -5n, null, 12345678901234567n];
      const text = 'select $1::text as a, $2::bigint as b, $3::text as c, $4::bigint as d';
      const direct = await client.query(inlined(query(text, ...values)));
      for (let run = 0; run < 2; run += 1) {
        const plan = planned(client, [query(text, ...values)], literal);
        if (plan.prepares.length > 0) await client.query(plan.prepares.join(';\n'));
        plan.made();
        expect((await client.query(plan.statements.join(';\n'))).rows).toEqual(direct.rows);
      }
    } finally {
      await client.end();
    }
  });
});
