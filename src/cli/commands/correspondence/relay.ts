// `ingot relay` runs the store-and-forward service and `ingot relay pin` pins at it the signing
// keys of the banks it serves; `ingot sync` exchanges an instance's outbox, inbox and receipts
// with it, once or, with --watch, until stopped, retrying while the relay is down; `ingot resend`
// puts a message not receipted back in the outbox.
import type { Command } from 'commander';
import { readPublicKeyFile } from '../../../channel/keyfile.ts';
import { startRelay } from '../../../channel/relay.ts';
import { relayClient } from '../../../channel/relay-client.ts';
import { pinRelayBank, relayBanks } from '../../../channel/relay-pin.ts';
import type { Channel } from '../../../service/correspondence/keyring.ts';
import { resendMessage } from '../../../service/correspondence/outbox.ts';
import { type SyncReport, syncOnce } from '../../../service/correspondence/sync.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { withIngot } from '../../context.ts';
import { CliExit, EXIT, type Printer } from '../../output.ts';
import { loadOwnChannel, mustCorrespond } from './keys.ts';
import { PASSPHRASE_FILE_HELP } from './passphrase.ts';

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
    report.resent > 0 ? `sent again (no receipt yet) ${report.resent}` : '',
    report.received > 0 ? `received ${report.received}` : '',
    report.rejected > 0 ? `REJECTED ${report.rejected}` : '',
    report.duplicates > 0 ? `delivered again ${report.duplicates}` : '',
    report.held_back > 0 ? `held back ${report.held_back}` : '',
    report.receipts_sent > 0 ? `receipts sent ${report.receipts_sent}` : '',
    report.delivered > 0 ? `receipted ${report.delivered}` : '',
    report.receipts_refused > 0 ? `RECEIPTS REFUSED ${report.receipts_refused}` : '',
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
  const relay = relayClient(url, channel);
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

/** Registers `ingot relay` and `ingot relay pin`. */
function registerRelayServer(program: Command): void {
  const relay = program
    .command('relay')
    .description('run the relay: store-and-forward of sealed envelopes it cannot read (loopback)')
    .option('--port <port>', 'the port to listen on (0: any free port)')
    .option('--db <file>', "the relay's own SQLite file")
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .addHelpText(
      'after',
      '\nExample:\n  ingot relay pin --bank NBC --file NBC.public.json --db relay.db\n' +
        '  ingot relay --port 7300 --db relay.db',
    )
    .action(async (options: { port?: string; db?: string; host: string }) => {
      if (options.port === undefined || options.db === undefined)
        throw new CliExit(EXIT.bad_input, 'invalid_input [--port]: give --port and --db');
      const relay = await startRelay({ db: options.db, port: portOption(options.port), host: options.host });
      const banks = relayBanks(options.db).map((bank) => bank.bank_id);
      const serving = banks.length === 0 ? 'no bank pinned yet' : `serving ${banks.join(', ')}`;
      process.stdout.write(`relay listening on ${relay.url} (${serving})\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await relay.close();
      process.stderr.write('relay stopped\n');
    });
  relay
    .command('pin')
    .description("pin a bank's signing key at the relay, from its public file: it may then use the relay")
    .requiredOption('--bank <id>', 'the bank')
    .requiredOption('--file <file>', 'its public key file (BANK.public.json)')
    .requiredOption('--db <file>', "the relay's own SQLite file")
    .option('--fingerprint <text>', 'the fingerprint read out of band')
    .option('--replace', 'replace a key already pinned (a key change agreed out of band)')
    .action(
      (options: { bank: string; file: string; db: string; fingerprint?: string; replace?: boolean }) => {
        const read = mustCorrespond(readPublicKeyFile(options.file));
        const done = mustCorrespond(
          pinRelayBank(options.db, {
            bank_id: options.bank,
            file: read.file,
            replace: options.replace === true,
            now: new Date().toISOString(),
            ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
          }),
        );
        process.stdout.write(
          `${options.bank}: signing key ${done.changed} at the relay (${done.bank.fingerprint})\n`,
        );
      },
    );
}

/** Registers `ingot relay`, `ingot relay pin`, `ingot sync` and `ingot resend`. */
export function registerRelay(program: Command): void {
  registerRelayServer(program);
  registerResend(program);
  program
    .command('sync')
    .description('send the outbox through the relay and receive, register and apply what waits there')
    .option('--relay <url>', 'the relay (env INGOT_RELAY)', process.env.INGOT_RELAY)
    .option('--watch', 'keep syncing until stopped (SIGINT/SIGTERM), retrying while the relay is down')
    .option('--interval <ms>', 'pause between syncs with --watch', '500')
    .option('--passphrase-file <file>', PASSPHRASE_FILE_HELP)
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
        const channel = await loadOwnChannel(ingot, command);
        if (options.watch) return watch(ingot, out, channel, url, interval);
        const report = await syncOnce(ingot, channel, relayClient(url, channel));
        const waiting = report.waiting > 0 ? `; ${report.waiting} waiting in the outbox` : '';
        out.result(report, () => `${describeReport(report) ?? 'nothing sent or received'}${waiting}`);
        if (report.problem !== null) throw new CliExit(EXIT.refused, `relay_unreachable: ${report.problem}`);
      });
    });
}

/** Registers `ingot resend <id>`: a message not receipted, back to the outbox (and sent, with --relay). */
function registerResend(program: Command): void {
  program
    .command('resend <id>')
    .description('send again a message not receipted: back to the outbox, sent at the next sync')
    .option('--relay <url>', 'sync with this relay at once (env INGOT_RELAY)', process.env.INGOT_RELAY)
    .option('--passphrase-file <file>', PASSPHRASE_FILE_HELP)
    .addHelpText('after', '\nExample:\n  ingot --db gosbank.db resend 12 --relay http://127.0.0.1:7300')
    .action(async (id: string, options: { relay?: string }, command: Command) => {
      if (!/^#?\d{1,18}$/.test(id))
        throw new CliExit(EXIT.bad_input, `invalid_input [id]: "${id}" is not a message number`);
      await withIngot(command, async (ingot, out) => {
        const channel = await loadOwnChannel(ingot, command);
        const put = mustCorrespond(await resendMessage(ingot, BigInt(id.replace('#', ''))));
        const report = options.relay
          ? await syncOnce(ingot, channel, relayClient(options.relay, channel))
          : null;
        const what = `message #${put.id} to ${put.correspondent} (sequence ${put.sequence})`;
        out.result({ ...put, sync: report }, () =>
          report === null
            ? `${what} is in the outbox; it goes at the next sync`
            : `${what}: ${describeReport(report) ?? 'nothing sent'}`,
        );
        if (report?.problem) throw new CliExit(EXIT.refused, `relay_unreachable: ${report.problem}`);
      });
    });
}
