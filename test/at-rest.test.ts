// What a thief of the files finds: the database and key files are readable by their owner only
// (one found readable by others is tightened, or refused if it is a key), the private keys and the
// books key are encrypted under a passphrase (and refused under another), and a secret letter's
// text is not in the bytes of either bank's SQLite file, nor opened by the files alone.
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BOOKS_KEY_FORMAT,
  booksKeyPath,
  openText,
  protectBooksKeyFile,
  SEALED_TEXT_PREFIX,
  unlockBooksKey,
} from '../src/channel/at-rest.ts';
import { protectPrivateKeyFile, readPrivateKeyFile, readPublicKeyFile } from '../src/channel/keyfile.ts';
import { decodeBase64, exportPrivateKeys } from '../src/channel/keys.ts';
import { unlockSecret } from '../src/channel/passphrase.ts';
import { openRelayStore } from '../src/channel/relay-store.ts';
import { composeLetter } from '../src/domain/correspondence/compose.ts';
import { receiveEnvelope } from '../src/service/correspondence/inbox.ts';
import {
  type Channel,
  generateKeys,
  loadChannel,
  pinCorrespondent,
} from '../src/service/correspondence/keyring.ts';
import { queueMessages } from '../src/service/correspondence/outbox.ts';
import { grantClearance, listRegister, openRegistered } from '../src/service/correspondence/register.ts';
import { type Ingot, ingotOver } from '../src/service/kernel/context.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { TEST_KEY_PASSPHRASE, workspace } from './support/cli.ts';
import { ok } from './support/desk.ts';

const SECRET = 'Gold to be loaded at Vnukovo at night; the embassy is told nothing.';
const PRIVATE = 0o600;

let dir: string;
const opened: Ingot[] = [];
let dep: Ingot;
let nbc: Ingot;
let depChannel: Channel;
let nbcChannel: Channel;
let received: bigint;
let sent: bigint;

const modeOf = (path: string) => statSync(path).mode & 0o777;
const paths = (bank: string) => ({
  private_path: join(dir, `${bank}.keys.json`),
  public_path: join(dir, `${bank}.public.json`),
});

/** The books key's file of a bank of this test. */
const booksKeyOf = (bank: string) => booksKeyPath(paths(bank).private_path, bank);

/** A message's text as the database keeps it. */
function storedText(db: string, id: bigint): string {
  const raw = new BetterSqlite3(db, { readonly: true });
  try {
    return (raw.prepare('select text from messages where id = ?').get(id) as { text: string }).text;
  } finally {
    raw.close();
  }
}

