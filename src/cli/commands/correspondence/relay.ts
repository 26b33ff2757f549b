// `ingot relay` runs the store-and-forward service; `ingot sync` exchanges an instance's outbox
// and inbox with it, once or, with --watch, until stopped, retrying while the relay is down.
import type { Command } from 'commander';
import { startRelay } from '../../../channel/relay.ts';
import { relayClient } from '../../../channel/relay-client.ts';
import { type Channel, loadChannel } from '../../../service/correspondence/keyring.ts';
import { type SyncReport, syncOnce } from '../../../service/correspondence/sync.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { withIngot } from '../../context.ts';
import { CliExit, EXIT, type Printer } from '../../output.ts';
import { mustCorrespond } from './keys.ts';

/** The longest pause between attempts while the relay is down. */
export const SYNC_BACKOFF_MAXIMUM_MS = 2_000;

function portOption(value: string): number {
  const port = Number.parseInt(value, 10);
  if (!/^\d+$/.test(value) || port < 0 || port > 65535) {
    throw new CliExit(EXIT.bad_input, `invalid_input [--port]: "${value}" is not a port number`);
  }
  return port;
}

/** A sync's report in a line, or null when nothing happened (the relay's state is told apart). */
function describeReport(report: SyncReport): string | null {
  const parts = [
    report.pushed > 0 ? `sent ${report.pushed}` : '',
    report.received > 0 ? `received ${report.received}` : '',
    report.rejected > 0 ? `REJECTED ${report.rejected}` : '',
    report.duplicates > 0 ? `delivered again ${report.duplicates}` : '',
    report.held_back > 0 ? `held back ${report.held_back}` : '',
    report.delivered > 0 ? `acknowledged ${report.delivered}` : '',
  ].filter((part) => part !== '');
  return parts.length === 0 ? null : parts.join(', ');
}

/** Syncs until SIGINT or SIGTERM, pausing longer while the relay is down. */
async function watch(
  ingot: Ingot,
  out: Printer,
  channel: Channel,
  url: string,
  interval: number,
): Promise<void> {
  const relay = relayClient(url);
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let pause = interval;
  let down: string | null = null;
  out.note(`${channel.bank_id}: syncing with ${url} every ${interval} ms until stopped`);
  while (!stopping) {
    const report = await syncOnce(ingot, channel, relay);
    const line = describeReport(report);
    if (line !== null) out.note(`${new Date().toISOString()} ${line}`);
    if (report.problem !== down) {
      const state =
        report.problem === null ? 'relay reachable again' : `relay unavailable (${report.problem})`;
      out.note(`${new Date().toISOString()} ${state}; ${report.waiting} waiting in the outbox`);
      down = report.problem;
    }
    pause = report.problem === null ? interval : Math.min(pause * 2, SYNC_BACKOFF_MAXIMUM_MS);
    const until = Date.now() + pause;
    while (!stopping && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 25));
  }
  out.note(`${channel.bank_id}: stopped`);
}

/** Registers `ingot relay` and `ingot sync`. */
export function registerRelay(program: Command): void {
  program
    .command('relay')
    .description('run the relay: store-and-forward of sealed envelopes it cannot read (loopback)')
    .requiredOption('--port <port>', 'the port to listen on (0: any free port)')
    .requiredOption('--db <file>', "the relay's own SQLite file")
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .addHelpText('after', '\nExample:\n  ingot relay --port 7300 --db relay.db')
    .action(async (options: { port: string; db: string; host: string }) => {
      const relay = await startRelay({ db: options.db, port: portOption(options.port), host: options.host });
      process.stdout.write(`relay listening on ${relay.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await relay.close();
      process.stderr.write('relay stopped\n');
    });
  program
    .command('sync')
    .description('send the outbox through the relay and receive, register and apply what waits there')
    .option('--relay <url>', 'the relay (env INGOT_RELAY)', process.env.INGOT_RELAY)
    .option('--watch', 'keep syncing until stopped (SIGINT/SIGTERM), retrying while the relay is down')
    .option('--interval <ms>', 'pause between syncs with --watch', '500')
    .addHelpText('after', '\nExample:\n  ingot --db nbc.db sync --relay http://127.0.0.1:7300 --watch')
    .action(async (options: { relay?: string; watch?: boolean; interval: string }, command: Command) => {
      if (!options.relay)
        throw new CliExit(EXIT.bad_input, 'invalid_input [--relay]: give --relay URL or INGOT_RELAY');
      const interval = Number.parseInt(options.interval, 10);
      if (!Number.isSafeInteger(interval) || interval < 10) {
        throw new CliExit(EXIT.bad_input, 'invalid_input [--interval]: at least 10 ms');
      }
      const url = options.relay;
      await withIngot(command, async (ingot, out) => {
        const { channel } = mustCorrespond(await loadChannel(ingot));
        if (options.watch) return watch(ingot, out, channel, url, interval);
        const report = await syncOnce(ingot, channel, relayClient(url));
        const waiting = report.waiting > 0 ? `; ${report.waiting} waiting in the outbox` : '';
        out.result(report, () => `${describeReport(report) ?? 'nothing sent or received'}${waiting}`);
        if (report.problem !== null) throw new CliExit(EXIT.refused, `relay_unreachable: ${report.problem}`);
      });
    });
}
