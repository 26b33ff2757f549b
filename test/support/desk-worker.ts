// A second desk in a process of its own, for the racing tests: opens the books, says "ready",
// waits for "go" on its input, then runs its requests all at once and prints each outcome's code.
// Usage: node --import tsx desk-worker.ts <store location> <requests as JSON>
// A request is {"settle": SettleRequest} or {"step": StepCommand} (a step without bigints).

import { type StepCommand, step } from '../../src/service/custody/instructions.ts';
import { ingotOver } from '../../src/service/kernel/context.ts';
import { type SettleRequest, settleTrade } from '../../src/service/trading/settle.ts';
import { openStore } from '../../src/store/open.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';

type Request = { readonly settle: SettleRequest } | { readonly step: StepCommand };

const [location = '', json = '[]'] = process.argv.slice(2);
const [url, schema] = location.split('#');
const store = schema ? await openPostgresStore(url ?? '', { schema }) : await openStore(location);
const ingot = ingotOver(store, 'desk-worker');
const requests = JSON.parse(json) as Request[];
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
const outcomes = await Promise.all(
  requests.map((request) =>
    'settle' in request ? settleTrade(ingot, request.settle) : step(ingot, request.step),
  ),
);
await store.close();
process.stdout.write(`${JSON.stringify(outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.code)))}\n`);
