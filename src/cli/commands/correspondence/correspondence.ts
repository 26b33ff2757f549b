// The register of correspondence (`ingot messages`), the clearances that open it, and a client
// bank's own view of its holdings (`ingot view`); registers every correspondence command group.

import type { Command } from 'commander';
import { formatBarListHeader, formatBarRow } from '../../../domain/barlist.ts';
import { parseClassification, stampOf } from '../../../domain/correspondence/classification.ts';
import { refuseCorrespondence } from '../../../domain/correspondence/refusal.ts';
import { describeWeight } from '../../../domain/weight.ts';
import { type HeldViewBar, viewAccounts, viewBars } from '../../../service/correspondence/client-view.ts';
import { channelEvents } from '../../../service/correspondence/keyring.ts';
import {
  messageCorrespondent,
  ownBankId,
  type RegisterEntry,
  registerEntries,
} from '../../../service/correspondence/queries.ts';
import {
  type Direction,
  grantClearance,
  listClearances,
  MESSAGE_STATES,
  type MessageState,
  openRegistered,
  readLog,
} from '../../../service/correspondence/register.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { listUsers } from '../../../service/parties/users.ts';
import { type GlobalOptions, withIngot } from '../../context.ts';
import { CliExit, EXIT } from '../../output.ts';
import { namedUser, namedUserParty } from '../vault/reader.ts';
import { registerDocumentCommands } from './documents-print.ts';
import { mustCorrespond, registerKeys, unlockOwnBooks } from './keys.ts';
import { registerMessage } from './message.ts';
import { withPassphraseOption } from './passphrase.ts';
import { registerRelay } from './relay.ts';
import { registerSend } from './send.ts';

/** A register id option, checked. */
export function messageIdOption(value: string): bigint {
  if (!/^#?\d{1,18}$/.test(value))
    throw new CliExit(EXIT.bad_input, `invalid_input [id]: "${value}" is not a message number`);
  return BigInt(value.replace('#', ''));
}

/**
 * The correspondent a reader named with `--user` is limited to, as the server limits a signed-in
 * one: in the depository's books a client bank's user reads only what was exchanged with its own
 * bank; in its own bank's books (a client's instance) all of it. Undefined: not limited.
 */
async function correspondentOf(ingot: Ingot, command: Command): Promise<string | undefined> {
  const party = await namedUserParty(ingot, command);
  if (party === undefined) return undefined;
  return party === (await ownBankId(ingot)) ? undefined : party;
}

/**
 * Refuses a reader named with `--user` a message it may not see, in the server's words whether
 * the message is another bank's or does not exist; clearance is checked when it is opened.
 */
export async function mustReadMessage(ingot: Ingot, command: Command, id: bigint): Promise<void> {
  if (namedUser(command) === null) return;
  const scope = await correspondentOf(ingot, command);
  const correspondent = await messageCorrespondent(ingot, id);
  if (correspondent === undefined || (scope !== undefined && correspondent !== scope)) {
    mustCorrespond(refuseCorrespondence('message_not_found', `no message #${id} is visible to you`, 'id'));
  }
}

/** One register line; a message opened also says why it was rejected and what applying it did. */
function describeEntry(e: RegisterEntry & { reason?: string | null; applied?: string | null }): string {
  const arrow = e.direction === 'out' ? `to ${e.correspondent}` : `from ${e.correspondent}`;
  const state = e.reason ? `${e.state} (${e.reason})` : e.state;
  const applied = e.applied ? ` — ${e.applied}` : '';
  const place = `${e.direction.padEnd(3)} ${arrow.padEnd(14)} no. ${String(e.number).padEnd(4)}`;
  return (
    `#${String(e.id).padEnd(4)} ${place} ${e.date} ` +
    `${stampOf(parseClassification(e.classification) ?? 'confidential').padEnd(12)} copy ${e.copies} ` +
    `${(e.message_type ?? '-').padEnd(16)} ${e.reference ?? '-'}  "${e.subject}"  ${state}${applied}`
  );
}

function registerMessages(program: Command): void {
  const messages = program.command('messages').description('the register of correspondence, in and out');
  messages
    .command('list', { isDefault: true })
    .description(
      'the register: number, date, classification, copies, subject, type and state of each message',
    )
    .option('--correspondent <bank>', 'only with this bank')
    .option('--direction <in|out>', 'only received (in) or sent (out)')
    .option('--state <state>', `only in this state: ${MESSAGE_STATES.join(', ')}`)
    .action(
      async (options: { correspondent?: string; direction?: string; state?: string }, command: Command) => {
        if (options.direction !== undefined && options.direction !== 'in' && options.direction !== 'out') {
          throw new CliExit(EXIT.bad_input, 'invalid_input [--direction]: in or out');
        }
        if (options.state !== undefined && !(MESSAGE_STATES as readonly string[]).includes(options.state)) {
          throw new CliExit(EXIT.bad_input, `invalid_input [--state]: one of ${MESSAGE_STATES.join(', ')}`);
        }
        await withIngot(command, async (ingot, out) => {
          const scope = await correspondentOf(ingot, command);
          const correspondent = scope ?? options.correspondent;
          // Another bank's correspondence, asked for by a client's user: as if there were none.
          const foreign = scope !== undefined && (options.correspondent ?? scope) !== scope;
          const entries = foreign
            ? []
            : await registerEntries(ingot, {
                ...(correspondent ? { correspondent } : {}),
                ...(options.direction ? { direction: options.direction as Direction } : {}),
                ...(options.state ? { state: options.state as MessageState } : {}),
              });
          out.result(entries, () =>
            entries.length === 0 ? 'the register is empty' : entries.map(describeEntry),
          );
        });
      },
    );
  registerReading(messages);
}

function registerReading(messages: Command): void {
  withPassphraseOption(
    messages
      .command('open <id>')
      .description(
        'open a registered message (the acting --user must be cleared for it; the read is logged)',
      ),
  )
    .addHelpText('after', '\nExample:\n  ingot --user ivanov messages open 12')
    .action(async (id: string, _options: object, command: Command) => {
      const { user } = command.optsWithGlobals<GlobalOptions>();
      await withIngot(command, async (ingot, out) => {
        // The passphrase first, as before: a wrong one is told whatever is asked for.
        await unlockOwnBooks(ingot, command);
        await mustReadMessage(ingot, command, messageIdOption(id));
        const opened = mustCorrespond(
          await openRegistered(ingot, { id: messageIdOption(id), user_id: user, action: 'open' }),
        );
        const { envelope: _sealed, ...message } = opened.message;
        out.result(message, () => [
          describeEntry(message),
          '',
          message.text ?? '(the envelope could not be opened)',
        ]);
      });
    });
  messages
    .command('reads <id>')
    .description('who has opened or printed a message, and who was refused')
    .action(async (id: string, _options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        await mustReadMessage(ingot, command, messageIdOption(id));
        const reads = await readLog(ingot, messageIdOption(id));
        out.result(reads, () =>
          reads.length === 0
            ? 'nobody has opened it'
            : reads.map((r) => {
                const copy = r.copy_number === null ? '' : ` copy ${r.copy_number}`;
                return `${r.at} ${r.user_id} ${r.action}${copy} ${r.outcome}`;
              }),
        );
      });
    });
  messages
    .command('log')
    .description(
      "the channel's log: keys pinned and replaced, envelopes rejected, held back or delivered again",
    )
    .action(async (_options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const events = await channelEvents(ingot);
        out.result(events, () =>
          events.length === 0
            ? 'nothing logged'
            : events.map((e) => `${e.at} ${e.bank_id} ${e.event}: ${e.detail}`),
        );
      });
    });
}

