// Custody at the client's disposal: instructions, their steps and remarks, representatives, signing
// rules, and the four-eyes approvals they wait on. The acting user is the global --user.

import type { Command } from 'commander';
import type { InstructionDetails, InstructionEvent, Selection } from '../../../domain/custody/instruction.ts';
import { refuseCustody } from '../../../domain/custody/refusal.ts';
import { parseMoney } from '../../../domain/money.ts';
import { parseQuantity } from '../../../domain/weight.ts';
import { mayRead, readerParty } from '../../../service/correspondence/clearance.ts';
import {
  approve,
  decline,
  proposeFeeSchedule,
  proposeRepresentative,
  proposeRevocation,
  proposeSigningRule,
} from '../../../service/custody/approvals.ts';
import { addRemark, draft, step } from '../../../service/custody/instructions.ts';
import {
  approvalPayload,
  approvalScope,
  approvalShown,
  approvalsShown,
  instructionClient,
  listInstructions,
  listRepresentatives,
  showInstruction,
} from '../../../service/custody/queries.ts';
import {
  approvalClassified,
  INSTRUCTION_CLASSIFIED,
  withheldApproval,
} from '../../../service/custody/withheld.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import type { GlobalOptions } from '../../context.ts';
import { withIngot } from '../../context.ts';
import { currencyOption, dateOption } from '../../options.ts';
import { CliExit, EXIT, must, parsedOption } from '../../output.ts';
import { listParty, mustReadOwned, namedUser, namedUserParty } from '../vault/reader.ts';

function actingUser(command: Command): string {
  return command.optsWithGlobals<GlobalOptions>().user;
}

function barIds(text: string): bigint[] {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.some((part) => !/^\d+$/.test(part))) {
    throw new CliExit(
      EXIT.bad_input,
      `invalid_input [--bars]: "${text}" is not a comma-separated list of bar ids`,
    );
  }
  return parts.map((part) => BigInt(part));
}

/**
 * Checks a named reader of an instruction as the server does: another bank's is answered as one
 * that does not exist; the account names its bars, so the reader must be cleared for a bar list.
 */
async function mustReadInstruction(ingot: Ingot, command: Command, id: string): Promise<void> {
  const client = await instructionClient(ingot, id);
  await mustReadOwned(ingot, command, {
    owners: client === undefined ? undefined : [client],
    kind: INSTRUCTION_CLASSIFIED,
    hidden: refuseCustody('instruction_not_found', `no instruction ${id} is visible to you`, 'instruction'),
  });
}

/** Checks a named reader of an approval: its party's only; one naming bars, cleared for them. */
async function mustReadApproval(ingot: Ingot, command: Command, id: bigint): Promise<void> {
  const scope = await approvalScope(ingot, id);
  const payload = scope === undefined ? undefined : await approvalPayload(ingot, id);
  await mustReadOwned(ingot, command, {
    owners: scope === undefined ? undefined : [scope.party_id],
    kind: payload === undefined ? null : approvalClassified({ payload }),
    hidden: refuseCustody('invalid_input', `no approval ${id}`, 'approval'),
  });
}

interface DraftOptions {
  account: string;
  bars?: string;
  quantity?: string;
  representative?: string;
  on?: string;
  to?: string;
  beneficiary?: string;
  beneficiaryName?: string;
  destination?: string;
  carrier?: string;
  insurance?: string;
  date?: string;
}

function selectionOf(options: DraftOptions): Selection {
  if ((options.bars === undefined) === (options.quantity === undefined)) {
    throw new CliExit(EXIT.bad_input, 'invalid_input [--bars]: give exactly one of --bars and --quantity');
  }
  return options.bars !== undefined
    ? { kind: 'bars', bar_ids: barIds(options.bars) }
    : { kind: 'quantity', fine_milli_oz: parsedOption(parseQuantity(options.quantity ?? ''), '--quantity') };
}

