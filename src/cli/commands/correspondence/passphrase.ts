// The passphrase that opens the bank's private key file: from --passphrase-file, else the
// environment (INGOT_KEY_PASSPHRASE), else asked on the terminal without echo.
import { readFileSync } from 'node:fs';
import { ReadStream } from 'node:tty';
import type { Command } from 'commander';
import { CliExit, EXIT } from '../../output.ts';

/** The environment variable holding the key passphrase. */
export const PASSPHRASE_VARIABLE = 'INGOT_KEY_PASSPHRASE';
/** The option's help, the same on every command that opens the keys. */
export const PASSPHRASE_FILE_HELP = `a file holding the key passphrase (else env ${PASSPHRASE_VARIABLE}, else asked)`;

/** Adds --passphrase-file to a command that opens the bank's private keys. */
export function withPassphraseOption(command: Command): Command {
  return command.option('--passphrase-file <file>', PASSPHRASE_FILE_HELP);
}

/** The passphrase in a file: its first line (a trailing newline is not part of it). */
export function passphraseInFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch {
    throw new CliExit(EXIT.bad_input, `invalid_input [--passphrase-file]: cannot read ${path}`);
  }
}

/** Asks for a line on the terminal, echoing nothing of it. */
function askHidden(stdin: ReadStream, question: string): Promise<string> {
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\u0003') {
          finish();
          reject(new CliExit(EXIT.refused, 'interrupted: no passphrase was given'));
          return;
        }
        if (character === '\r' || character === '\n' || character === '\u0004') {
          finish();
          resolve(typed);
          return;
        }
        typed = character === '\u007f' || character === '\b' ? typed.slice(0, -1) : typed + character;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The key passphrase for a command: --passphrase-file, else INGOT_KEY_PASSPHRASE, else asked on a
 * terminal (twice with `confirm`, for a new key file); '' when there is none to be had.
 */
export async function keyPassphrase(command: Command, confirm = false): Promise<string> {
  const { passphraseFile } = command.optsWithGlobals<{ passphraseFile?: string }>();
  if (passphraseFile !== undefined) return passphraseInFile(passphraseFile);
  const fromEnvironment = process.env[PASSPHRASE_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const stdin = process.stdin;
  if (!(stdin instanceof ReadStream) || !stdin.isTTY) return '';
  const first = await askHidden(stdin, 'Key passphrase: ');
  if (!confirm) return first;
  const second = await askHidden(stdin, 'The same passphrase again: ');
  if (first !== second) throw new CliExit(EXIT.bad_input, 'invalid_input [passphrase]: the two differ');
  return first;
}
