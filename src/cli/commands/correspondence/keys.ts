// `ingot keys`: the bank's own keys (generated once, the private half in a 0600 file encrypted
// under a passphrase) and its correspondents' public keys, pinned after comparing fingerprints out
// of band.
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { protectPrivateKeyFile, readPublicKeyFile } from '../../../channel/keyfile.ts';
import type { CorrespondenceOutcome } from '../../../domain/correspondence/refusal.ts';
import {
  type Channel,
  generateKeys,
  type KeyRecord,
  listKeys,
  loadChannel,
  type Mode,
  pinCorrespondent,
  protectBooks,
  unlockBooks,
} from '../../../service/correspondence/keyring.ts';
import { sealTextsInClear } from '../../../service/correspondence/register.ts';
import type { Ingot } from '../../../service/kernel/context.ts';
import { isPostgresUrl } from '../../../store/open.ts';
import { type GlobalOptions, withIngot } from '../../context.ts';
import { CliExit, EXIT, refused } from '../../output.ts';
import { keyPassphrase, withPassphraseOption } from './passphrase.ts';

/** Codes that mean the request itself was wrong (exit 2); any other refusal exits 1. */
const BAD_INPUT = new Set([
  'invalid_input',
  'message_invalid',
  'key_file_unreadable',
  'fingerprint_mismatch',
  'key_passphrase_missing',
  'key_passphrase_wrong',
]);

/** Unwraps a correspondence outcome, exiting with its code on a refusal. */
export function mustCorrespond<T extends object>(outcome: CorrespondenceOutcome<T>): T & { ok: true } {
  if (outcome.ok) return outcome;
  if (BAD_INPUT.has(outcome.code)) {
    const field = outcome.field ? ` [${outcome.field}]` : '';
    throw new CliExit(EXIT.bad_input, `${outcome.code}${field}: ${outcome.message}`, outcome);
  }
  return refused(outcome);
}

/** The instance's channel, its private keys opened by the passphrase the command was given. */
export async function loadOwnChannel(ingot: Ingot, command: Command): Promise<Channel> {
  const passphrase = await keyPassphrase(command);
  return mustCorrespond(await loadChannel(ingot, passphrase)).channel;
}

/**
 * Unlocks the books key for a command that opens texts without sealing one (asking the passphrase
 * only when the instance has keys), so a cleared user's message opens.
 */
export async function unlockOwnBooks(ingot: Ingot, command: Command): Promise<void> {
  mustCorrespond(await unlockBooks(ingot, () => keyPassphrase(command)));
}

/** Where key files go by default: beside the database file, else in the working directory. */
function keyDirectory(command: Command): string {
  const { db } = command.optsWithGlobals<GlobalOptions>();
  return isPostgresUrl(db) ? process.cwd() : dirname(resolve(db));
}

function modeOption(value: string | undefined): Mode | undefined {
  if (value === undefined || value === 'depository' || value === 'client') return value;
  throw new CliExit(EXIT.bad_input, `invalid_input [--mode]: "${value}" is not depository or client`);
}

function registerGenerate(keys: Command): void {
  const generate = keys
    .command('generate')
    .description("generate this bank's signing and encryption keys (once); prints the public keys to share")
    .requiredOption('--bank <id>', 'this bank, as its correspondents name it (e.g. GOSBANK, NBC)')
    .option(
      '--mode <mode>',
      'depository (keeps the books) or client (keeps its view); guessed from the parties',
    )
    .option('--out <file>', 'the private key file, mode 0600 (default <bank>.keys.json beside the database)')
    .option('--public-out <file>', 'the public key file to give correspondents (default <bank>.public.json)');
  withPassphraseOption(generate)
    .addHelpText('after', '\nExample:\n  ingot --db nbc.db keys generate --bank NBC --mode client')
    .action(
      async (
        options: { bank: string; mode?: string; out?: string; publicOut?: string },
        command: Command,
      ) => {
        const mode = modeOption(options.mode);
        const directory = keyDirectory(command);
        const privatePath = resolve(options.out ?? join(directory, `${options.bank}.keys.json`));
        const publicPath = resolve(options.publicOut ?? join(directory, `${options.bank}.public.json`));
        const passphrase = await keyPassphrase(command, true);
        await withIngot(command, async (ingot, out) => {
          const done = mustCorrespond(
            await generateKeys(ingot, {
              bank_id: options.bank,
              ...(mode ? { mode } : {}),
              private_path: privatePath,
              public_path: publicPath,
              passphrase,
            }),
          );
          const result = {
            ...done.public_file,
            mode: done.mode,
            private_file: privatePath,
            public_file: publicPath,
          };
          out.result(result, () => [
            `keys of ${options.bank} generated (${done.mode} mode)`,
            `  private keys: ${privatePath} (mode 0600, encrypted under the passphrase; never leaves this bank)`,
            `  public keys:  ${publicPath} (give it to each correspondent)`,
            `  signing:      ${done.public_file.signing}`,
            `  encryption:   ${done.public_file.encryption}`,
            `  fingerprint:  ${done.public_file.fingerprint}`,
            'Read the fingerprint to each correspondent by another channel before they pin the keys.',
          ]);
        });
      },
    );
}