function detailsOf(kind: string, options: DraftOptions, date: string): InstructionDetails {
  const need = (value: string | undefined, option: string) => {
    if (!value) throw new CliExit(EXIT.bad_input, `invalid_input [${option}]: a ${kind} needs ${option}`);
    return value;
  };
  if (kind === 'release') {
    return {
      kind,
      representative_id: need(options.representative, '--representative'),
      release_on: options.on ? dateOption(options.on, '--on') : date,
    };
  }
  if (kind === 'transfer') {
    const account_id = need(options.to, '--to');
    if (!options.beneficiary) return { kind, target: { kind: 'existing_account', account_id } };
    const beneficiary_name = need(options.beneficiaryName, '--beneficiary-name');
    return {
      kind,
      target: {
        kind: 'disposal_account',
        account_id,
        beneficiary_party_id: options.beneficiary,
        beneficiary_name,
      },
    };
  }
  if (kind === 'shipment') {
    const insurance_value = parsedOption(
      parseMoney(need(options.insurance, '--insurance'), 'GBP'),
      '--insurance',
    );
    return {
      kind,
      destination: need(options.destination, '--destination'),
      carrier: need(options.carrier, '--carrier'),
      insurance_value,
    };
  }
  throw new CliExit(EXIT.bad_input, `invalid_input [kind]: "${kind}" is not release, transfer or shipment`);
}

function registerDraft(instruct: Command): void {
  instruct
    .command('draft <kind>')
    .description('draft a release (to a representative), transfer (to a third party) or shipment (elsewhere)')
    .requiredOption('--account <id>', 'the client’s custody account the gold comes from')
    .option('--bars <ids>', 'the bars, by Ingot bar id, comma-separated')
    .option('--quantity <q>', 'or a quantity ("2 t", "800 oz"); the depository proposes the bars')
    .option('--representative <id>', 'release: the authorized representative')
    .option('--on <date>', 'release: the day of hand-over')
    .option('--to <account>', 'transfer: the receiving custody account')
    .option('--beneficiary <party>', 'transfer: open --to as a disposal account for this third party')
    .option('--beneficiary-name <name>', 'transfer: the third party’s name')
    .option('--destination <place>', 'shipment: where to')
    .option('--carrier <name>', 'shipment: who carries it')
    .option('--insurance <amount>', 'shipment: the value to insure, e.g. "£2,000,000"')
    .option('--date <date>', 'date of the draft (default today)')
    .addHelpText(
      'after',
      '\nExamples:\n  ingot --user nbc-signatory-1 instruct draft release --account NBC-GOLD --quantity "800 oz" --representative REP-1 --on 1961-02-15 --date 1961-02-10\n  ingot --user nbc-signatory-1 instruct draft shipment --account NBC-GOLD --quantity "2 t" --destination Havana --carrier "Aeroflot" --insurance "£1,000,000"',
    )
    .action(async (kind: string, options: DraftOptions, command: Command) => {
      const date = dateOption(options.date, '--date');
      const details = detailsOf(kind, options, date);
      const selection = selectionOf(options);
      await withIngot(command, async (ingot, out) => {
        const done = must(
          await draft(ingot, {
            by_user_id: actingUser(command),
            source_account_id: options.account,
            selection,
            details,
            date,
          }),
        );
        out.result(
          done,
          () =>
            `${done.instruction_id} drafted: ${kind} from ${options.account}; it needs the client’s signatures`,
        );
      });
    });
}

/** The steps a signatory binds the client by: each needs the digest of the account it was shown. */
const SIGNED_STEPS: readonly string[] = ['sign', 'accept-quote'];

/** The --digest option: required where the step binds the client, optional elsewhere. */
function withDigest(command: Command, name: string): Command {
  const what = 'the digest of the account `instruct show` printed: refused if it changed';
  return SIGNED_STEPS.includes(name)
    ? command.requiredOption('--digest <sha256>', what)
    : command.option('--digest <sha256>', what);
}

