// The bank's own keys and its correspondents' pinned keys, kept in the store; the private keys
// stay in their file (mode 0600, encrypted under a passphrase), named here, and are read only when
// a message is sealed or opened. Beside them, the books key that encrypts the register's texts,
// encrypted under the same passphrase and unlocked with the private keys.
import { existsSync } from 'node:fs';
import {
  booksKeyPath,
  openBooksKey,
  protectBooksKeyFile,
  unlockBooksKey,
  unlockedBooksKey,
} from '../../channel/at-rest.ts';
import {
  checkedPublicKeys,
  type PublicKeyFile,
  readPrivateKeyFile,
  writeKeyFiles,
} from '../../channel/keyfile.ts';
import {
  type BankKeys,
  generateBankKeys,
  importPublicKeys,
  type PinnedKeys,
  type PublicKeys,
} from '../../channel/keys.ts';
import { isBankId } from '../../channel/seal.ts';
import { type CorrespondenceOutcome, refuseCorrespondence } from '../../domain/correspondence/refusal.ts';
import { assert } from '../../domain/outcome.ts';
import type { ChannelEventRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';
import type { Ingot } from '../kernel/context.ts';
import { InputError } from '../kernel/input-error.ts';
import {
  allChannelBanks,
  channelBank,
  channelEventLog,
  correspondentBanks,
  lastChannelEventId,
  ownBankRow,
  partyRole,
  recordChannelBank,
  recordChannelEvent,
  replacePinnedKeys,
  setChannelSignatory,
} from './queries-channel.ts';

/** Whose books this instance keeps: the depository's, or a client bank's own view. */
export type Mode = 'depository' | 'client';

/** What an instance needs to seal and open: its bank, mode, keys and its correspondents' keys. */
export interface Channel {
  readonly bank_id: string;
  readonly mode: Mode;
  readonly keys: BankKeys;
}

/** A bank's keys as the store keeps them, for `keys show`. */
export interface KeyRecord {
  readonly bank_id: string;
  readonly is_self: boolean;
  readonly mode: string | null;
  readonly fingerprint: string;
  readonly signing: string;
  readonly encryption: string;
  readonly key_file: string | null;
  readonly signatory_user_id: string | null;
  readonly pinned_at: string;
  readonly pinned_by: string;
  readonly sent_sequence: bigint;
  readonly received_sequence: bigint;
}

/** Writes an event to the channel's log. */
export async function logChannelEvent(
  tx: Tx,
  event: { at: string; bank_id: string; event: string; detail: string; envelope_hash?: string | null },
): Promise<void> {
  const last = await lastChannelEventId(tx);
  await recordChannelEvent(tx, {
    ...event,
    id: (last ?? 0n) + 1n,
    envelope_hash: event.envelope_hash ?? null,
  });
}

/** The mode to record: given, else depository when the bank is the depository party here. */
async function modeFor(tx: Tx, bank: string, given: Mode | undefined): Promise<Mode> {
  if (given !== undefined) return given;
  return (await partyRole(tx, bank)) === 'depository' ? 'depository' : 'client';
}

/**
 * The books key, which encrypts the texts of the register, as unlocked in this process by the key
 * passphrase (`loadChannel`, `unlockBooks`); refused while it is locked. A missing one is made
 * when it is unlocked, never here, which has no passphrase: `_create` is kept for its callers.
 */
export async function booksKey(tx: Tx, _create?: boolean): Promise<Buffer> {
  const row = await ownBankRow(tx);
  assert(row?.key_file != null, 'a message text is stored only once the bank has keys');
  const key = unlockedBooksKey(booksKeyPath(row.key_file, row.bank_id));
  if (key !== null) return key;
  const message =
    `the books key of ${row.bank_id} is locked: texts are opened and written only when the key ` +
    'passphrase is given (INGOT_KEY_PASSPHRASE or --passphrase-file)';
  throw new InputError(message, 'passphrase');
}

/** What generating the bank's keys asks: the bank, its mode, the files and the passphrase. */
export interface GenerateRequest {
  readonly bank_id: string;
  readonly mode?: Mode;
  readonly private_path: string;
  readonly public_path: string;
  /** Encrypts the private keys (scrypt + AES-256-GCM); at least 12 characters. */
  readonly passphrase: string;
}

/**
 * Generates the bank's keys: writes the private file (0600, encrypted under the passphrase), the
 * public one and the books key (0600), and records them.
 */
export async function generateKeys(
  ingot: Ingot,
  request: GenerateRequest,
): Promise<CorrespondenceOutcome<{ public_file: PublicKeyFile; mode: Mode }>> {
  if (!isBankId(request.bank_id)) {
    return refuseCorrespondence('invalid_input', `"${request.bank_id}" is not a bank id`, 'bank');
  }
  return ingot.store.write(async (tx) => {
    const existing = await ownBankRow(tx);
    if (existing) {
      const message = `this instance already has the keys of ${existing.bank_id} (${existing.key_file})`;
      return refuseCorrespondence('own_keys_exist', message, 'bank');
    }
    const keys = generateBankKeys();
    const written = await writeKeyFiles(request.bank_id, keys, request, request.passphrase);
    if (!written.ok) return written;
    const books = await openBooksKey(request.private_path, request.bank_id, request.passphrase);
    if (!books.ok) return books;
    const mode = await modeFor(tx, request.bank_id, request.mode);
    const { public_file } = written;
    const now = ingot.now();
    await recordChannelBank(tx, {
      bank_id: request.bank_id,
      is_self: 1n,
      mode,
      signing_public: public_file.signing,
      encryption_public: public_file.encryption,
      fingerprint: public_file.fingerprint,
      key_file: request.private_path,
      signatory_user_id: null,
      pinned_at: now,
      pinned_by: ingot.user,
      sent_sequence: 0n,
      received_sequence: 0n,
    });
    const detail = `keys generated, fingerprint ${public_file.fingerprint}`;
    await logChannelEvent(tx, { at: now, bank_id: request.bank_id, event: 'generated', detail });
    return { ok: true, public_file, mode };
  });
}

/** What pinning a correspondent's keys asks. */
export interface PinRequest {
  readonly bank_id: string;
  readonly file: PublicKeyFile;
  /** The fingerprint read out of band, if it was: it must match the keys. */
  readonly fingerprint?: string;
  /** Replace keys already pinned for the bank (a key change agreed out of band). */
  readonly replace: boolean;
  /** Depository: the client signatory in whose name instructions from this bank are entered. */
  readonly signatory_user_id?: string;
}

/** Pins a correspondent's public keys; refuses to replace different keys unless told to. */
export async function pinCorrespondent(
  ingot: Ingot,
  request: PinRequest,
): Promise<CorrespondenceOutcome<{ fingerprint: string; changed: 'pinned' | 'unchanged' | 'replaced' }>> {
  const checked = checkedPublicKeys(request);
  if (!checked.ok) return checked;
  const { fingerprint } = checked;
  return ingot.store.write(async (tx) => {
    const row = await channelBank(tx, request.bank_id);
    if (row?.is_self === 1n) {
      return refuseCorrespondence('invalid_input', `${request.bank_id} is this instance's own bank`, 'bank');
    }
    const now = ingot.now();
    const signatory = request.signatory_user_id ?? row?.signatory_user_id ?? null;
    if (row && row.fingerprint === fingerprint) {
      await setChannelSignatory(tx, request.bank_id, signatory);
      return { ok: true, fingerprint, changed: 'unchanged' as const };
    }
    if (row && !request.replace) {
      const message =
        `${request.bank_id} already has keys pinned (fingerprint ${row.fingerprint}); ` +
        'a key change must be confirmed out of band and pinned with --replace';
      await logChannelEvent(tx, {
        at: now,
        bank_id: request.bank_id,
        event: 'replacement_refused',
        detail: `offered ${fingerprint}`,
      });
      return refuseCorrespondence('key_already_pinned', message, 'bank');
    }
    const values = {
      signing_public: request.file.signing,
      encryption_public: request.file.encryption,
      fingerprint,
      signatory_user_id: signatory,
      pinned_at: now,
      pinned_by: ingot.user,
    };
    if (row) await replacePinnedKeys(tx, request.bank_id, values);
    else {
      await recordChannelBank(tx, {
        ...values,
        bank_id: request.bank_id,
        is_self: 0n,
        mode: null,
        key_file: null,
        sent_sequence: 0n,
        received_sequence: 0n,
      });
    }
    const changed = row ? ('replaced' as const) : ('pinned' as const);
    const detail = row ? `replaced ${row.fingerprint} by ${fingerprint}` : `pinned ${fingerprint}`;
    await logChannelEvent(tx, { at: now, bank_id: request.bank_id, event: changed, detail });
    return { ok: true, fingerprint, changed };
  });
}

/** Every key record: the instance's own first, then its correspondents. */
export async function listKeys(ingot: Ingot): Promise<KeyRecord[]> {
  const rows = await allChannelBanks(ingot.store.db);
  return rows.map((row) => ({
    bank_id: row.bank_id,
    is_self: row.is_self === 1n,
    mode: row.mode,
    fingerprint: row.fingerprint,
    signing: row.signing_public,
    encryption: row.encryption_public,
    key_file: row.key_file,
    signatory_user_id: row.signatory_user_id,
    pinned_at: row.pinned_at,
    pinned_by: row.pinned_by,
    sent_sequence: row.sent_sequence,
    received_sequence: row.received_sequence,
  }));
}

/** This instance's bank, with its private keys opened by the passphrase; refused before keys exist. */
async function ownKeys(ingot: Ingot, passphrase: string) {
  const row = await ownBankRow(ingot.store.db);
  if (!row || row.key_file === null) {
    const message = 'this instance has no keys yet: run `ingot keys generate --bank ID` first';
    return refuseCorrespondence('own_keys_not_generated', message, 'keys');
  }
  const read = await readPrivateKeyFile(row.key_file, row.bank_id, passphrase);
  return read.ok ? { ok: true as const, row: { ...row, key_file: row.key_file }, keys: read.keys } : read;
}

/** The instance's channel: its bank and mode, with the private keys opened by the passphrase. */
export async function loadChannel(
  ingot: Ingot,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ channel: Channel }>> {
  const read = await ownKeys(ingot, passphrase);
  if (!read.ok) return read;
  const { row } = read;
  const books = await openBooksKey(row.key_file, row.bank_id, passphrase);
  if (!books.ok) return books;
  const mode: Mode = row.mode === 'depository' ? 'depository' : 'client';
  return { ok: true, channel: { bank_id: row.bank_id, mode, keys: read.keys } };
}

/**
 * Unlocks the books key for whatever opens texts without sealing (a message opened or printed, the
 * server): the passphrase is asked only when the instance has keys whose books key is locked.
 */
export async function unlockBooks(
  ingot: Ingot,
  passphrase: () => Promise<string> | string,
): Promise<CorrespondenceOutcome<{ unlocked: boolean }>> {
  const row = await ownBankRow(ingot.store.db);
  if (!row || row.key_file === null) return { ok: true, unlocked: false };
  const path = booksKeyPath(row.key_file, row.bank_id);
  if (unlockedBooksKey(path) !== null) return { ok: true, unlocked: true };
  const given = await passphrase();
  // A books key yet to be made is made under the passphrase only once it has opened the keys.
  const opened = existsSync(path)
    ? await unlockBooksKey(path, row.bank_id, given)
    : await loadChannel(ingot, given);
  return opened.ok ? { ok: true, unlocked: true } : opened;
}

/**
 * Encrypts the books key kept in clear by an earlier Ingot under the passphrase of the private
 * keys, which must open them (one passphrase for both); a missing one is made under it.
 */
export async function protectBooks(
  ingot: Ingot,
  passphrase: string,
): Promise<CorrespondenceOutcome<{ path: string; encrypted_before: boolean }>> {
  const read = await ownKeys(ingot, passphrase);
  if (!read.ok) return read;
  const { row } = read;
  const path = booksKeyPath(row.key_file, row.bank_id);
  if (!existsSync(path)) {
    const made = await openBooksKey(row.key_file, row.bank_id, passphrase);
    return made.ok ? { ok: true, path, encrypted_before: true } : made;
  }
  const done = await protectBooksKeyFile(path, row.bank_id, passphrase);
  return done.ok ? { ok: true, path, encrypted_before: done.encrypted_before } : done;
}

/** The pinned keys of correspondents, read within a transaction. */
export async function pinnedKeys(tx: Tx): Promise<PinnedKeys> {
  const rows = await correspondentBanks(tx);
  const pins: Record<string, PublicKeys> = {};
  for (const row of rows) {
    const imported = importPublicKeys({ signing: row.signing_public, encryption: row.encryption_public });
    if (imported.ok) pins[row.bank_id] = imported.keys;
  }
  return pins;
}

/** The channel's log, oldest first: keys pinned and replaced, envelopes rejected or held back. */
export async function channelEvents(ingot: Ingot): Promise<ChannelEventRow[]> {
  return channelEventLog(ingot.store.db);
}
