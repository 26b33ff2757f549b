// A desk settling a stream of trades, for the fault tests: killed at random moments, restarted.
// Usage: node --import tsx settle-worker.ts <store location> <trade ids, comma-separated>
import { ingotOver } from '../../src/service/context.ts';
import { settleTrade } from '../../src/service/settle.ts';
import { openStore } from '../../src/store/open.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';

const [location = '', ids = ''] = process.argv.slice(2);
const [url, schema] = location.split('#');
const store = schema ? await openPostgresStore(url ?? '', { schema }) : await openStore(location);
const ingot = ingotOver(store, 'fault-worker');
process.stdout.write('ready\n');
for (const trade_id of ids.split(',')) {
  const outcome = await settleTrade(ingot, { trade_id, date: '1961-01-31', key: `settle-${trade_id}` });
  if (!outcome.ok && outcome.code !== 'trade_already_settled') {
    process.stderr.write(`${trade_id}: ${outcome.code} ${outcome.message}\n`);
    process.exit(2);
  }
  process.stdout.write(`settled ${trade_id}\n`);
}
await store.close();
process.stdout.write('done\n');