/** One step of an instruction's life, from the command line. */
function registerStep(
  instruct: Command,
  name: string,
  describe: string,
  event: (options: Record<string, string | boolean | undefined>) => InstructionEvent,
  extra: (c: Command) => Command = (c) => c,
): void {
  extra(
    withDigest(
      instruct
        .command(`${name} <instruction>`)
        .description(describe)
        .option('--date <date>', 'date of the step (default today)'),
      name,
    ),
  ).action(async (id: string, options: Record<string, string | boolean | undefined>, command: Command) => {
    const date = dateOption(options.date as string | undefined, '--date');
    const handover = options.representative
      ? {
          representative_id: String(options.representative),
          identity_document_checked: options.identityChecked === true,
        }
      : undefined;
    const proposed = options.bars ? barIds(String(options.bars)) : undefined;
    const digest = options.digest === undefined ? undefined : digestOption(String(options.digest));
    await withIngot(command, async (ingot, out) => {
      // A signatory binds the client to what it was shown: not to what it may not be shown.
      if (SIGNED_STEPS.includes(name)) await mustReadInstruction(ingot, command, id);
      const request = {
        instruction_id: id,
        event: event(options),
        date,
        by_user_id: actingUser(command),
        ...(handover ? { handover } : {}),
        ...(proposed ? { bar_ids: proposed } : {}),
        ...(digest ? { digest } : {}),
      };
      const done = must(await step(ingot, request));
      out.result(done, () =>
        done.pending_approval !== null
          ? `${id}: ${name} recorded; it waits for a second user's approval (ingot approvals show ${done.pending_approval}, then approve it --digest …)`
          : `${id} is now ${done.state}${done.entry_id ? ` (entry ${done.entry_id})` : ''}`,
      );
    });
  });
}

/** A digest as `instruct show` and `approvals show` print it. */
function digestOption(text: string): string {
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new CliExit(
      EXIT.bad_input,
      `invalid_input [--digest]: "${text}" is not a SHA-256 digest (64 hex digits)`,
    );
  }
  return text;
}

function reasonOf(options: Record<string, string | boolean | undefined>): string {
  const reason = options.reason;
  if (typeof reason !== 'string' || reason.trim() === '')
    throw new CliExit(EXIT.bad_input, 'invalid_input [--reason]: give a reason');
  return reason;
}

function registerSteps(instruct: Command): void {
  const withReason = (c: Command) => c.requiredOption('--reason <text>', 'why');
  registerStep(
    instruct,
    'sign',
    'sign as a client signatory (the account’s signing rule says how many must)',
    () => ({ kind: 'sign' }),
  );
  registerStep(
    instruct,
    'cancel',
    'cancel before execution (client)',
    (o) => ({ kind: 'cancel', reason: reasonOf(o) }),
    withReason,
  );
  registerStep(
    instruct,
    'accept',
    'accept a signed instruction (depository); bars are reserved or proposed',
    () => ({ kind: 'accept' }),
    (c) => c.option('--bars <ids>', 'for a quantity: the bars proposed'),
  );
  registerStep(
    instruct,
    'reject',
    'reject a signed instruction (depository)',
    (o) => ({ kind: 'reject', reason: reasonOf(o) }),
    withReason,
  );
  registerStep(
    instruct,
    'execute',
    'execute a release or transfer (depository, four eyes)',
    () => ({ kind: 'execute' }),
    (c) =>
      c
        .option('--representative <id>', 'release: who came to the vault')
        .option('--identity-checked', 'release: the identity document was checked'),
  );
  registerStep(
    instruct,
    'fail',
    'record that an accepted instruction failed (depository)',
    (o) => ({ kind: 'fail', reason: reasonOf(o) }),
    withReason,
  );
  registerStep(
    instruct,
    'quote',
    'quote a shipment’s transport and insurance (depository, four eyes)',
    (o) => ({
      kind: 'quote',
      transport: parsedOption(parseMoney(String(o.transport ?? ''), 'GBP'), '--transport'),
      insurance: parsedOption(parseMoney(String(o.insurance ?? ''), 'GBP'), '--insurance'),
      valid_until: dateOption(String(o.validUntil ?? ''), '--valid-until'),
    }),
    (c) =>
      c
        .requiredOption('--transport <amount>', 'transport cost')
        .requiredOption('--insurance <amount>', 'insurance premium')
        .requiredOption('--valid-until <date>', 'last day to accept'),
  );
  registerStep(instruct, 'accept-quote', 'accept the quote (client); its costs are debited', () => ({
    kind: 'accept_quote',
  }));
  registerStep(
    instruct,
    'decline-quote',
    'decline the quote (client)',
    (o) => ({ kind: 'decline_quote', reason: reasonOf(o) }),
    withReason,
  );
  registerStep(instruct, 'dispatch', 'hand the bars to the carrier (depository, four eyes)', () => ({
    kind: 'dispatch',
  }));
  registerStep(instruct, 'deliver', 'confirm delivery at the destination (depository, four eyes)', () => ({
    kind: 'confirm_delivery',
  }));
  registerStep(
    instruct,
    'return',
    'the shipment failed; the bars come back to custody (four eyes)',
    (o) => ({ kind: 'report_return', reason: reasonOf(o) }),
    withReason,
  );
}

