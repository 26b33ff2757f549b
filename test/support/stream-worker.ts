// A desk working through a stream of settlements and custody instructions, for the fault tests:
// killed at random moments and restarted, it starts the stream again from the top. Every request
// carries the same idempotency key each time, so what was done before the kill replays.
// Usage: node --import tsx stream-worker.ts <store location> <plan file (JSON)>
// The plan is a list of {"settle": trade id} and {"transfer": instruction id} (see stream.ts).
import { readFileSync } from 'node:fs';
import { approve } from '../../src/service/custody/approvals.ts';
import { step } from '../../src/service/custody/instructions.ts';
import { type Ingot, ingotOver } from '../../src/service/kernel/context.ts';
import { settleTrade } from '../../src/service/trading/settle.ts';
import { openStore } from '../../src/store/open.ts';
import { openPostgresStore } from '../../src/store/postgres/open.ts';
import { STREAM_DATES, type StreamItem } from './stream.ts';

const [location = '', planFile = ''] = process.argv.slice(2);
const [url, schema] = location.split('#');
const store = schema ? await openPostgresStore(url ?? '', { schema }) : await openStore(location);
const ingot = ingotOver(store, 'stream-worker');
const plan = JSON.parse(readFileSync(planFile, 'utf8')) as StreamItem[];

function fail(what: string, outcome: { ok: boolean; code?: string; message?: string }): never {
  process.stderr.write(`${what}: ${outcome.code} ${outcome.message}\n`);
  process.exit(2);
}

/** A transfer taken through every step, each under its own key, the last under four eyes. */
async function transfer(ingot: Ingot, instruction_id: string): Promise<void> {
  const date = STREAM_DATES.instruct;
  const steps = [
    ['sign', 'nbc-signatory-1'],
    ['sign', 'nbc-signatory-2'],
    ['accept', 'gosbank-operator'],
    ['execute', 'gosbank-operator'],
  ] as const;
  let approval: bigint | null = null;
  for (const [index, [kind, by_user_id]] of steps.entries()) {
    const command = { instruction_id, event: { kind }, date, by_user_id };
    const outcome = await step(ingot, command, `${instruction_id}-${index}-${kind}`);
    if (!outcome.ok) fail(`${instruction_id} ${kind}`, outcome);
    approval = outcome.pending_approval;
    process.stdout.write(`step ${instruction_id} ${kind}\n`);
  }
  if (approval === null) fail(`${instruction_id} execute`, { ok: false, code: 'no_approval_pending' });
  const approved = await approve(
    ingot,
    { approval_id: approval, by_user_id: 'gosbank-supervisor' },
    `${instruction_id}-approve`,
  );
  if (!approved.ok) fail(`${instruction_id} approve`, approved);
}

process.stdout.write('ready\n');
for (const item of plan) {
  if ('settle' in item) {
    const trade_id = item.settle;
    const outcome = await settleTrade(ingot, {
      trade_id,
      date: STREAM_DATES.settle,
      key: `settle-${trade_id}`,
    });
    if (!outcome.ok) fail(trade_id, outcome);
  } else {
    await transfer(ingot, item.transfer);
  }
  process.stdout.write('done\n');
}
await store.close();
process.stdout.write('finished\n');
