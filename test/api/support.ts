// The API as a client meets it: a server listening on a free port of loopback, spoken to with fetch.
// The world: the depository (GOSBANK) with a vault, two client banks (NBC, BNB), each offered gold,
// and a user of every role, all but the viewer cleared for confidential documents. Passwords are
// hashed once and shared, to keep the tests quick.
import type { Role } from '../../src/domain/custody/controls.ts';
import { formatScaled } from '../../src/domain/decimal.ts';
import { generateStock } from '../../src/scenario/stock.ts';
import { buildServer, type ServerOptions } from '../../src/server/app.ts';
import type { Api } from '../../src/server/context.ts';
import { grantClearance } from '../../src/service/correspondence/register.ts';
import { type Ingot, ingotOver } from '../../src/service/kernel/context.ts';
import { addParty, openAccount } from '../../src/service/parties/parties.ts';
import { hashPassword } from '../../src/service/parties/users.ts';
import { recordFixings } from '../../src/service/trading/fixings.ts';
import { createOffer } from '../../src/service/trading/offers.ts';
import { importBars } from '../../src/service/vault/bars.ts';
import { moveCash } from '../../src/service/vault/cash.ts';
import { openSqliteStore } from '../../src/store/sqlite/open.ts';
import { ok } from '../support/desk.ts';

export const PASSWORD = 'a long test passphrase';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
  readonly headers: Headers;
}

/** A signed-in caller (or an anonymous one, with no token). */
export interface Client {
  readonly token: string | null;
  request(
    method: string,
    path: string,
    init?: { body?: unknown; key?: string; headers?: Record<string, string> },
  ): Promise<Answer>;
  get(path: string): Promise<Answer>;
  post(path: string, body?: unknown, key?: string): Promise<Answer>;
}

export interface Served {
  readonly url: string;
  readonly app: Api;
  readonly ingot: Ingot;
  client(token: string | null): Client;
  /** Signs a user in (once; later calls reuse the session). */
  signIn(userId: string): Promise<Client>;
  close(): Promise<void>;
}

/** True when fetch failed because the server closed a kept-alive socket under it. */
function socketClosed(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } } | null)?.cause;
  return cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET';
}