function registerReading(instruct: Command): void {
  instruct
    .command('list')
    .description('instructions, newest last')
    .option('--party <id>', 'only this client’s')
    .action(async (options: { party?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const party = await listParty(ingot, command, options.party);
        const rows = party === null ? [] : await listInstructions(ingot, { party });
        out.result(rows, () =>
          rows.length === 0
            ? 'no instructions'
            : rows.map(
                (r) => `${r.id.padEnd(8)} ${r.kind.padEnd(9)} ${r.source_account_id.padEnd(14)} ${r.state}`,
              ),
        );
      });
    });
  instruct
    .command('show <instruction>')
    .description('an instruction: terms, steps, bars and remarks')
    .action(async (id: string, _options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        await mustReadInstruction(ingot, command, id);
        const shown = must(await showInstruction(ingot, id));
        const { instruction, account, digest, steps, bars, remarks } = shown;
        out.result({ instruction, account, digest, steps, bars, remarks }, () => [
          `${instruction.id}: ${instruction.details.kind} from ${instruction.source_account_id}, ${instruction.state}`,
          ...account.map((line) => `  | ${line}`),
          `  digest ${digest} (sign or accept the quote with --digest ${digest})`,
          ...steps.map(
            (s) =>
              `  #${s.number} ${s.date} ${s.event.padEnd(16)} ${s.from_state || '—'} → ${s.to_state} by ${s.maker_user_id}${s.checker_user_id ? `, checked by ${s.checker_user_id}` : ''}${s.entry_id ? ` (entry ${s.entry_id})` : ''}${s.reason ? `: ${s.reason}` : ''}`,
          ),
          `  bars: ${bars.join(', ') || 'none yet'}`,
          ...remarks.map(
            (r) =>
              `  remark ${r.sequence} ${r.written_on} ${r.author_user_id} (${r.author_party_id}): ${r.text}`,
          ),
        ]);
      });
    });
  instruct
    .command('remark <instruction> <text>')
    .description('add a dated remark to the instruction’s thread (either side)')
    .option('--date <date>', 'date written (default today)')
    .action(async (id: string, text: string, options: { date?: string }, command: Command) => {
      const written_on = dateOption(options.date, '--date');
      await withIngot(command, async (ingot, out) => {
        const done = must(
          await addRemark(ingot, { instruction_id: id, by_user_id: actingUser(command), written_on, text }),
        );
        out.result(done, () => `remark ${done.number} added to ${id}`);
      });
    });
}

