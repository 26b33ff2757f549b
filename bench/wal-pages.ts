// Which b-trees a settlement writes: settles COUNT single-bar trades one at a time on fresh books
// with the WAL emptied first, then reads the WAL's frames and names each page's table or index
// (SQLite's dbstat). Each frame is a 4 KiB page written and synced; COUNT small enough (≤ 40)
// that no checkpoint empties the WAL meanwhile.
//   node --import tsx bench/wal-pages.ts [count]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ingotOver } from '../src/service/kernel/context.ts';
import { settleTrade } from '../src/service/trading/settle.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { DATES } from './fixture.ts';
import { setUp } from './settlement.ts';
import { expectOk, withTempDir } from './support.ts';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

const count = Number(process.argv[2] ?? '20');
await withTempDir('wal-pages', async (dir) => {
  const path = join(dir, 'books.db');
  const ids = await setUp(path, count);
  const raw = new BetterSqlite3(path);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = Number(raw.pragma('page_size', { simple: true }));
  raw.close();
  const ingot = ingotOver(await openSqliteStore(path), 'bench');
  for (const trade_id of ids) {
    expectOk(await settleTrade(ingot, { trade_id, date: DATES.settle, key: `s-${trade_id}` }), trade_id);
  }
  const wal = readFileSync(`${path}-wal`);
  await ingot.store.close();
  const names = new Map<number, string>();
  const reader = new BetterSqlite3(path, { readonly: true });
  for (const row of reader.prepare('select name, pageno from dbstat').all() as {
    name: string;
    pageno: number;
  }[]) {
    names.set(row.pageno, row.name);
  }
  reader.close();
  const perName = new Map<string, number>();
  let frames = 0;
  for (let at = WAL_HEADER; at + FRAME_HEADER + pageSize <= wal.length; at += FRAME_HEADER + pageSize) {
    const page = wal.readUInt32BE(at);
    const name = names.get(page) ?? `page ${page} (freelist or new)`;
    perName.set(name, (perName.get(name) ?? 0) + 1);
    frames += 1;
  }
  process.stdout.write(
    `${(frames / count).toFixed(2)} pages written per settlement (${count} settlements)\n`,
  );
  for (const [name, n] of [...perName].sort((a, b) => b[1] - a[1])) {
    process.stdout.write(`  ${(n / count).toFixed(2).padStart(6)}  ${name}\n`);
  }
});
