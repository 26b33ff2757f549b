// One of the PostgreSQL benchmark's settling processes: connects, says "ready", waits for "go" on
// stdin, settles its trades one after another, says "done" with how many it had to retry itself.
// A settlement that still fails with a serialization conflict after the store's own retries is
// retried by this client with the same idempotency key, as a real client would.
// Usage: node --import tsx bench/pg-settle-worker.ts <url> <schema> <trade ids, comma-separated>
import { once } from 'node:events';
import { ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { DATES } from './fixture.ts';

const CLIENT_RETRIES_MAX = 10;
const [url = '', schema = '', ids = ''] = process.argv.slice(2);
const store = await openPostgresStore(url, { schema, connections: 2 });
const ingot = ingotOver(store, 'bench-worker');
process.stdout.write('ready\n');
process.stdin.resume();
await once(process.stdin, 'end');

function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '40001' || code === '40P01';
}

let retried = 0;
for (const trade_id of ids.split(',').filter((id) => id !== '')) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const outcome = await settleTrade(ingot, { trade_id, date: DATES.settle, key: `settle-${trade_id}` });
      if (!outcome.ok || (outcome.replayed && attempt === 1)) {
        const why = outcome.ok ? 'replayed' : `${outcome.code} ${outcome.message}`;
        process.stderr.write(`${trade_id}: ${why}\n`);
        process.exit(2);
      }
      break;
    } catch (error) {
      if (!isConflict(error) || attempt >= CLIENT_RETRIES_MAX) throw error;
      retried += 1;
    }
  }
}
await store.close();
process.stdout.write(`done retried=${retried}\n`);