function approvalNumber(number: string): bigint {
  if (!/^\d{1,18}$/.test(number))
    throw new CliExit(EXIT.bad_input, `invalid_input [number]: "${number}" is not an approval number`);
  return BigInt(number);
}

/**
 * The approvals a reader is shown: a named client bank's user, its own party's; a named user not
 * cleared for a bar list, every one with the lines naming bars withheld, as the server lists them.
 */
async function approvalsFor(ingot: Ingot, command: Command, filter: { status?: string }) {
  const user_id = namedUser(command);
  if (user_id === null) return approvalsShown(ingot, filter);
  const party_id = await readerParty(ingot, user_id);
  const rows = await approvalsShown(ingot, { ...filter, party_id });
  const cleared = await mayRead(ingot, { user_id, kind: 'barlist' });
  return cleared.ok ? rows : rows.map((row) => withheldApproval(row, cleared.message));
}

/** The approvals an approval would void, and why: "#12, #14 (their accounts show a balance it moves)". */
function voidsText(ids: readonly bigint[]): string {
  return `${ids.map((id) => `#${id}`).join(', ')} (their accounts show a balance it moves: decline and propose again)`;
}

function registerApprovals(program: Command): void {
  const approvals = program
    .command('approvals')
    .enablePositionalOptions()
    .description('steps and changes waiting for a second user (four eyes)');
  approvals
    .command('list')
    .option('--status <status>', 'pending (default), approved, declined, or all', 'pending')
    .action(async (options: { status: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const status = options.status === 'all' ? {} : { status: options.status };
        const rows = await approvalsFor(ingot, command, status);
        out.result(rows, () =>
          rows.length === 0
            ? 'no approvals'
            : rows.map(
                (r) =>
                  `#${r.id} ${r.status.padEnd(9)} ${r.action.padEnd(24)} by ${r.maker_user_id}${r.checker_user_id ? `, ${r.status} by ${r.checker_user_id}` : ''}: ${r.subject}${r.voids.length === 0 ? '' : `; voids ${r.voids.map((v) => `#${v}`).join(', ')}`}`,
              ),
        );
      });
    });
  approvals
    .command('show <number>')
    .description('one approval: what approving it will do, line by line, and the digest to approve it with')
    .action(async (number: string, _options: object, command: Command) => {
      const id = approvalNumber(number);
      await withIngot(command, async (ingot, out) => {
        await mustReadApproval(ingot, command, id);
        const row = await approvalShown(ingot, id, await namedUserParty(ingot, command));
        if (!row) throw new CliExit(EXIT.refused, `invalid_input [number]: no approval ${number}`);
        out.result(row, () => [
          `#${row.id} ${row.status} ${row.action} by ${row.maker_user_id}${row.checker_user_id ? `, ${row.status} by ${row.checker_user_id}` : ''}: ${row.subject}`,
          ...row.account.map((line) => `  | ${line}`),
          row.digest === null
            ? '  no account: proposed before approvals showed what they do; decline and propose again'
            : `  digest ${row.digest} (approve with: ingot approvals approve ${row.id} --digest ${row.digest})`,
          ...(row.voids.length === 0 ? [] : [`  approving it voids ${voidsText(row.voids)}`]),
        ]);
      });
    });
  approvals
    .command('approve <number>')
    .description('approve as the second user what `approvals show` printed; the step is carried out now')
    .requiredOption(
      '--digest <sha256>',
      'the digest `approvals show` printed: refused if the account changed',
    )
    .action(async (number: string, options: { digest: string }, command: Command) => {
      const id = approvalNumber(number);
      const digest = digestOption(options.digest);
      await withIngot(command, async (ingot, out) => {
        // Approving is approving what one was shown: not what one may not be shown.
        await mustReadApproval(ingot, command, id);
        const done = must(await approve(ingot, { approval_id: id, by_user_id: actingUser(command), digest }));
        const outcome = done.outcome as { enrolment_secret_part?: unknown } | null;
        const part =
          typeof outcome?.enrolment_secret_part === 'string' ? outcome.enrolment_secret_part : null;
        out.result(done, () => [
          `approval ${number} approved and carried out`,
          ...(part === null
            ? []
            : [
                `second part of the enrolment secret, for the new user only, out of band (shown once): ${part}`,
              ]),
        ]);
      });
    });
  approvals
    .command('decline <number>')
    .requiredOption('--reason <text>', 'why')
    .action(async (number: string, options: { reason: string }, command: Command) => {
      if (!/^\d+$/.test(number))
        throw new CliExit(EXIT.bad_input, `invalid_input [number]: "${number}" is not an approval number`);
      await withIngot(command, async (ingot, out) => {
        const done = must(
          await decline(ingot, {
            approval_id: BigInt(number),
            by_user_id: actingUser(command),
            reason: options.reason,
          }),
        );
        out.result(done, () => `approval ${number} declined`);
      });
    });
}

