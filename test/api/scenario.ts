// The 1961 books (sale and custody, with the scenario's own users) served over HTTP, plus a second
// client bank (BNB) with a signatory, to show one bank never sees another's instructions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeLetter } from '../../src/domain/correspondence/compose.ts';
import { runScenario1961 } from '../../src/scenario/1961.ts';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { generateKeys, loadChannel, pinCorrespondent } from '../../src/service/correspondence/keyring.ts';
import { queueMessages } from '../../src/service/correspondence/outbox.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { type Ingot, ingotOver } from '../../src/service/kernel/context.ts';
import { addParty } from '../../src/service/parties/parties.ts';
import { addUser } from '../../src/service/parties/users.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { TEST_KEY_PASSPHRASE } from '../support/cli.ts';
import { ok } from '../support/desk.ts';
import type { Client, Served } from './support.ts';
import { serveOver } from './support.ts';

export interface ScenarioServed extends Served {
  /** Signs in one of the scenario's users (or bnb-signatory) with the demo password. */
  as(userId: string): Promise<Client>;
}

/** The 1961 books in memory, verified, with BNB and its signatory. */
export async function scenario1961Books(): Promise<Ingot> {
  const ingot = ingotOver(await openSqliteStore(':memory:'), 'setup');
  const replay = await runScenario1961(ingot, () => undefined);
  if (!replay.verified) throw new Error('the 1961 scenario did not verify');
  ok(await addParty(ingot, { id: 'BNB', name: 'Bulgarian National Bank', role: 'client' }));
  ok(
    await addUser(ingot, {
      id: 'bnb-signatory',
      name: 'Signatory of the BNB',
      party_id: 'BNB',
      role: 'client_signatory',
      password: SCENARIO_1961_DEMO_PASSWORD,
      created_by: 'test',
    }),
  );
  return ingot;
}

export async function servedScenario1961(): Promise<ScenarioServed> {
  const ingot = await scenario1961Books();
  const served = await serveOver(ingot);
  const clients = new Map<string, Client>();
  return {
    ...served,
    async as(userId) {
      const known = clients.get(userId);
      if (known) return known;
      const answer = await served
        .client(null)
        .post('/session', { user_id: userId, password: SCENARIO_1961_DEMO_PASSWORD });
      if (answer.status !== 200) throw new Error(`sign-in of ${userId}: ${answer.text}`);
      const client = served.client((answer.body as { token: string }).token);
      clients.set(userId, client);
      return client;
    },
  };
}

/**
 * Sends one sealed letter (MT699, confidential) from the depository to NBC through the services:
 * keys for both banks, NBC's pinned at the depository, the letter queued; then clears the
 * depository's supervisor (top secret) and NBC's first signatory (confidential). Returns its id.
 */
export async function sendLetterToNbc(ingot: Ingot, text: string): Promise<bigint> {
  const dir = mkdtempSync(join(tmpdir(), 'ingot-letter-'));
  try {
    const keys = (ingot: Ingot, bank: string) =>
      generateKeys(ingot, {
        bank_id: bank,
        private_path: join(dir, `${bank}.keys.json`),
        public_path: join(dir, `${bank}.public.json`),
        passphrase: TEST_KEY_PASSPHRASE,
      });
    ok(await keys(ingot, 'GOSBANK'));
    const nbcStore = await openSqliteStore(':memory:');
    const nbc = ok(await keys(ingotOver(nbcStore, 'nbc'), 'NBC'));
    await nbcStore.close();
    ok(
      await pinCorrespondent(ingot, {
        bank_id: 'NBC',
        file: nbc.public_file,
        replace: false,
        signatory_user_id: 'nbc-signatory-1',
      }),
    );
    const channel = ok(await loadChannel(ingot, TEST_KEY_PASSPHRASE)).channel;
    const letter = composeLetter({ reference: 'LTR-1961-1', related_reference: null, text });
    const queued = ok(
      await queueMessages(ingot, channel, [
        {
          to: 'NBC',
          classification: 'confidential',
          subject: 'Loading at the vault',
          message: letter,
          origin: null,
          linked: null,
          date: '1961-02-21',
        },
      ]),
    );
    ok(await grantClearance(ingot, { user_id: 'gosbank-supervisor', level: 'top_secret', by: 'test' }));
    ok(
      await grantClearance(ingot, {
        user_id: 'nbc-signatory-1',
        level: 'confidential',
        by: 'gosbank-supervisor',
      }),
    );
    const [first] = queued.queued;
    if (!first) throw new Error('the letter was not queued');
    return first.id;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
