// The demonstration books for `npm start`: the 1961 arrangement replayed into an empty store, and
// one user for each role, all with the same published password (never for real books).
import type { Role } from '../domain/custody/controls.ts';
import { runScenario1961 } from '../scenario/1961.ts';
import type { Ingot } from '../service/context.ts';
import { addUser } from '../service/users.ts';

/** The password of every demo user; printed at start, so only ever for demonstration books. */
export const DEMO_PASSWORD = 'gold-1961-demo';

/** One demo user per role: the State Bank's staff and the National Bank of Cuba's. */
export const DEMO_USERS: readonly { id: string; name: string; party_id: string; role: Role }[] = [
  { id: 'operator', name: 'Operator of the State Bank', party_id: 'GOSBANK', role: 'depository_operator' },
  {
    id: 'supervisor',
    name: 'Supervisor of the State Bank',
    party_id: 'GOSBANK',
    role: 'depository_supervisor',
  },
  { id: 'auditor', name: 'Auditor of the State Bank', party_id: 'GOSBANK', role: 'auditor' },
  {
    id: 'nbc-signatory',
    name: 'Signatory of the National Bank of Cuba',
    party_id: 'NBC',
    role: 'client_signatory',
  },
  { id: 'nbc-viewer', name: 'Viewer at the National Bank of Cuba', party_id: 'NBC', role: 'client_viewer' },
];

/**
 * Loads the 1961 arrangement when the books are empty and adds any demo user missing. Returns
 * whether the scenario was loaded now.
 */
export async function seedDemo(ingot: Ingot, say: (line: string) => void): Promise<{ loaded: boolean }> {
  const existing = await ingot.store.db.selectFrom('entries').select('id').limit(1).executeTakeFirst();
  let loaded = false;
  if (!existing) {
    const result = await runScenario1961(ingot, say);
    if (!result.verified) throw new Error('the 1961 scenario left the books out of balance');
    loaded = true;
  }
  for (const user of DEMO_USERS) {
    const known = await ingot.store.db
      .selectFrom('users')
      .select('id')
      .where('id', '=', user.id)
      .executeTakeFirst();
    if (known) continue;
    const added = await addUser(ingot, { ...user, password: DEMO_PASSWORD, created_by: 'demo' });
    if (!added.ok) throw new Error(`demo user ${user.id}: ${added.message}`);
  }
  return { loaded };
}
