// Users of the desk and the API. `users add` sets books up from their file (the first supervisors);
// otherwise, as over HTTP, a change of a bank's users is proposed by one administrator (--user)
// and approved by a second (`ingot approvals approve N`), and a new user enrols with its secret.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  endSessionsOf,
  enrol,
  proposeUserChange,
  roleOf,
  type UserChangeRequest,
} from '../../../service/parties/user-admin.ts';
import { addUser, listUsers } from '../../../service/parties/users.ts';
import type { GlobalOptions } from '../../context.ts';
import { withIngot } from '../../context.ts';
import { CliExit, EXIT, must } from '../../output.ts';
import { namedUserParty } from '../vault/reader.ts';

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
        // A client bank's user sees its own bank's users, as GET /users shows them.
        const own = await namedUserParty(ingot, command);
        const list = (await listUsers(ingot, options.party ?? own)).filter(
          (user) => own === undefined || user.party_id === own,
        );
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
  registerChanges(users);
}

function roleOption(text: string) {
  const role = roleOf(text);
  if (!role) throw new CliExit(EXIT.bad_input, `invalid_input [--role]: "${text}" is not a role`);
  return role;
}

/** Proposes a change as the acting user and prints the approval it waits for. */
async function propose(command: Command, change: UserChangeRequest): Promise<void> {
  const { user: by } = command.optsWithGlobals<GlobalOptions>();
  await withIngot(command, async (ingot, out) => {
    const done = must(await proposeUserChange(ingot, { change, by_user_id: by }));
    out.result(done, () => [
      `proposed; waits for a second administrator: approval #${done.pending_approval}`,
      ...(done.enrolment_secret_part === undefined
        ? []
        : [
            `first part of the enrolment secret, for the new user only, out of band (shown once): ${done.enrolment_secret_part}`,
          ]),
    ]);
  });
}

function registerChanges(users: Command): void {
  users
    .command('propose <id>')
    .description(
      'propose a user of your bank: you are shown the first part of its enrolment secret, its approver the second',
    )
    .requiredOption('--party <id>', 'the party the user works for')
    .requiredOption('--role <role>', 'the user’s one role')
    .requiredOption('--name <name>', 'full name')
    .action(async (id: string, options: { party: string; role: string; name: string }, command: Command) => {
      const user = { id, name: options.name, party_id: options.party, role: roleOption(options.role) };
      await propose(command, { kind: 'register_user', user });
    });
  users
    .command('role <id> <role>')
    .description('propose another role for a user of your bank')
    .action(async (id: string, role: string, _options: object, command: Command) => {
      await propose(command, { kind: 'change_user_role', user_id: id, role: roleOption(role) });
    });
  users
    .command('disable <id>')
    .description('propose to disable a user of your bank; its sessions and tokens end when approved')
    .action(async (id: string, _options: object, command: Command) => {
      await propose(command, { kind: 'disable_user', user_id: id });
    });
  users
    .command('end-sessions <id>')
    .description('end every session and API token of a user of your bank, at once')
    .action(async (id: string, _options: object, command: Command) => {
      const { user: by } = command.optsWithGlobals<GlobalOptions>();
      await withIngot(command, async (ingot, out) => {
        const done = must(await endSessionsOf(ingot, { user_id: id, by_user_id: by }));
        out.result(done, () => `${done.ended} sessions and tokens of ${id} ended`);
      });
    });
  users
    .command('enrol <id>')
    .description(
      'set your own password with the enrolment secret you were handed in two parts, joined by a dot',
    )
    .option(
      '--password-stdin',
      'read the secret ("<first part>.<second part>"), then the password, from two lines of standard input',
    )
    .addHelpText(
      'after',
      '\nExample:\n  printf "%s.%s\\n%s\\n" "$FIRST" "$SECOND" "a long passphrase" | ingot users enrol ana --password-stdin',
    )
    .action(async (id: string, options: { passwordStdin?: boolean }, command: Command) => {
      const [secret = '', password = ''] = options.passwordStdin
        ? readFileSync(0, 'utf8').split('\n')
        : [process.env.INGOT_ENROLMENT_SECRET ?? '', process.env.INGOT_PASSWORD ?? ''];
      if (secret === '' || password === '') {
        throw new CliExit(
          EXIT.bad_input,
          'invalid_input [password]: give the secret and the password on standard input with --password-stdin',
        );
      }
      await withIngot(command, async (ingot, out) => {
        const done = must(await enrol(ingot, { user_id: id, secret, password }));
        out.result(done, () => `${done.user_id} enrolled: sign in with your password`);
      });
    });
}
