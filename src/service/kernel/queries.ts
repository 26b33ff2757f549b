// The kernel's statements: the counters of numbered references, kept in the meta table, and the
// idempotency records of requests that move value.
import { prepare } from '../../store/prepared.ts';
import type { IdempotencyRow } from '../../store/schema.ts';
import type { Tx } from '../../store/store.ts';

/** The stored value of a meta key (a sequence's last number), if any. */
export async function metaValue(tx: Tx, key: string): Promise<string | undefined> {
  const row = await tx.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

/** Stores the value of a meta key, replacing the one before. */
export async function storeMetaValue(tx: Tx, key: string, value: string): Promise<void> {
  await tx
    .insertInto('meta')
    .values({ key, value })
    .onConflict((c) => c.column('key').doUpdateSet({ value }))
    .execute();
}

const seenKey = prepare((db, $) => db.selectFrom('idempotency').selectAll().where('key', '=', $('key')));
const rememberKey = prepare((db, $) =>
  db.insertInto('idempotency').values({
    key: $('key'),
    command: $('command'),
    request_hash: $('request_hash'),
    response: $('response'),
    created_at: $('created_at'),
  }),
);

/** The idempotency record of a key, if the key was seen before. */
export async function idempotencyRecord(tx: Tx, key: string): Promise<IdempotencyRow | undefined> {
  const [seen] = (await seenKey.run(tx, { key })).rows;
  return seen;
}

/** Records a key with its command, request digest and answer. */
export async function recordIdempotency(tx: Tx, record: IdempotencyRow): Promise<void> {
  await rememberKey.run(tx, {
    key: record.key,
    command: record.command,
    request_hash: record.request_hash,
    response: record.response,
    created_at: record.created_at,
  });
}
