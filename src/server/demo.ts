// The demonstration books for `npm start`: the 1961 arrangement replayed into an empty store, with
// the scenario's own users (one per role, two NBC signatories for NBC-GOLD's two-signature rule),
// all with the same published password (never for real books).

import { runScenario1961 } from '../scenario/1961.ts';
import { SCENARIO_1961_DEMO_PASSWORD, SCENARIO_1961_USERS } from '../scenario/1961-custody.ts';
import { runTreasury1961, TREASURY_1961 } from '../scenario/1961-treasury.ts';
import { grantClearance } from '../service/correspondence/register.ts';
import { booksEmpty } from '../service/journal/queries.ts';
import type { Ingot } from '../service/kernel/context.ts';
import { anyoneCleared, partyName, userExists } from '../service/parties/queries.ts';
import { addUser } from '../service/parties/users.ts';
import { keepsTreasury } from '../service/treasury/treasury-rows.ts';

/** The password of every demo user; printed at start, so only ever for demonstration books. */
export const DEMO_PASSWORD = SCENARIO_1961_DEMO_PASSWORD;

/** The demo users: exactly the 1961 scenario's. */
export const DEMO_USERS = SCENARIO_1961_USERS;

/** Who is cleared to open and print what, in the demo: the supervisor founds the register. */
const DEMO_CLEARANCES = [
  { user_id: 'gosbank-supervisor', level: 'top_secret' },
  { user_id: 'gosbank-operator', level: 'secret' },
  // The auditor reads every bar list and statement, which are confidential.
  { user_id: 'gosbank-auditor', level: 'confidential' },
  { user_id: 'nbc-signatory-1', level: 'secret' },
  { user_id: 'nbc-signatory-2', level: 'secret' },
] as const;

/**
 * Loads the 1961 arrangement when the books are empty and adds any demo user missing, and NBC's
 * treasury when it has none (books loaded by an older version); clears the demo users when nobody is cleared yet. Returns whether the
 * scenario was loaded now.
 */
export async function seedDemo(ingot: Ingot, say: (line: string) => void): Promise<{ loaded: boolean }> {
  let loaded = false;
  if (await booksEmpty(ingot)) {
    const result = await runScenario1961(ingot, say);
    if (!result.verified) throw new Error('the 1961 scenario left the books out of balance');
    loaded = true;
  }
  for (const user of DEMO_USERS) {
    if (await userExists(ingot, user.id)) continue;
    const added = await addUser(ingot, { ...user, password: DEMO_PASSWORD, created_by: 'demo' });
    if (!added.ok) throw new Error(`demo user ${user.id}: ${added.message}`);
  }
  await seedTreasury(ingot, say);
  if (!(await anyoneCleared(ingot))) {
    for (const { user_id, level } of DEMO_CLEARANCES) {
      const granted = await grantClearance(ingot, { user_id, level, by: 'gosbank-supervisor' });
      if (!granted.ok) throw new Error(`demo clearance of ${user_id}: ${granted.message}`);
    }
  }
  return { loaded };
}

/** NBC's treasury of January 1961, for demo books loaded before Ingot kept treasuries. */
async function seedTreasury(ingot: Ingot, say: (line: string) => void): Promise<void> {
  if ((await partyName(ingot, TREASURY_1961.party)) === undefined) return;
  if (!(await keepsTreasury(ingot, TREASURY_1961.party))) await runTreasury1961(ingot, say);
}