function registerClearances(program: Command): void {
  const clearances = program.command('clearances').description('who may open which classification');
  clearances
    .command('grant <user>')
    .description(
      'clear a user up to a classification ' +
        '(the acting --user must hold it; the first grant founds the register)',
    )
    .requiredOption('--level <level>', 'confidential, secret or top secret')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --user head-of-registry clearances grant ivanov --level secret',
    )
    .action(async (user: string, options: { level: string }, command: Command) => {
      const level = parseClassification(options.level);
      if (level === null)
        throw new CliExit(EXIT.bad_input, `invalid_input [--level]: "${options.level}" is no classification`);
      const by = command.optsWithGlobals<GlobalOptions>().user;
      await withIngot(command, async (ingot, out) => {
        const done = mustCorrespond(await grantClearance(ingot, { user_id: user, level, by }));
        out.result(done, () => `${user} cleared up to ${stampOf(level)} by ${by}`);
      });
    });
  clearances
    .command('list', { isDefault: true })
    .description("every clearance (to a client bank's user, its own bank's users' only)")
    .action(async (_options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const own = await namedUserParty(ingot, command);
        const ours = own === undefined ? null : new Set((await listUsers(ingot, own)).map((u) => u.id));
        const rows = (await listClearances(ingot)).filter((row) => ours === null || ours.has(row.user_id));
        out.result(rows, () =>
          rows.length === 0
            ? 'nobody is cleared'
            : rows.map((r) => `${r.user_id}: ${r.level} (by ${r.granted_by}, ${r.granted_at})`),
        );
      });
    });
}

/** A view bar as a bar list row (unweighed bars show empty weights). */
function viewRow(bar: HeldViewBar): string {
  if (bar.gross_milli_oz === null || bar.fineness === null || bar.fine_milli_oz === null) {
    return `${bar.serial},${bar.refiner},${bar.year},,,`;
  }
  return formatBarRow(
    {
      serial: bar.serial,
      refiner: bar.refiner,
      year: Number(bar.year),
      gross_milli_oz: bar.gross_milli_oz,
      fineness: bar.fineness,
      fine_milli_oz: bar.fine_milli_oz,
      vault: null,
      location: null,
      bar_id: null,
    },
    false,
  );
}

function registerView(program: Command): void {
  const view = program
    .command('view')
    .description("a client bank's own view of its gold, from the messages received");
  view
    .command('holdings', { isDefault: true })
    .description('each account: balance by the advices, bars held, and whether the bar lists weigh them all')
    .option('--account <id>', 'one account')
    .action(async (options: { account?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const accounts = await viewAccounts(ingot, options.account);
        out.result(accounts, () =>
          accounts.length === 0
            ? 'no advices received yet'
            : accounts.map((a) => {
                const unweighed = a.unweighed_bars > 0 ? `, ${a.unweighed_bars} unweighed` : '';
                const advised = `${describeWeight(a.balance_fine_milli_oz)} by the advices`;
                const weighed = `${describeWeight(a.weighed_fine_milli_oz)} weighed${unweighed}`;
                return `${a.account_id}: ${advised}; ${a.bars} bars held, ${weighed}`;
              }),
        );
      });
    });
  view
    .command('bars')
    .description('the bars held in an account, as a bar list (CSV)')
    .requiredOption('--account <id>', 'the account')
    .action(async (options: { account: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const bars = await viewBars(ingot, options.account);
        out.result(bars, () => [formatBarListHeader(false), ...bars.map(viewRow)]);
      });
    });
}

/** Registers every command of correspondence: keys, send, sync, relay, the register, the view. */
export function registerCorrespondence(program: Command): void {
  registerKeys(program);
  registerSend(program);
  registerRelay(program);
  registerMessage(program);
  registerMessages(program);
  registerClearances(program);
  registerView(program);
  registerDocumentCommands(program);
}
