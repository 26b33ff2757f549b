// Users of Ingot, their passwords (scrypt, memory-hard) and their sessions and API tokens.
// Tokens are random and stored only as SHA-256 hashes; passwords only as scrypt hashes.

import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { checkUser, ROLES, type Role, type User } from '../../domain/custody/controls.ts';
import { passwordWeakness } from '../../domain/custody/user-admin.ts';
import { type Outcome, refuse } from '../../domain/outcome.ts';
import type { UserRow } from '../../store/schema.ts';
import type { Ingot } from '../kernel/context.ts';
import { atomically } from '../kernel/idempotency.ts';

const scrypt = promisify(scryptCallback) as (
  password: string,
  salt: Buffer,
  length: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

// Mozilla's list of common passwords (10,000 of them), shipped as a package: no network needed.
const commonPasswords = createRequire(import.meta.url)('fxa-common-password-list') as {
  test(password: string): boolean;
};

/** Whether a password is on the list of common passwords. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords.test(password);
}

/** scrypt cost: N = 2^15, r = 8 (32 MiB per hash), the OWASP recommendation for interactive logins. */
const SCRYPT = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const HASH_BYTES = 32;
export const SESSION_HOURS = 12;
export const API_TOKEN_DAYS = 90;

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64 parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, HASH_BYTES, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** True when `password` matches a stored hash; compared in constant time. */
export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const options = {
    N: Number.parseInt(n, 10),
    r: Number.parseInt(r, 10),
    p: Number.parseInt(p, 10),
    maxmem: SCRYPT.maxmem,
  };
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, options);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Maps a stored user to the domain's user (no password hash). */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    name: row.name,
    party_id: row.party_id,
    role: row.role as Role,
    active: row.active === 1n,
  };
}

/** The depository: the one party whose role is depository. */
export async function depositoryPartyId(ingot: Ingot): Promise<string | undefined> {
  const row = await ingot.store.db
    .selectFrom('parties')
    .select('id')
    .where('role', '=', 'depository')
    .executeTakeFirst();
  return row?.id;
}

export interface NewUser {
  readonly id: string;
  readonly name: string;
  readonly party_id: string;
  readonly role: string;
  readonly password: string;
  readonly created_by: string;
}

/**
 * Registers a user at once, with its password: for setting books up from the command line (the
 * 1961 scenario, the demo, the first supervisors of new books), never over HTTP, where a user is
 * proposed and approved by its own bank (user-admin.ts). Whoever holds the books' file may do this
 * anyway; the server's users may not.
 */
export async function addUser(ingot: Ingot, request: NewUser): Promise<Outcome<{ user: User }>> {
  if (!(ROLES as readonly string[]).includes(request.role)) {
    return refuse('invalid_input', `role "${request.role}" is not one of ${ROLES.join(', ')}`, 'role');
  }
  const weakness = passwordWeakness(request.password, request.id, isCommonPassword);
  if (weakness) return refuse('invalid_input', weakness, 'password');
  const depository = await depositoryPartyId(ingot);
  if (!depository) return refuse('party_not_found', 'register the depository before its users', 'party');
  const user: User = {
    id: request.id,
    name: request.name,
    party_id: request.party_id,
    role: request.role as Role,
    active: true,
  };
  const checked = checkUser(user, depository);
  if (!checked.ok) return refuse('invalid_input', checked.message, checked.field);
  const password_hash = await hashPassword(request.password);
  return atomically(ingot, async (tx) => {
    const party = await tx
      .selectFrom('parties')
      .select('id')
      .where('id', '=', user.party_id)
      .executeTakeFirst();
    if (!party) return refuse('party_not_found', `party ${user.party_id} does not exist`, 'party');
    const existing = await tx.selectFrom('users').select('id').where('id', '=', user.id).executeTakeFirst();
    if (existing) return refuse('invalid_input', `user ${user.id} already exists`, 'id');
    await tx
      .insertInto('users')
      .values({
        ...user,
        active: 1n,
        password_hash,
        created_at: ingot.now(),
        created_by: request.created_by,
        enrolled_at: ingot.now(),
      })
      .execute();
    return { ok: true, user };
  });
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Signs a user in: a session token for the desk (hours) or an API token (days). */
export async function signIn(
  ingot: Ingot,
  request: { user_id: string; password: string; kind?: 'session' | 'api_token'; label?: string },
): Promise<Outcome<{ token: string; user: User; expires_at: string }>> {
  const row = await ingot.store.db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', request.user_id)
    .executeTakeFirst();
  // The same refusal whether the user is unknown or the password wrong: no user enumeration.
  const refused = refuse('invalid_input', 'unknown user or wrong password', 'password');
  if (!row) {
    await hashPassword(request.password);
    return refused;
  }
  if (!(await checkPassword(request.password, row.password_hash)) || row.active !== 1n) return refused;
  const kind = request.kind ?? 'session';
  const token = randomBytes(32).toString('base64url');
  const lifetimeMs = kind === 'session' ? SESSION_HOURS * 3_600_000 : API_TOKEN_DAYS * 86_400_000;
  const expires_at = new Date(Date.parse(ingot.now()) + lifetimeMs).toISOString();
  await ingot.store.write(async (tx) => {
    await tx
      .insertInto('sessions')
      .values({
        token_hash: tokenHash(token),
        user_id: row.id,
        kind,
        label: request.label ?? kind,
        created_at: ingot.now(),
        expires_at,
        revoked_at: null,
      })
      .execute();
  });
  return { ok: true, token, user: toUser(row), expires_at };
}

/** The user a token belongs to, if the token is live. */
export async function userOfToken(ingot: Ingot, token: string): Promise<User | undefined> {
  const row = await ingot.store.db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.expires_at', 'sessions.revoked_at'])
    .where('sessions.token_hash', '=', tokenHash(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null || row.expires_at <= ingot.now() || row.active !== 1n) return undefined;
  return toUser(row);
}

/** Ends a session or revokes an API token. */
export async function signOut(ingot: Ingot, token: string): Promise<void> {
  await ingot.store.write(async (tx) => {
    await tx
      .updateTable('sessions')
      .set({ revoked_at: ingot.now() })
      .where('token_hash', '=', tokenHash(token))
      .execute();
  });
}

/** Every user, optionally of one party. */
export async function listUsers(ingot: Ingot, party_id?: string): Promise<User[]> {
  let query = ingot.store.db.selectFrom('users').selectAll().orderBy('party_id').orderBy('id');
  if (party_id) query = query.where('party_id', '=', party_id);
  return (await query.execute()).map(toUser);
}