interface PinOptions {
  bank: string;
  file: string;
  fingerprint?: string;
  replace?: boolean;
  signatory?: string;
}

function registerPin(keys: Command): void {
  keys
    .command('pin')
    .description("pin a correspondent's public keys, received out of band; never silently replaced")
    .requiredOption('--bank <id>', 'the correspondent')
    .requiredOption('--file <public.json>', 'its public key file')
    .option('--fingerprint <text>', 'the fingerprint read out by the correspondent; must match')
    .option('--replace', 'replace keys already pinned (a key change confirmed out of band)')
    .option('--signatory <user>', 'depository: the client signatory in whose name its orders are entered')
    .addHelpText(
      'after',
      '\nExample:\n  ingot --db gosbank.db keys pin --bank NBC --file NBC.public.json ' +
        '--signatory nbc-signatory-1',
    )
    .action(async (options: PinOptions, command: Command) => {
      const read = mustCorrespond(readPublicKeyFile(options.file));
      await withIngot(command, async (ingot, out) => {
        const done = mustCorrespond(
          await pinCorrespondent(ingot, {
            bank_id: options.bank,
            file: read.file,
            replace: options.replace === true,
            ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
            ...(options.signatory ? { signatory_user_id: options.signatory } : {}),
          }),
        );
        out.result(done, () => `keys of ${options.bank} ${done.changed}: fingerprint ${done.fingerprint}`);
      });
    });
}

function registerProtect(keys: Command): void {
  const protect = keys
    .command('protect')
    .description(
      'encrypt a private key file and the books key kept in clear under a passphrase, and the texts of the register',
    )
    .option('--file <keys.json>', "the private key file (default this bank's, as recorded)");
  withPassphraseOption(protect)
    .addHelpText('after', '\nExample:\n  ingot --db nbc.db keys protect --file NBC.keys.json')
    .action(async (options: { file?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const own = (await listKeys(ingot)).find((record) => record.is_self)?.key_file ?? undefined;
        const file = options.file ?? own;
        if (file === undefined) {
          throw new CliExit(
            EXIT.bad_input,
            'invalid_input [--file]: this instance has no key file; name one',
          );
        }
        const passphrase = await keyPassphrase(command, true);
        const done = mustCorrespond(await protectPrivateKeyFile(file, passphrase));
        // The books key under the same passphrase, which must open the private keys.
        const books = own === undefined ? null : mustCorrespond(await protectBooks(ingot, passphrase));
        const sealed = own === undefined ? 0 : await sealTextsInClear(ingot);
        const result = {
          file,
          bank: done.bank,
          encrypted_before: done.encrypted_before,
          books_key: books?.path ?? null,
          books_key_encrypted_before: books?.encrypted_before ?? null,
          texts_sealed: sealed,
        };
        const booksLine = (path: string, before: boolean) =>
          before ? `${path} was encrypted already` : `${path} encrypted under the passphrase`;
        out.result(result, () => [
          done.encrypted_before ? `${file} was encrypted already` : `${file} encrypted under the passphrase`,
          ...(books === null ? [] : [booksLine(books.path, books.encrypted_before)]),
          `${sealed} message text(s) of the register encrypted under the books key`,
        ]);
      });
    });
}

/** A key record as lines for people. */
function describeKeys(r: KeyRecord): string[] {
  const who = `${r.is_self ? 'this bank' : 'pinned   '} ${r.bank_id}${r.mode ? ` (${r.mode})` : ''}`;
  const pinned = `  pinned ${r.pinned_at} by ${r.pinned_by}`;
  const counted = `sent ${r.sent_sequence}, received ${r.received_sequence}`;
  const signatory = r.signatory_user_id ? `; orders entered as ${r.signatory_user_id}` : '';
  return [
    `${who}: ${r.fingerprint}`,
    `  signing ${r.signing}`,
    `  encryption ${r.encryption}`,
    r.is_self ? `  private keys in ${r.key_file}` : `${pinned}; ${counted}${signatory}`,
  ];
}

/** Registers `ingot keys generate|pin|protect|show`. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description("this bank's keys and its correspondents' pinned keys");
  registerGenerate(keys);
  registerPin(keys);
  registerProtect(keys);
  keys
    .command('show')
    .description("this bank's public keys and fingerprint, and every correspondent pinned")
    .action(async (_options: object, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const records = await listKeys(ingot);
        out.result(records, () =>
          records.length === 0
            ? 'no keys: run `ingot keys generate --bank ID`'
            : records.flatMap(describeKeys),
        );
      });
    });
}