interface RepresentativeOptions {
  party: string;
  name: string;
  document: string;
  from: string;
  until: string;
  accounts: string;
  limit?: string;
}

function registerRepresentatives(program: Command): void {
  const representatives = program
    .command('representatives')
    .enablePositionalOptions()
    .description('a client’s authorized representatives (four eyes: two signatories)');
  representatives
    .command('add <id>')
    .requiredOption('--party <id>', 'the client bank')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--document <text>', 'identity document to be checked at hand-over')
    .requiredOption('--from <date>', 'authority valid from')
    .requiredOption('--until <date>', 'authority valid until (included)')
    .requiredOption('--accounts <ids>', 'custody accounts, comma-separated')
    .option('--limit <quantity>', 'the most gold in all under this authority')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --user nbc-signatory-1 representatives add REP-1 --party NBC --name "R. Pérez" --document "passport Cuba D-1" \\\n    --from 1961-02-01 --until 1961-12-31 --accounts NBC-GOLD --limit "1000 oz"',
    )
    .action(async (id: string, options: RepresentativeOptions, command: Command) => {
      const representative = {
        id,
        client_party_id: options.party,
        name: options.name,
        identity_document: options.document,
        authority_valid_from: dateOption(options.from, '--from'),
        authority_valid_until: dateOption(options.until, '--until'),
        revoked_on: null,
        account_ids: options.accounts
          .split(',')
          .map((a) => a.trim())
          .filter((a) => a !== ''),
        limit_fine_milli_oz: options.limit ? parsedOption(parseQuantity(options.limit), '--limit') : null,
      };
      await withIngot(command, async (ingot, out) => {
        const done = must(await proposeRepresentative(ingot, actingUser(command), representative));
        out.result(
          done,
          () =>
            `representative ${id} proposed; a second signatory reads it with: ingot approvals show ${done.pending_approval}, and approves it with its --digest`,
        );
      });
    });
  representatives
    .command('revoke <id>')
    .requiredOption('--from <date>', 'void from this day')
    .action(async (id: string, options: { from: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const done = must(
          await proposeRevocation(ingot, actingUser(command), id, dateOption(options.from, '--from')),
        );
        out.result(done, () => `revocation of ${id} proposed (approval ${done.pending_approval})`);
      });
    });
  representatives
    .command('list')
    .option('--party <id>')
    .action(async (options: { party?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const party = await listParty(ingot, command, options.party);
        const rows = party === null ? [] : await listRepresentatives(ingot, party);
        out.result(rows, () =>
          rows.length === 0
            ? 'no representatives'
            : rows.map(
                (r) =>
                  `${r.id.padEnd(8)} ${r.name} (${r.identity_document}), ${r.authority_valid_from}..${r.authority_valid_until}${r.revoked_on ? `, revoked ${r.revoked_on}` : ''}; made by ${r.made_by}, checked by ${r.checked_by}`,
              ),
        );
      });
    });
}

