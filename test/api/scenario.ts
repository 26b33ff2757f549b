// The 1961 books (sale and custody, with the scenario's own users) served over HTTP, plus a second
// client bank (BNB) with a signatory, to show one bank never sees another's instructions.
import { runScenario1961 } from '../../src/scenario/1961.ts';
import { SCENARIO_1961_DEMO_PASSWORD } from '../../src/scenario/1961-custody.ts';
import { ingotOver } from '../../src/service/context.ts';
import { addParty } from '../../src/service/parties.ts';
import { addUser } from '../../src/service/users.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { ok } from '../support/desk.ts';
import type { Client, Served } from './support.ts';
import { serveOver } from './support.ts';

export interface ScenarioServed extends Served {
  /** Signs in one of the scenario's users (or bnb-signatory) with the demo password. */
  as(userId: string): Promise<Client>;
}

export async function servedScenario1961(): Promise<ScenarioServed> {
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