/** Starts a server over `ingot` on a free port and returns a way to talk to it. */
export async function serveOver(ingot: Ingot, options: Partial<ServerOptions> = {}): Promise<Served> {
  const app = buildServer({ ingot, checkResponses: true, ...options });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const client = (token: string | null): Client => {
    const request: Client['request'] = async (method, path, init = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      if (init.key) headers['idempotency-key'] = init.key;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      const send = () =>
        fetch(`${address}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
      const response = await send().catch((error: unknown) => {
        // A test that runs the CLI synchronously stops the server's event loop too; when it turns
        // again it may close a kept-alive socket just as fetch reuses it. A request that is safe to
        // repeat (a read, or a write under an idempotency key) is sent again, as HTTP clients do.
        if ((method === 'GET' || init.key) && socketClosed(error)) return send();
        throw error;
      });
      const text = await response.text();
      let parsed: unknown = text;
      if ((response.headers.get('content-type') ?? '').startsWith('application/json') && text !== '') {
        parsed = JSON.parse(text);
      }
      return { status: response.status, body: parsed, text, headers: response.headers };
    };
    return {
      token,
      request,
      get: (path) => request('GET', path),
      post: (path, body, key) => request('POST', path, { body: body ?? {}, ...(key ? { key } : {}) }),
    };
  };
  const signedIn = new Map<string, Client>();
  return {
    url: address,
    app,
    ingot,
    client,
    async signIn(userId) {
      const known = signedIn.get(userId);
      if (known) return known;
      const answer = await client(null).post('/session', { user_id: userId, password: PASSWORD });
      if (answer.status !== 200) throw new Error(`sign-in of ${userId}: ${answer.text}`);
      const signed = client((answer.body as { token: string }).token);
      signedIn.set(userId, signed);
      return signed;
    },
    async close() {
      await app.close();
      await ingot.store.close();
    },
  };
}

/** Registers users directly, sharing one password hash (scrypt is slow on purpose). */
export async function addUsers(ingot: Ingot, users: readonly [string, string, Role][]): Promise<void> {
  const password_hash = await hashPassword(PASSWORD);
  await ingot.store.write(async (tx) => {
    for (const [id, party_id, role] of users) {
      await tx
        .insertInto('users')
        .values({
          id,
          party_id,
          role,
          name: id,
          active: 1n,
          password_hash,
          created_at: ingot.now(),
          created_by: 'test',
          enrolled_at: ingot.now(),
        })
        .execute();
    }
  });
}

/** Opens the accounts of a party: cash in GBP and gold custody. */
async function accountsOf(ingot: Ingot, party: string): Promise<void> {
  ok(await openAccount(ingot, { id: `${party}-GBP`, party_id: party, kind: 'cash', unit: 'GBP' }));
  const kind = party === 'GOSBANK' ? 'VAULT' : 'GOLD';
  ok(await openAccount(ingot, { id: `${party}-${kind}`, party_id: party, kind: 'custody', unit: 'XAU' }));
}

/** An offer of up to 10 t from the depository to `buyer`, valid through 1961. */
async function offerTo(ingot: Ingot, buyer: string, key: string): Promise<void> {
  const terms = {
    seller_party_id: 'GOSBANK',
    buyer_party_id: buyer,
    seller_stock_account_id: 'GOSBANK-VAULT',
    seller_cash_account_id: 'GOSBANK-GBP',
    buyer_custody_account_id: `${buyer}-GOLD`,
    buyer_cash_account_id: `${buyer}-GBP`,
    maximum_fine_milli_oz: 321_507_466n,
    minimum_fineness: 9950n,
    currency: 'GBP' as const,
    pricing: 'london_fixing_of_payment_day' as const,
    custody_fee_per_year_per10k: 0n,
    valid_from: '1961-01-02',
    valid_until: '1961-12-29',
  };
  ok(await createOffer(ingot, terms, key));
}

/**
 * Who in the world is cleared to read bar lists, statements and confirmations: everyone but the
 * viewer, who reads balances and trades but none of the confidential documents.
 */
export const CLEARED_USERS = ['supervisor', 'operator', 'auditor', 'nbc-signatory', 'bnb-signatory'] as const;

/** Clears users for confidential documents; the first founds the register (top secret). */
export async function clearUsers(ingot: Ingot, users: readonly string[]): Promise<void> {
  for (const [index, user_id] of users.entries()) {
    const level = index === 0 ? 'top_secret' : 'confidential';
    ok(await grantClearance(ingot, { user_id, level, by: users[0] ?? user_id }));
  }
}

/** The world of the access tests, served: see the head of this file. */
export async function servedWorld(bars = 300, options: Partial<ServerOptions> = {}): Promise<Served> {
  const ingot = ingotOver(await openSqliteStore(':memory:'), 'setup');
  ok(await addParty(ingot, { id: 'GOSBANK', name: 'State Bank of the USSR', role: 'depository' }));
  ok(await addParty(ingot, { id: 'NBC', name: 'National Bank of Cuba', role: 'client' }));
  ok(await addParty(ingot, { id: 'BNB', name: 'Bulgarian National Bank', role: 'client' }));
  for (const party of ['GOSBANK', 'NBC', 'BNB']) await accountsOf(ingot, party);
  const rules = { minimum_fineness: 9950n, good_delivery: true };
  ok(
    await importBars(ingot, {
      account_id: 'GOSBANK-VAULT',
      lines: generateStock(bars),
      rules,
      date: '1961-01-02',
      key: 'stock',
      source: 'stock.csv',
    }),
  );
  ok(
    await recordFixings(ingot, [
      { date: '1961-01-31', currency: 'GBP', minor_per_oz: 60_960n, source: 'test' },
    ]),
  );
  for (const party of ['NBC', 'BNB']) {
    const amount = { currency: 'GBP' as const, minor: 5_000_000n * 4800n };
    ok(
      await moveCash(ingot, 'deposit', {
        account_id: `${party}-GBP`,
        amount,
        date: '1961-01-03',
        key: `fund-${party}`,
      }),
    );
  }
  await offerTo(ingot, 'NBC', 'offer-nbc');
  await offerTo(ingot, 'BNB', 'offer-bnb');
  await addUsers(ingot, [
    ['operator', 'GOSBANK', 'depository_operator'],
    ['supervisor', 'GOSBANK', 'depository_supervisor'],
    ['auditor', 'GOSBANK', 'auditor'],
    ['nbc-signatory', 'NBC', 'client_signatory'],
    ['nbc-viewer', 'NBC', 'client_viewer'],
    ['bnb-signatory', 'BNB', 'client_signatory'],
  ]);
  await clearUsers(ingot, CLEARED_USERS);
  return serveOver(ingot, options);
}

/** The error body every refusal has. */
export interface ErrorAnswer {
  readonly code: string;
  readonly message: string;
  readonly field: string | null;
}

/** The body of an answer as an error, checking its shape. */
export function errorOf(answer: Answer): ErrorAnswer {
  const body = answer.body as Partial<ErrorAnswer> | null;
  if (!body || typeof body.code !== 'string' || typeof body.message !== 'string' || !('field' in body)) {
    throw new Error(`not an error body (${answer.status}): ${answer.text.slice(0, 300)}`);
  }
  return body as ErrorAnswer;
}

/** Why the tests reweigh a bar: the words its history shows. */
export const REWEIGH_REASON = 'reweighed after the quarter’s count';

/**
 * Proposes, as `operator`, to reweigh a bar 0.025 oz lighter gross, as found at the quarter's count
 * on 1961-03-01; the answer and the new gross weight in milli-ounces.
 */
export async function proposeLighter(
  operator: Client,
  bar: { readonly refiner: string; readonly serial: string; readonly gross_milli_oz: string },
): Promise<{ answer: Answer; gross: bigint }> {
  const gross = BigInt(bar.gross_milli_oz) - 25n;
  const answer = await operator.post(`/bars/${bar.refiner}/${bar.serial}/reweigh`, {
    gross_oz: formatScaled(gross, 3),
    date: '1961-03-01',
    reason: REWEIGH_REASON,
  });
  return { answer, gross };
}