function registerSigningRules(program: Command): void {
  program
    .command('signing-rule <account>')
    .description(
      'record a client’s signing rule for an account, e.g. any 2 of 3 (operator; a supervisor approves)',
    )
    .requiredOption('--required <n>', 'signatures required')
    .requiredOption('--signatories <users>', 'the client signatories, comma-separated')
    .action(async (account: string, options: { required: string; signatories: string }, command: Command) => {
      if (!/^\d+$/.test(options.required))
        throw new CliExit(EXIT.bad_input, 'invalid_input [--required]: a whole number');
      const rule = {
        account_id: account,
        required_signatures: Number.parseInt(options.required, 10),
        signatory_user_ids: options.signatories.split(',').map((s) => s.trim()),
      };
      await withIngot(command, async (ingot, out) => {
        const done = must(await proposeSigningRule(ingot, actingUser(command), rule));
        out.result(done, () => `signing rule of ${account} proposed (approval ${done.pending_approval})`);
      });
    });
}

interface FeeOptions {
  custodyRate?: string;
  custodyPerBar?: string;
  releaseFee: string;
  transferFee: string;
  shipmentFee: string;
  currency: string;
}

function registerFees(program: Command): void {
  program
    .command('fees <party>')
    .description(
      'set a client’s fee schedule (operator; a supervisor approves). Default: the 1961 terms, no fees',
    )
    .option('--custody-rate <per10k>', 'custody fee per year, parts per ten thousand of the gold’s value')
    .option('--custody-per-bar <amount>', 'or custody fee per bar per year')
    .option('--release-fee <amount>', 'handling fee per release', '0')
    .option('--transfer-fee <amount>', 'handling fee per transfer', '0')
    .option('--shipment-fee <amount>', 'handling fee per shipment', '0')
    .option('--currency <code>', 'the agreement’s currency', 'GBP')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --user gosbank-operator fees NBC --custody-rate 5 --release-fee "£25"',
    )
    .action(async (party: string, options: FeeOptions, command: Command) => {
      const currency = currencyOption(options.currency, '--currency');
      const amount = (text: string, option: string) =>
        text === '0' ? 0n : parsedOption(parseMoney(text, currency), option).minor;
      if (options.custodyRate !== undefined && !/^\d+$/.test(options.custodyRate)) {
        throw new CliExit(
          EXIT.bad_input,
          'invalid_input [--custody-rate]: a whole number of parts per ten thousand',
        );
      }
      const custody =
        options.custodyRate !== undefined
          ? { kind: 'rate_of_value' as const, per_year_per10k: BigInt(options.custodyRate) }
          : options.custodyPerBar !== undefined
            ? {
                kind: 'per_bar' as const,
                per_bar_per_year_minor: amount(options.custodyPerBar, '--custody-per-bar'),
              }
            : { kind: 'none' as const };
      const schedule = {
        agreement_id: `${party}-fees`,
        currency,
        custody,
        handling_per_release_minor: amount(options.releaseFee, '--release-fee'),
        handling_per_transfer_minor: amount(options.transferFee, '--transfer-fee'),
        handling_per_shipment_minor: amount(options.shipmentFee, '--shipment-fee'),
        shipment_costs_payer: 'client' as const,
      };
      await withIngot(command, async (ingot, out) => {
        const done = must(await proposeFeeSchedule(ingot, actingUser(command), party, schedule));
        out.result(done, () => `fee schedule of ${party} proposed (approval ${done.pending_approval})`);
      });
    });
}

export function registerCustody(program: Command): void {
  registerFees(program);
  const instruct = program
    .command('instruct')
    .enablePositionalOptions()
    .description('instructions: release, transfer, shipment, and their steps');
  registerDraft(instruct);
  registerSteps(instruct);
  registerReading(instruct);
  registerApprovals(program);
  registerRepresentatives(program);
  registerSigningRules(program);
}
