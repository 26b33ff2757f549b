// A process of the load test beside the main one, on the same books (the same SQLite file, so the
// two processes contend for its write lock; or the same PostgreSQL schema). Connects, says "ready",
// waits for the deadline on stdin, runs its clients, prints RESULT and its stats as JSON.
// Usage: node --import tsx bench/load-worker.ts '<JSON: location, schema?, plan without deadline>'
import { once } from 'node:events';
import { ingotOver } from '../src/service/kernel/context.ts';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { type LoadPlan, runClients } from './load-clients.ts';

interface WorkerArgs {
  readonly location: string;
  readonly schema?: string;
  readonly plan: Omit<LoadPlan, 'deadline'>;
}

const args = JSON.parse(process.argv[2] ?? '{}') as WorkerArgs;
const store =
  args.schema === undefined
    ? await openSqliteStore(args.location)
    : await openPostgresStore(args.location, { schema: args.schema, connections: 4 });
process.stdout.write('ready\n');
let input = '';
process.stdin.on('data', (chunk: Buffer) => {
  input += chunk.toString();
});
await once(process.stdin, 'end');
const deadline = Number.parseInt(input.trim(), 10);
try {
  const stats = await runClients(ingotOver(store, 'load-worker'), { ...args.plan, deadline });
  process.stdout.write(`RESULT ${JSON.stringify(stats)}\n`);
} finally {
  await store.close();
}
