// The schema of both stores, from one place. Each migration runs once, in order, recorded in meta.
import { type ColumnDataType, type Kysely, sql } from 'kysely';
import { fault, StorageFault } from './faults.ts';
import type { Database } from './schema.ts';
import type { Dialect } from './store.ts';

type Migration = (db: Kysely<Database>, types: ColumnTypes, dialect: Dialect) => Promise<void>;

/** Where the dialects differ: SQLite's row id is `integer primary key`; PostgreSQL needs bigint. */
interface ColumnTypes {
  readonly id: ColumnDataType;
}

function columnTypes(dialect: Dialect): ColumnTypes {
  return { id: dialect === 'sqlite' ? 'integer' : 'bigint' };
}

const MIGRATIONS: readonly Migration[] = [
  createCore,
  createUsers,
  createCustody,
  createCorrespondence,
  indexBarsByOwner,
  createTreasury,
  indexBarsForPaging,
  createDeliveryReceipts,
  administerUsers,
  describeApprovals,
  recordCancellationReasons,
  keepRefiners,
  recordCountsAndReweighs,
  orderIdentifiersByCodePoint,
  keepWhatWasSigned,
];

/**
 * Books a later Ingot has migrated (or whose version is not a number): this one would read and
 * write tables it does not know. They are left untouched and refused, naming both versions.
 */
function newerBooks(version: string, known: number): StorageFault {
  const reason =
    `the books are at schema version ${version}, and this Ingot knows versions up to ${known}: ` +
    'open them with the Ingot that wrote them, or a later one';
  return new StorageFault(
    'INGOT_SCHEMA_NEWER',
    fault(reason),
    new Error(`meta.schema_version is ${version}`),
  );
}

