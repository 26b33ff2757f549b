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
import { depositoryId, partyExists } from './queries-parties.ts';
import {
  hasUser,
  recordSession,
  recordUser,
  revokeSession,
  userOfTokenHash,
  userRow,
  userRows,
} from './queries-users.ts';

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
  return depositoryId(ingot.store.db);
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
    if (!(await partyExists(tx, user.party_id))) {
      return refuse('party_not_found', `party ${user.party_id} does not exist`, 'party');
    }
    if (await hasUser(tx, user.id)) return refuse('invalid_input', `user ${user.id} already exists`, 'id');
    await recordUser(tx, {
      ...user,
      active: 1n,
      password_hash,
      created_at: ingot.now(),
      created_by: request.created_by,
      enrolled_at: ingot.now(),
    });
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
  const row = await userRow(ingot.store.db, request.user_id);
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
    await recordSession(tx, {
      token_hash: tokenHash(token),
      user_id: row.id,
      kind,
      label: request.label ?? kind,
      created_at: ingot.now(),
      expires_at,
      revoked_at: null,
    });
  });
  return { ok: true, token, user: toUser(row), expires_at };
}

/** The user a token belongs to, if the token is live. */
export async function userOfToken(ingot: Ingot, token: string): Promise<User | undefined> {
  const row = await userOfTokenHash(ingot.store.db, tokenHash(token));
  if (!row || row.revoked_at !== null || row.expires_at <= ingot.now() || row.active !== 1n) return undefined;
  return toUser(row);
}

/** Ends a session or revokes an API token. */
export async function signOut(ingot: Ingot, token: string): Promise<void> {
  await ingot.store.write(async (tx) => {
    await revokeSession(tx, tokenHash(token), ingot.now());
  });
}

/** Every user, optionally of one party. */
export async function listUsers(ingot: Ingot, party_id?: string): Promise<User[]> {
  return (await userRows(ingot.store.db, party_id)).map(toUser);
}
