// Statements prepared once per connection and shape, executed with their values written in as
// literals. A batch's reads and writes go to the server as simple queries of many statements (one
// round trip each, src/store/postgres/two-step.ts), and a simple query's literals make every batch
// new SQL to parse and plan: about 3 ms of planning for the reads of a batch of one settlement,
// more than running them. The shapes repeat (src/store/shaped.ts), so each is prepared once on a
// connection (`prepare ingot_n as …`, with $n parameters) and then run as `execute ingot_n(…)`.
import type pg from 'pg';

/** Shapes prepared on one connection before it deallocates them all and starts again. */
const PREPARED_PER_CONNECTION_MAX = 1024;

/** SQL text → name of its prepared statement, per connection; a lost connection takes its own. */
const preparedOn = new WeakMap<pg.ClientBase, Map<string, string>>();
let named = 0;

export interface Planned {
  /** `prepare` statements for shapes this connection has not seen: run before `statements`. */
  readonly prepares: string[];
  /** One `execute` (or the query itself, when it has no values) per query, in order. */
  readonly statements: string[];
  /** Records the prepares as made, once the server has run them. */
  readonly made: () => void;
}

/**
 * The statements that run `queries` on `client` through prepared statements, with each value
 * written as a literal by `literal` (the server casts it to the parameter's type).
 */
export function planned(
  client: pg.ClientBase,
  queries: readonly { readonly sql: string; readonly parameters: readonly unknown[] }[],
  literal: (value: unknown) => string,
): Planned {
  let known = preparedOn.get(client);
  if (!known) {
    known = new Map();
    preparedOn.set(client, known);
  }
  // A connection that has prepared its fill forgets them all, on the server too, and starts again.
  const full = known.size >= PREPARED_PER_CONNECTION_MAX;
  const seen = full ? new Map<string, string>() : known;
  const fresh = new Map<string, string>();
  const prepares: string[] = full ? ['deallocate all'] : [];
  const statements = queries.map((query) => {
    if (query.parameters.length === 0) return query.sql;
    let name = seen.get(query.sql) ?? fresh.get(query.sql);
    if (!name) {
      // Names are never reused: a prepare whose round trip failed may still exist on the server.
      named += 1;
      name = `ingot_${named}`;
      fresh.set(query.sql, name);
      prepares.push(`prepare ${name} as ${query.sql}`);
    }
    return `execute ${name}(${query.parameters.map(literal).join(', ')})`;
  });
  const made = () => {
    if (full) known.clear();
    for (const [text, name] of fresh) known.set(text, name);
  };
  return { prepares, statements, made };
}