/** The schema version this Ingot brings books up to: the number of its migrations. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings a store's schema up to date (or, for a test of a migration, to version `target`); a
 * no-op when it already is; refuses books of a later Ingot.
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: Dialect,
  target: number = SCHEMA_VERSION,
): Promise<void> {
  if (!(Number.isSafeInteger(target) && target >= 0 && target <= SCHEMA_VERSION)) {
    throw new Error(`migrate: no schema version ${target}; this Ingot knows 0 to ${SCHEMA_VERSION}`);
  }
  await db.schema
    .createTable('meta')
    .ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
  const row = await db
    .selectFrom('meta')
    .select('value')
    .where('key', '=', 'schema_version')
    .executeTakeFirst();
  const current = row ? Number.parseInt(row.value, 10) : 0;
  if (!(current <= MIGRATIONS.length)) throw newerBooks(row?.value ?? '', MIGRATIONS.length);
  for (let version = current; version < target; version += 1) {
    await db.transaction().execute(async (trx) => {
      await MIGRATIONS[version]?.(trx, columnTypes(dialect), dialect);
      await trx
        .insertInto('meta')
        .values({ key: 'schema_version', value: String(version + 1) })
        .onConflict((c) => c.column('key').doUpdateSet({ value: String(version + 1) }))
        .execute();
    });
  }
}

async function createCore(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('parties')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('balance', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('entries')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_date', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('trade_id', 'text')
    .addColumn('idempotency_key', 'text')
    .execute();
  await db.schema
    .createTable('postings')
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('entries.id'))
    .addColumn('line', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('postings_pk', ['entry_id', 'line'])
    .execute();
  await db.schema
    .createIndex('postings_by_account')
    .on('postings')
    .columns(['account_id', 'entry_id'])
    .execute();
  await createBarTables(db, types);
  await createTradeTables(db, types);
}

async function createBarTables(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('bars')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('refiner', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('year', 'bigint', (c) => c.notNull())
    .addColumn('gross_milli_oz', 'bigint', (c) => c.notNull())
    .addColumn('fineness', 'bigint', (c) => c.notNull())
    .addColumn('fine_milli_oz', 'bigint', (c) => c.notNull())
    .addColumn('vault', 'text')
    .addColumn('location', 'text')
    .addColumn('external_bar_id', 'text')
    .addColumn('owner_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('trade_id', 'text')
    .addColumn('received_entry_id', 'bigint', (c) => c.notNull().references('entries.id'))
    .addUniqueConstraint('bars_identity', ['refiner', 'serial'])
    .execute();
  await db.schema
    .createIndex('bars_for_allocation')
    .on('bars')
    .columns(['owner_account_id', 'state', 'fine_milli_oz', 'id'])
    .execute();
  // Allocation walks the free stock in custody order.
  await db.schema
    .createIndex('bars_in_custody_order')
    .on('bars')
    .columns(['owner_account_id', 'state', 'id'])
    .execute();
  await db.schema
    .createIndex('bars_by_trade')
    .on('bars')
    .column('trade_id')
    .where('trade_id', 'is not', null)
    .execute();
  await db.schema
    .createTable('bar_moves')
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('entries.id'))
    .addColumn('bar_id', 'bigint', (c) => c.notNull().references('bars.id'))
    .addColumn('source_account_id', 'text', (c) => c.notNull())
    .addColumn('target_account_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bar_moves_pk', ['bar_id', 'entry_id'])
    .execute();
  await db.schema.createIndex('bar_moves_by_entry').on('bar_moves').column('entry_id').execute();
  await db.schema
    .createTable('fixings')
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('minor_per_oz', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fixings_pk', ['date', 'currency'])
    .execute();
}

async function createTradeTables(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('offers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('seller_party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('buyer_party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('seller_stock_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('seller_cash_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('buyer_custody_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('buyer_cash_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('maximum_fine_milli_oz', 'bigint', (c) => c.notNull())
    .addColumn('minimum_fineness', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('pricing', 'text', (c) => c.notNull())
    .addColumn('custody_fee_per_year_per10k', 'bigint', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  let trades = db.schema
    .createTable('trades')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offer_id', 'text', (c) => c.notNull().references('offers.id'))
    .addColumn('accepted_on', 'text', (c) => c.notNull())
    .addColumn('asked_kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull());
  for (const column of [
    'asked_fine_milli_oz',
    'budget_minor',
    'allocated_fine_milli_oz',
    'allocation_target_milli_oz',
    'price_minor_per_oz',
    'consideration_minor',
    'settlement_entry_id',
  ] as const) {
    trades = trades.addColumn(column, 'bigint');
  }
  for (const column of [
    'budget_currency',
    'budget_stated',
    'reference_date',
    'settlement_date',
    'pending_reason',
  ] as const) {
    trades = trades.addColumn(column, 'text');
  }
  await trades.addColumn('created_at', 'text', (c) => c.notNull()).execute();
  await db.schema.createIndex('trades_by_offer').on('trades').column('offer_id').execute();
  await db.schema
    .createTable('trade_bars')
    .addColumn('trade_id', 'text', (c) => c.notNull().references('trades.id'))
    .addColumn('bar_id', 'bigint', (c) => c.notNull().references('bars.id'))
    .addPrimaryKeyConstraint('trade_bars_pk', ['trade_id', 'bar_id'])
    .execute();
  await db.schema
    .createTable('documents')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('trade_id', 'text')
    .addColumn('entry_id', 'bigint')
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('idempotency')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('command', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

async function createUsers(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('sessions_by_user').on('sessions').column('user_id').execute();
}

/** Instructions and their controls (issue 3), and the journal's hash chain. */
async function createCustody(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema.alterTable('entries').addColumn('hash', 'text').execute();
  await db.schema.alterTable('bars').addColumn('instruction_id', 'text').execute();
  await db.schema
    .createIndex('bars_by_instruction')
    .on('bars')
    .column('instruction_id')
    .where('instruction_id', 'is not', null)
    .execute();
  // An instruction's terms and state live in `body` (the domain's record as JSON); the columns
  // beside it are what the desk searches by.
  await db.schema
    .createTable('instructions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('client_party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('source_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('instruction_steps')
    .addColumn('instruction_id', 'text', (c) => c.notNull().references('instructions.id'))
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text', (c) => c.notNull())
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('maker_user_id', 'text', (c) => c.notNull())
    .addColumn('checker_user_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('entry_id', 'bigint')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('instruction_steps_pk', ['instruction_id', 'number'])
    .execute();
  await db.schema
    .createTable('instruction_bars')
    .addColumn('instruction_id', 'text', (c) => c.notNull().references('instructions.id'))
    .addColumn('bar_id', 'bigint', (c) => c.notNull().references('bars.id'))
    .addPrimaryKeyConstraint('instruction_bars_pk', ['instruction_id', 'bar_id'])
    .execute();
  await db.schema
    .createTable('remarks')
    .addColumn('instruction_id', 'text', (c) => c.notNull().references('instructions.id'))
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('author_user_id', 'text', (c) => c.notNull())
    .addColumn('author_party_id', 'text', (c) => c.notNull())
    .addColumn('written_on', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('remarks_pk', ['instruction_id', 'number'])
    .execute();
  for (const table of ['representatives', 'signing_rules', 'fee_schedules'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('made_by', 'text', (c) => c.notNull())
      .addColumn('checked_by', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  }
  // Four eyes: a step or a change of reference data waits here until a second user approves it.
  await db.schema
    .createTable('approvals')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('maker_user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checker_user_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .execute();
}

/** Correspondence (issue 4): keys, the register of messages in and out, clearances, the client's view. */
async function createCorrespondence(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  // The bank's own keys (is_self = 1, private half in key_file) and its correspondents' pinned keys,
  // with the last sequence number sent to and received from each.
  await db.schema
    .createTable('channel_banks')
    .addColumn('bank_id', 'text', (c) => c.primaryKey())
    .addColumn('is_self', 'bigint', (c) => c.notNull())
    .addColumn('mode', 'text')
    .addColumn('signing_public', 'text', (c) => c.notNull())
    .addColumn('encryption_public', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('key_file', 'text')
    .addColumn('signatory_user_id', 'text')
    .addColumn('pinned_at', 'text', (c) => c.notNull())
    .addColumn('pinned_by', 'text', (c) => c.notNull())
    .addColumn('sent_sequence', 'bigint', (c) => c.notNull())
    .addColumn('received_sequence', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('channel_events')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('bank_id', 'text', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('envelope_hash', 'text')
    .execute();
  await createRegister(db, types);
  await createClientView(db, types);
}

async function createRegister(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('messages')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('correspondent', 'text', (c) => c.notNull())
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('registered_at', 'text', (c) => c.notNull())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('copies', 'bigint', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message_type', 'text')
    .addColumn('reference', 'text')
    .addColumn('message_id', 'text')
    .addColumn('sequence', 'bigint')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('text', 'text')
    .addColumn('envelope', 'text')
    .addColumn('envelope_hash', 'text')
    .addColumn('relay_id', 'text')
    .addColumn('origin', 'text')
    .addColumn('applied', 'text')
    .addColumn('linked', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('delivered_at', 'text')
    .addUniqueConstraint('messages_number', ['correspondent', 'direction', 'number'])
    .execute();
  await db.schema.createIndex('messages_by_origin').unique().on('messages').column('origin').execute();
  await db.schema
    .createIndex('messages_by_envelope')
    .on('messages')
    .columns(['direction', 'envelope_hash'])
    .execute();
  await db.schema.createIndex('messages_by_state').on('messages').columns(['state', 'id']).execute();
  await db.schema
    .createTable('message_reads')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('message_id', 'bigint', (c) => c.notNull().references('messages.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('copy_number', 'bigint')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_reads_by_message').on('message_reads').column('message_id').execute();
  await db.schema
    .createTable('clearances')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('granted_by', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .execute();
  // Copies of documents printed from the books (bar lists, statements, confirmations), numbered.
  await db.schema
    .createTable('document_copies')
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('copy_number', 'bigint', (c) => c.notNull())
    .addColumn('classification', 'text', (c) => c.notNull())
    .addColumn('printed_by', 'text', (c) => c.notNull())
    .addColumn('printed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('document_copies_pk', ['document', 'copy_number'])
    .execute();
}

/** A client bank's own view of its gold, fed only by the messages it receives. */
async function createClientView(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('view_bars')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('refiner', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('year', 'bigint', (c) => c.notNull())
    .addColumn('gross_milli_oz', 'bigint')
    .addColumn('fineness', 'bigint')
    .addColumn('fine_milli_oz', 'bigint')
    .addColumn('credited_by', 'bigint', (c) => c.notNull().references('messages.id'))
    .addColumn('credited_on', 'text', (c) => c.notNull())
    .addColumn('debited_by', 'bigint', (c) => c.references('messages.id'))
    .addColumn('debited_on', 'text')
    .execute();
  await db.schema
    .createIndex('view_bars_held')
    .unique()
    .on('view_bars')
    .columns(['refiner', 'serial'])
    .where(sql.ref('debited_by'), 'is', null)
    .execute();
  await db.schema
    .createTable('view_entries')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('value_date', 'text', (c) => c.notNull())
    .addColumn('mark', 'text', (c) => c.notNull())
    .addColumn('fine_milli_oz', 'bigint', (c) => c.notNull())
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('message', 'bigint', (c) => c.notNull().references('messages.id'))
    .execute();
}

/**
 * An account's bars in id order, a page at a time (a bar list, a statement): without this index
 * SQLite found the owner's bars through (owner, state, id) and sorted them all for every page, so
 * listing a vault of n bars cost n²/page rows; with it each page is one range of the index.
 */
async function indexBarsByOwner(db: Kysely<Database>): Promise<void> {
  await db.schema.createIndex('bars_by_owner').on('bars').columns(['owner_account_id', 'id']).execute();
}

/**
 * A client bank's treasury (issue 5): its accounts at correspondent banks and the balances they
 * stated, transfers under way, sums earmarked for other needs. Each bank's ids are its own, so the
 * keys start with the party. Balances are never updated: a later record for a date corrects it.
 */
async function createTreasury(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('treasury_correspondents')
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('bank', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('account_reference', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('treasury_correspondents_pk', ['party_id', 'id'])
    .execute();
  await db.schema
    .createTable('treasury_balances')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('party_id', 'text', (c) => c.notNull())
    .addColumn('correspondent_id', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('minor', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('treasury_balances_by_party')
    .on('treasury_balances')
    .columns(['party_id', 'correspondent_id', 'as_of', 'id'])
    .execute();
  let transfers = db.schema
    .createTable('treasury_transfers')
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('minor', 'bigint', (c) => c.notNull());
  // The source is a correspondent or a payer outside, named; the target a correspondent or a cash
  // account at the depository.
  for (const column of ['source_kind', 'source', 'target_kind', 'target', 'sent_on', 'expected_on', 'state'])
    transfers = transfers.addColumn(column, 'text', (c) => c.notNull());
  for (const column of ['closed_on', 'closed_by', 'closed_at', 'note'])
    transfers = transfers.addColumn(column, 'text');
  await transfers
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('treasury_transfers_pk', ['party_id', 'id'])
    .execute();
  let earmarks = db.schema
    .createTable('treasury_earmarks')
    .addColumn('party_id', 'text', (c) => c.notNull().references('parties.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('minor', 'bigint', (c) => c.notNull());
  for (const column of ['purpose', 'from_date', 'until', 'recorded_by', 'recorded_at'])
    earmarks = earmarks.addColumn(column, 'text', (c) => c.notNull());
  for (const column of ['released_on', 'released_by', 'released_at'])
    earmarks = earmarks.addColumn(column, 'text');
  await earmarks.addPrimaryKeyConstraint('treasury_earmarks_pk', ['party_id', 'id']).execute();
}

/**
 * An owner's bar list searched by serial number or sorted by fineness, a page at a time: each page
 * one range of an index of (owner, key, id), where before each page read all the owner's bars (a
 * million-bar vault: 140–260 ms a page). Serials are ordered by code point on both stores ("C" on
 * PostgreSQL, whatever the database's collation), so a prefix is a range.
 */
async function indexBarsForPaging(
  db: Kysely<Database>,
  _types: ColumnTypes,
  dialect: Dialect,
): Promise<void> {
  await db.schema
    .createIndex('bars_by_owner_fineness')
    .on('bars')
    .columns(['owner_account_id', 'fineness', 'id'])
    .execute();
  const serial = dialect === 'postgres' ? sql`serial collate "C"` : sql`serial`;
  await sql`create index bars_by_owner_serial on bars (owner_account_id, ${serial}, id)`.execute(db);
}

/**
 * Delivery confirmed end to end (docs/CORRESPONDENCE.md): a message sent counts as delivered only
 * on its recipient's signed receipt, kept here with the message; a message received keeps the
 * receipt this bank signed for it until the relay has taken it (posted_at). Each sending of a
 * message to the relay is counted, so one not receipted in time is sent again.
 */
async function createDeliveryReceipts(db: Kysely<Database>): Promise<void> {
  await db.schema
    .createTable('message_receipts')
    .addColumn('message_id', 'bigint', (c) => c.primaryKey().references('messages.id'))
    .addColumn('receipt', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('posted_at', 'text')
    .execute();
  await db.schema
    .createIndex('message_receipts_to_post')
    .on('message_receipts')
    .columns(['posted_at', 'message_id'])
    .execute();
  await db.schema
    .createTable('message_sendings')
    .addColumn('message_id', 'bigint', (c) => c.primaryKey().references('messages.id'))
    .addColumn('attempts', 'bigint', (c) => c.notNull())
    .addColumn('last_sent_at', 'text', (c) => c.notNull())
    .execute();
  // An envelope is looked up in the log by its hash: rejected or held back before?
  await db.schema
    .createIndex('channel_events_by_envelope')
    .on('channel_events')
    .columns(['envelope_hash', 'event'])
    .execute();
}

/**
 * Users under four eyes (issue 11): a user registered by approval enrols once with a one-time
 * secret and sets its own password; a disabled user keeps its row (its history names it). Failed
 * sign-ins are kept in the books, so every process of one deployment counts them alike, and the
 * addresses a user signed in from, whose attempts the user's own lock does not stop.
 */
async function administerUsers(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  for (const column of ['enrolment_hash', 'enrolment_expires_at', 'enrolled_at', 'disabled_at']) {
    await db.schema.alterTable('users').addColumn(column, 'text').execute();
  }
  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('at_ms', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_by_user')
    .on('sign_in_attempts')
    .columns(['user_id', 'at_ms'])
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_by_address')
    .on('sign_in_attempts')
    .columns(['address', 'at_ms'])
    .execute();
  await db.schema
    .createTable('sign_in_known')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('last_at_ms', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_known_key', ['user_id', 'address'])
    .execute();
}

/**
 * Approvals that say what they do (issue "Controls that hold end to end"): each keeps the account
 * its checker is shown and that account's digest, and a step of an instruction awaiting approval
 * is keyed by instruction and event, unique, so the same step is never proposed twice.
 */
async function describeApprovals(db: Kysely<Database>): Promise<void> {
  for (const column of ['account', 'digest', 'pending_step']) {
    await db.schema.alterTable('approvals').addColumn(column, 'text').execute();
  }
  await db.schema
    .createIndex('approvals_pending_step')
    .unique()
    .on('approvals')
    .column('pending_step')
    .execute();
}

/** A trade cancelled says why (issue 12): the reason the desk asks for is kept with the trade. */
async function recordCancellationReasons(db: Kysely<Database>): Promise<void> {
  await db.schema.alterTable('trades').addColumn('cancellation_reason', 'text').execute();
}

/**
 * The Good Delivery List of refiners (issue 13), with its history: each import closes the rows of
 * the list it replaces (replaced_at) and writes the new list whole; the present list is the rows
 * not yet replaced.
 */
async function keepRefiners(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('refiners')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('brand_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('listed_on', 'text')
    .addColumn('removed_on', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('replaced_at', 'text')
    .execute();
  await db.schema
    .createIndex('refiners_present')
    .on('refiners')
    .columns(['replaced_at', 'brand_code'])
    .execute();
}

/**
 * Vault counts and reweighing as events of a bar's life (issue 13, docs/BAR-REPORTING.md). A count
 * recorded keeps its totals and only its findings, bar by bar (missing, unknown, differing): every
 * other bar in its scope was seen. A reweighing keeps the bar's weights before and after; number 1
 * of a bar holds the weights it was received with, which the hash chain digests.
 */
async function recordCountsAndReweighs(db: Kysely<Database>, types: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('vault_counts')
    .addColumn('id', types.id, (c) => c.primaryKey())
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('entries.id'))
    .addColumn('document_id', 'bigint', (c) => c.notNull())
    .addColumn('count_date', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('counted', 'bigint', (c) => c.notNull())
    .addColumn('booked', 'bigint', (c) => c.notNull())
    .addColumn('missing', 'bigint', (c) => c.notNull())
    .addColumn('unknown', 'bigint', (c) => c.notNull())
    .addColumn('differing', 'bigint', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('vault_count_findings')
    .addColumn('count_id', 'bigint', (c) => c.notNull().references('vault_counts.id'))
    .addColumn('refiner', 'text', (c) => c.notNull())
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('finding', 'text', (c) => c.notNull())
    .addColumn('bar_id', 'bigint')
    .addColumn('gross_milli_oz', 'bigint')
    .addColumn('fineness', 'bigint')
    .addColumn('fine_milli_oz', 'bigint')
    .addPrimaryKeyConstraint('vault_count_findings_pk', ['count_id', 'refiner', 'serial'])
    .execute();
  await db.schema
    .createIndex('vault_count_findings_by_bar')
    .on('vault_count_findings')
    .columns(['refiner', 'serial'])
    .execute();
  await db.schema
    .createTable('bar_reweighs')
    .addColumn('bar_id', 'bigint', (c) => c.notNull().references('bars.id'))
    .addColumn('number', 'bigint', (c) => c.notNull())
    .addColumn('entry_id', 'bigint', (c) => c.notNull().references('entries.id'))
    .addColumn('reweigh_date', 'text', (c) => c.notNull())
    .addColumn('gross_before', 'bigint', (c) => c.notNull())
    .addColumn('fineness_before', 'bigint', (c) => c.notNull())
    .addColumn('fine_before', 'bigint', (c) => c.notNull())
    .addColumn('gross_milli_oz', 'bigint', (c) => c.notNull())
    .addColumn('fineness', 'bigint', (c) => c.notNull())
    .addColumn('fine_milli_oz', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('made_by', 'text', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('bar_reweighs_pk', ['bar_id', 'number'])
    .execute();
}

/**
 * Refiners and serials are identifiers: PostgreSQL orders them by code point ("C"), as SQLite
 * does, whatever collation the database was created with. The streamed reconciliation merges the
 * books' bars in that order, and bar lists come out alike on both stores; an en-US database put
 * "a-1" beside "A-2" and the merge refused. Changing the collation rebuilds the indexes on them.
 */
async function orderIdentifiersByCodePoint(
  db: Kysely<Database>,
  _types: ColumnTypes,
  dialect: Dialect,
): Promise<void> {
  if (dialect !== 'postgres') return;
  for (const table of ['bars', 'view_bars', 'vault_count_findings']) {
    await sql`alter table ${sql.table(table)} alter column refiner type text collate "C", alter column serial type text collate "C"`.execute(
      db,
    );
  }
}

/**
 * Signatures that keep what they signed (issue 11, "Approve what you saw"): a step of an
 * instruction keeps the account it signed or put before the signatories, with its digest. And
 * users who had set a password before users were administered (`administerUsers` added
 * `enrolled_at` empty) are enrolled as of their creation: otherwise every bank of migrated books
 * counts as having no enrolled user, and the depository could register users for it again.
 */
async function keepWhatWasSigned(db: Kysely<Database>): Promise<void> {
  for (const column of ['digest', 'account']) {
    await db.schema.alterTable('instruction_steps').addColumn(column, 'text').execute();
  }
  await db
    .updateTable('users')
    .set((eb) => ({ enrolled_at: eb.ref('created_at') }))
    .where('enrolled_at', 'is', null)
    .where('password_hash', '<>', '')
    .execute();
}