/** Every byte of a database: its file, and its write-ahead log while one is there. */
function databaseBytes(db: string): Buffer {
  const wal = `${db}-wal`;
  return Buffer.concat([readFileSync(db), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingot-at-rest-'));
  dep = ingotOver(await openSqliteStore(join(dir, 'gosbank.db')), 'operator');
  nbc = ingotOver(await openSqliteStore(join(dir, 'nbc.db')), 'operator');
  opened.push(dep, nbc);
  const modes = { GOSBANK: 'depository', NBC: 'client' } as const;
  for (const [ingot, bank] of [
    [dep, 'GOSBANK'],
    [nbc, 'NBC'],
  ] as const) {
    const request = { bank_id: bank, mode: modes[bank], ...paths(bank), passphrase: TEST_KEY_PASSPHRASE };
    ok(await generateKeys(ingot, request));
  }
  const file = (bank: string) => ok(readPublicKeyFile(paths(bank).public_path)).file;
  ok(await pinCorrespondent(dep, { bank_id: 'NBC', file: file('NBC'), replace: false }));
  ok(await pinCorrespondent(nbc, { bank_id: 'GOSBANK', file: file('GOSBANK'), replace: false }));
  depChannel = ok(await loadChannel(dep, TEST_KEY_PASSPHRASE)).channel;
  nbcChannel = ok(await loadChannel(nbc, TEST_KEY_PASSPHRASE)).channel;
  const letter = composeLetter({ reference: 'LTR-SECRET', related_reference: null, text: SECRET });
  const outgoing = {
    to: 'NBC',
    classification: 'secret' as const,
    subject: 'Loading',
    message: letter,
    origin: null,
    linked: null,
    date: '1961-02-21',
  };
  const [queued] = ok(await queueMessages(dep, depChannel, [outgoing])).queued;
  if (!queued) throw new Error('nothing queued');
  sent = queued.id;
  const row = await dep.store.db
    .selectFrom('messages')
    .select('envelope')
    .where('id', '=', sent)
    .executeTakeFirstOrThrow();
  const value: unknown = JSON.parse(row.envelope ?? 'null');
  const reception = await receiveEnvelope(nbc, nbcChannel, { value, relay_id: null });
  if (reception.kind !== 'received') throw new Error(`not received: ${JSON.stringify(reception)}`);
  received = reception.id;
  ok(await grantClearance(nbc, { user_id: 'nbc-registrar', level: 'top_secret', by: 'nbc-registrar' }));
  ok(await grantClearance(nbc, { user_id: 'nbc-clerk', level: 'confidential', by: 'nbc-registrar' }));
});

afterAll(async () => {
  for (const ingot of opened) await ingot.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('files readable by their owner only', () => {
  test('a new SQLite database, its write-ahead log and shared memory are 0600', () => {
    for (const db of ['gosbank.db', 'nbc.db']) {
      for (const suffix of ['', '-wal', '-shm']) {
        const path = join(dir, `${db}${suffix}`);
        expect(existsSync(path), path).toBe(true);
        expect(modeOf(path), path).toBe(PRIVATE);
      }
    }
  });

  test('the relay’s database is 0600 too', () => {
    const path = join(dir, 'relay.db');
    openRelayStore(path).close();
    expect(modeOf(path)).toBe(PRIVATE);
  });

  test('the private key file and the books key are 0600; the public file is for sharing', () => {
    for (const bank of ['GOSBANK', 'NBC']) {
      expect(modeOf(paths(bank).private_path)).toBe(PRIVATE);
      expect(modeOf(join(dir, `${bank}.books.key`))).toBe(PRIVATE);
      expect(modeOf(paths(bank).public_path)).toBe(0o644);
    }
  });
});

describe('private keys encrypted under a passphrase', () => {
  test('the file holds scrypt and AES-256-GCM parameters and a ciphertext, not the PKCS#8 keys', () => {
    const text = readFileSync(paths('NBC').private_path, 'utf8');
    const file = JSON.parse(text) as Record<string, unknown>;
    expect(file).toMatchObject({
      bank: 'NBC',
      format: 'ingot-private-keys-encrypted-1',
      kdf: { name: 'scrypt', N: 32_768, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    expect(file).not.toHaveProperty('signing');
    const clear = exportPrivateKeys(nbcChannel.keys);
    expect(text).not.toContain(clear.signing);
    expect(text).not.toContain(clear.encryption);
  });

  test('a wrong passphrase is refused, and so is none', async () => {
    const wrong = await loadChannel(nbc, 'not the passphrase of NBC');
    expect(wrong).toMatchObject({ ok: false, code: 'key_passphrase_wrong' });
    expect(await loadChannel(nbc, '')).toMatchObject({ ok: false, code: 'key_passphrase_missing' });
  });

  test('a key file altered to name another bank does not open', async () => {
    const path = paths('NBC').private_path;
    const original = readFileSync(path, 'utf8');
    const record = JSON.parse(original) as Record<string, unknown>;
    try {
      writeFileSync(path, JSON.stringify({ ...record, bank: 'GOSBANK' }));
      const swapped = await loadChannel(nbc, TEST_KEY_PASSPHRASE);
      expect(swapped).toMatchObject({ ok: false, code: 'key_file_unreadable' });
    } finally {
      writeFileSync(path, original);
    }
  });

  test('a short passphrase is refused when keys are generated', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const request = {
        bank_id: 'BNB',
        private_path: join(dir, 'BNB.keys.json'),
        public_path: join(dir, 'BNB.public.json'),
      };
      const short = await generateKeys(ingotOver(store), { ...request, passphrase: 'short' });
      expect(short).toMatchObject({ ok: false, code: 'invalid_input', field: 'passphrase' });
      expect(existsSync(request.private_path)).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe('letters encrypted at rest', () => {
  test("a secret letter's text is in neither bank's database file, in the register it is sealed", () => {
    const needle = Buffer.from('Vnukovo');
    for (const db of ['gosbank.db', 'nbc.db']) {
      expect(databaseBytes(join(dir, db)).includes(needle), db).toBe(false);
    }
    const raw = new BetterSqlite3(join(dir, 'nbc.db'), { readonly: true });
    try {
      const row = raw.prepare('select text from messages where id = ?').get(received) as { text: string };
      expect(row.text.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    } finally {
      raw.close();
    }
  });

  test('listing the register shows no text; a cleared user opens it, another is refused', async () => {
    const entries = await listRegister(nbc);
    expect(entries.map((entry) => Object.keys(entry).includes('text'))).toEqual([false]);
    const opened = ok(await openRegistered(nbc, { id: received, user_id: 'nbc-registrar', action: 'open' }));
    expect(opened.message.text).toContain(SECRET);
    const refused = await openRegistered(nbc, { id: received, user_id: 'nbc-clerk', action: 'open' });
    expect(refused).toMatchObject({ ok: false, code: 'not_cleared' });
    expect(JSON.stringify(refused)).not.toContain('Vnukovo');
  });

  test('a text moved to another row of the register does not open there', async () => {
    const raw = new BetterSqlite3(join(dir, 'gosbank.db'));
    try {
      const { text } = raw.prepare('select text from messages where id = ?').get(sent) as { text: string };
      raw.prepare('update messages set id = ? where id = ?').run(sent + 100n, sent);
      ok(await grantClearance(dep, { user_id: 'gosbank-registrar', level: 'top_secret', by: 'test' }));
      const moved = openRegistered(dep, { id: sent + 100n, user_id: 'gosbank-registrar', action: 'open' });
      await expect(moved).rejects.toThrow(/does not open under the books key/);
      expect(text.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    } finally {
      raw.prepare('update messages set id = ? where id = ?').run(sent, sent + 100n);
      raw.close();
    }
  });
});

describe('the books key encrypted under the passphrase', () => {
  test('its file holds scrypt and AES-256-GCM parameters and a ciphertext, never the key', async () => {
    const text = readFileSync(booksKeyOf('NBC'), 'utf8');
    expect(JSON.parse(text)).toMatchObject({
      bank: 'NBC',
      format: BOOKS_KEY_FORMAT,
      kdf: { name: 'scrypt', N: 32_768, r: 8, p: 1 },
      cipher: { name: 'aes-256-gcm' },
    });
    const key = ok(await unlockBooksKey(booksKeyOf('NBC'), 'NBC', TEST_KEY_PASSPHRASE)).key;
    expect(key).toHaveLength(32);
    const bytes = readFileSync(booksKeyOf('NBC'));
    for (const form of [key, Buffer.from(key.toString('base64')), Buffer.from(key.toString('hex'))]) {
      expect(bytes.includes(form)).toBe(false);
    }
  });

  test('whoever copies the database and the key files, but not the passphrase, opens no letter', () => {
    const stored = storedText(join(dir, 'nbc.db'), received);
    // The thief's best tries: the file's text, or any base64 in it, taken for the key.
    const file = readFileSync(booksKeyOf('NBC'), 'utf8');
    const tries = [file.trim(), ...(file.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? [])]
      .map((text) => decodeBase64(text))
      .filter((key): key is Buffer => key?.length === 32);
    const opened = tries.flatMap((key) => {
      try {
        return [openText(key, stored, `messages.text #${received}`)];
      } catch {
        return [];
      }
    });
    expect(opened).toEqual([]);
  });

  test('a wrong passphrase is refused, naming the books key; so is none, and another bank', async () => {
    const path = booksKeyOf('NBC');
    const wrong = await unlockBooksKey(path, 'NBC', 'not the passphrase of NBC');
    expect(wrong).toMatchObject({ ok: false, code: 'key_passphrase_wrong', field: 'passphrase' });
    expect(wrong.ok ? '' : wrong.message).toBe(`the passphrase does not open the books key ${path}`);
    const none = await unlockBooksKey(path, 'NBC', '');
    expect(none).toMatchObject({ ok: false, code: 'key_passphrase_missing' });
    const other = await unlockBooksKey(path, 'GOSBANK', TEST_KEY_PASSPHRASE);
    expect(other).toMatchObject({ ok: false, code: 'key_file_unreadable' });
  });

  test('a books key written in clear before is refused, naming `keys protect`, which encrypts it', async () => {
    mkdirSync(join(dir, 'before'));
    const path = join(dir, 'before', 'NBC.books.key');
    const key = randomBytes(32);
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: PRIVATE });
    const refused = await unlockBooksKey(path, 'NBC', TEST_KEY_PASSPHRASE);
    expect(refused).toMatchObject({ ok: false, code: 'key_file_not_encrypted' });
    expect(refused.ok ? '' : refused.message).toContain('ingot keys protect');
    const protect = await protectBooksKeyFile(path, 'NBC', TEST_KEY_PASSPHRASE);
    expect(protect).toEqual({ ok: true, encrypted_before: false });
    expect(modeOf(path)).toBe(PRIVATE);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(key.toString('base64'));
    const record = JSON.parse(text) as Record<string, unknown>;
    const opened = await unlockSecret(BOOKS_KEY_FORMAT, 'NBC', record, TEST_KEY_PASSPHRASE);
    expect(opened).toEqual({ ok: true, plain: key });
    const wrong = await unlockBooksKey(path, 'NBC', 'not the passphrase of NBC');
    expect(wrong).toMatchObject({ ok: false, code: 'key_passphrase_wrong' });
    const again = await protectBooksKeyFile(path, 'NBC', TEST_KEY_PASSPHRASE);
    expect(again).toEqual({ ok: true, encrypted_before: true });
  });
});

describe('files found readable by others', () => {
  test('a database and its log made 0644 by hand are 0600 once opened, each named in a warning', async () => {
    const path = join(dir, 'by-hand.db');
    // Another connection keeps the write-ahead log and shared memory there while the store opens.
    const other = new BetterSqlite3(path);
    try {
      other.pragma('journal_mode = WAL');
      other.prepare('select count(*) from sqlite_master').get();
      for (const suffix of ['', '-wal', '-shm']) chmodSync(`${path}${suffix}`, 0o644);
      const warnings: string[] = [];
      const store = await openSqliteStore(path, { warn: (line) => warnings.push(line) });
      try {
        for (const suffix of ['', '-wal', '-shm']) expect(modeOf(`${path}${suffix}`), suffix).toBe(PRIVATE);
      } finally {
        await store.close();
      }
      expect(warnings).toEqual(
        ['', '-wal', '-shm'].map(
          (suffix) => `${path}${suffix} could be read by others (mode 0644); made owner-only (0600)`,
        ),
      );
    } finally {
      other.close();
    }
  });

  test('so is the relay’s database', () => {
    const path = join(dir, 'relay-by-hand.db');
    openRelayStore(path).close();
    chmodSync(path, 0o604);
    const warnings: string[] = [];
    openRelayStore(path, (line) => warnings.push(line)).close();
    expect(modeOf(path)).toBe(PRIVATE);
    expect(warnings).toEqual([`${path} could be read by others (mode 0604); made owner-only (0600)`]);
  });

  test('a key file others may read is refused as ssh does, naming it and its mode, and left so', async () => {
    for (const path of [paths('NBC').private_path, booksKeyOf('NBC')]) {
      chmodSync(path, 0o640);
      try {
        const refused = await loadChannel(nbc, TEST_KEY_PASSPHRASE);
        expect(refused, path).toMatchObject({ ok: false, code: 'key_file_not_private', field: 'file' });
        expect(refused.ok ? '' : refused.message).toContain(`${path} may be read by others (mode 0640)`);
        expect(modeOf(path)).toBe(0o640);
      } finally {
        chmodSync(path, PRIVATE);
      }
    }
    const books = await unlockBooksKey(booksKeyOf('NBC'), 'NBC', TEST_KEY_PASSPHRASE);
    expect(books.ok).toBe(true);
  });
});

describe('key files written in clear before', () => {
  test('are refused, naming the command that encrypts them; protected, they open again', async () => {
    const path = join(dir, 'NBC-before.keys.json');
    const clear = { bank: 'NBC', ...exportPrivateKeys(nbcChannel.keys) };
    writeFileSync(path, JSON.stringify(clear), { mode: PRIVATE });
    const refused = await readPrivateKeyFile(path, 'NBC', TEST_KEY_PASSPHRASE);
    expect(refused).toMatchObject({ ok: false, code: 'key_file_not_encrypted' });
    expect(refused.ok ? '' : refused.message).toContain(`ingot keys protect --file ${path}`);
    expect(await protectPrivateKeyFile(path, TEST_KEY_PASSPHRASE)).toMatchObject({
      ok: true,
      bank: 'NBC',
      encrypted_before: false,
    });
    expect(modeOf(path)).toBe(PRIVATE);
    expect(readFileSync(path, 'utf8')).not.toContain(clear.signing);
    const read = ok(await readPrivateKeyFile(path, 'NBC', TEST_KEY_PASSPHRASE));
    expect(exportPrivateKeys(read.keys)).toEqual(exportPrivateKeys(nbcChannel.keys));
  });
});

describe('the command line', () => {
  test('a passphrase that does not open the keys exits 2; `keys protect` encrypts a file in clear', () => {
    const bank = workspace();
    try {
      expect(bank.ingot('keys', 'generate', '--bank', 'NBC', '--mode', 'client').code).toBe(0);
      expect(modeOf(bank.db)).toBe(PRIVATE);
      const wrongFile = join(bank.dir, 'wrong.txt');
      writeFileSync(wrongFile, 'the passphrase of another bank\n', { mode: PRIVATE });
      const letter = ['send', 'letter', '--to', 'GOSBANK', '--subject', 'S', '--text', 'T'];
      const wrong = bank.ingot(...letter, '--passphrase-file', wrongFile);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/key_passphrase_wrong/);
      const sync = bank.ingot('sync', '--relay', 'http://127.0.0.1:9', '--passphrase-file', wrongFile);
      expect(sync.stderr).toMatch(/key_passphrase_wrong/);
      const before = join(bank.dir, 'before.keys.json');
      writeFileSync(before, JSON.stringify({ bank: 'NBC', ...exportPrivateKeys(nbcChannel.keys) }), {
        mode: PRIVATE,
      });
      const protect = bank.ingot('keys', 'protect', '--file', before);
      expect(protect.code, protect.stderr).toBe(0);
      expect(protect.stdout).toMatch(/encrypted under the passphrase/);
      expect(bank.ingot('keys', 'protect').stdout).toMatch(/encrypted already/);
    } finally {
      bank.dispose();
    }
  });

  test('`messages open` refuses a wrong passphrase; `keys protect` encrypts a books key in clear', () => {
    const bank = workspace();
    try {
      expect(bank.ingot('keys', 'generate', '--bank', 'NBC', '--mode', 'client').code).toBe(0);
      const path = join(bank.dir, 'NBC.books.key');
      const wrongFile = join(bank.dir, 'wrong.txt');
      writeFileSync(wrongFile, 'the passphrase of another bank\n', { mode: PRIVATE });
      const open = bank.ingot(
        '--user',
        'nbc-registrar',
        'messages',
        'open',
        '1',
        '--passphrase-file',
        wrongFile,
      );
      expect(open.code).toBe(2);
      expect(open.stderr).toContain(`the passphrase does not open the books key ${path}`);
      const key = randomBytes(32);
      writeFileSync(path, `${key.toString('base64')}\n`, { mode: PRIVATE });
      const letter = bank.ingot('send', 'letter', '--to', 'GOSBANK', '--subject', 'S', '--text', 'T');
      expect(letter.code).not.toBe(0);
      expect(letter.stderr).toMatch(/key_file_not_encrypted.*books key in clear.*ingot keys protect/);
      const protect = bank.ingot('keys', 'protect');
      expect(protect.code, protect.stderr).toBe(0);
      expect(protect.stdout).toContain(`${path} encrypted under the passphrase`);
      const text = readFileSync(path, 'utf8');
      expect(text).not.toContain(key.toString('base64'));
      expect(JSON.parse(text)).toMatchObject({ bank: 'NBC', format: BOOKS_KEY_FORMAT });
      expect(modeOf(path)).toBe(PRIVATE);
    } finally {
      bank.dispose();
    }
  });
});
