// How the command line reports: text for people, --json for programs, one exit code per outcome.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Outcome, Refusal, RefusalCode } from '../domain/outcome.ts';
import { plain } from '../service/kernel/json.ts';

/**
 * Exit codes: 0 done; 1 refused by a business rule; 2 bad input; 3 books out of balance; 70 a bug
 * (EX_SOFTWARE); 74 the storage failed (EX_IOERR: a full disk, a database gone away).
 */
export const EXIT = { ok: 0, refused: 1, bad_input: 2, breach: 3, bug: 70, storage: 74 } as const;

/** Refusals of the input itself; any other code, of any feature, is refused by a business rule. */
const BAD_INPUT_CODES: ReadonlySet<string> = new Set<RefusalCode>([
  'invalid_input',
  'bar_list_invalid',
  'fixing_list_invalid',
  'idempotency_key_reused',
]);

/** The exit code of a refusal, from the one table above. */
export function exitCodeOf(code: string): number {
  return BAD_INPUT_CODES.has(code) ? EXIT.bad_input : EXIT.refused;
}

/** Thrown by command handlers to stop with a message and an exit code. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    readonly details: unknown = undefined,
  ) {
    super(message);
  }
}

export interface Printer {
  readonly json: boolean;
  /** Prints a result: `text` for people, `data` as JSON with --json. */
  result(data: unknown, text: () => string | string[]): void;
  /** A line of progress or commentary on stderr (never mixed into --json output). */
  note(line: string): void;
}

/** A printer writing to the process's stdout and stderr. */
export function printer(json: boolean): Printer {
  return {
    json,
    result(data, text) {
      if (json) {
        process.stdout.write(`${JSON.stringify(plain(data), null, 2)}\n`);
        return;
      }
      const lines = text();
      process.stdout.write(`${Array.isArray(lines) ? lines.join('\n') : lines}\n`);
    },
    note(line) {
      process.stderr.write(`${line}\n`);
    },
  };
}

/** Turns a refused outcome, of any feature, into a CLI exit with its code's exit status. */
export function refused(outcome: Refusal<string> & { readonly problems?: unknown }): never {
  const field = outcome.field ? ` [${outcome.field}]` : '';
  throw new CliExit(exitCodeOf(outcome.code), `${outcome.code}${field}: ${outcome.message}`, outcome);
}

/** Unwraps an outcome of any feature's refusals, exiting on a refusal. */
export function must<T, C extends string>(outcome: Outcome<T, C>): { readonly ok: true } & T {
  if (!outcome.ok) return refused(outcome);
  return outcome;
}

/** Unwraps a parse result, exiting with bad input naming the option. */
export function parsedOption<T>(
  result: { ok: true; value: T } | { ok: false; reason: string },
  option: string,
): T {
  if (!result.ok) throw new CliExit(EXIT.bad_input, `invalid_input [${option}]: ${result.reason}`);
  return result.value;
}

/** Writes `text` to `stream`, waiting while its buffer is full: a long list never piles up. */
export async function writeWaiting(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}
