// Users of the desk and the API: registered with a role fitting their party.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addUser, listUsers } from '../../../service/parties/users.ts';
import type { GlobalOptions } from '../../context.ts';
import { withIngot } from '../../context.ts';
import { CliExit, EXIT, must } from '../../output.ts';

/** The password from standard input (first line) or INGOT_PASSWORD; never from the command line. */
function readPassword(fromStdin: boolean): string {
  const password = fromStdin
    ? (readFileSync(0, 'utf8').split('\n')[0] ?? '')
    : (process.env.INGOT_PASSWORD ?? '');
  if (password === '') {
    throw new CliExit(
      EXIT.bad_input,
      'invalid_input [password]: give it on standard input with --password-stdin, or in INGOT_PASSWORD',
    );
  }
  return password;
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .enablePositionalOptions()
    .description('users of the desk and the API');
  users
    .command('add <id>')
    .description(
      'register a user: depository_operator, depository_supervisor, auditor (depository); client_signatory, client_viewer (client)',
    )
    .requiredOption('--party <id>', 'the party the user works for')
    .requiredOption('--role <role>', 'the user’s one role')
    .requiredOption('--name <name>', 'full name')
    .option('--password-stdin', 'read the password from standard input (else INGOT_PASSWORD)')
    .addHelpText(
      'after',
      '\nExample:\n  echo "a long passphrase" | ingot users add ivanov --party GOSBANK --role depository_operator --name "I. Ivanov" --password-stdin',
    )
    .action(
      async (
        id: string,
        options: { party: string; role: string; name: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        const password = readPassword(options.passwordStdin === true);
        const { user: by } = command.optsWithGlobals<GlobalOptions>();
        await withIngot(command, async (ingot, out) => {
          const done = must(
            await addUser(ingot, {
              id,
              name: options.name,
              party_id: options.party,
              role: options.role,
              password,
              created_by: by,
            }),
          );
          out.result(
            done.user,
            () => `user ${done.user.id} (${done.user.role} of ${done.user.party_id}) registered`,
          );
        });
      },
    );
  users
    .command('list')
    .description('list users')
    .option('--party <id>', 'only this party’s users')
    .action(async (options: { party?: string }, command: Command) => {
      await withIngot(command, async (ingot, out) => {
        const list = await listUsers(ingot, options.party);
        out.result(list, () =>
          list.length === 0
            ? 'no users'
            : list.map(
                (u) =>
                  `${u.id.padEnd(16)} ${u.party_id.padEnd(10)} ${u.role.padEnd(22)} ${u.name}${u.active ? '' : ' (inactive)'}`,
              ),
        );
      });
    });
}
