import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  CHAIN_START,
  type ChainEntry,
  canonicalBar,
  canonicalEntry,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  type HashedEntry,
  hashEntry,
  ReceivedBarsDigest,
  verifyChain,
} from './chain.ts';

/** Entries 1..n, each hashed on the one before. */
function chain(entries: readonly ChainEntry[]): HashedEntry[] {
  let previous = GENESIS_HASH;
  return entries.map((entry) => {
    const hash = hashEntry(previous, entry);
    previous = hash;
    return { ...entry, hash };
  });
}

function entry(id: bigint): ChainEntry {
  return {
    id,
    kind: id === 1n ? 'settlement' : 'instruction.execute',
    value_date: `1961-02-${(10n + id).toString()}`,
    recorded_at: `2024-06-03T10:00:0${id}.000Z`,
    memo: `entry ${id}`,
    postings: [
      { line: 1n, account_id: 'NBC-GOLD', unit: 'XAU', amount: -399_440n * id },
      { line: 2n, account_id: 'EXTERNAL-XAU', unit: 'XAU', amount: 399_440n * id },
    ],
    bar_moves: [{ bar_id: id, source_account_id: 'NBC-GOLD', target_account_id: 'EXTERNAL-XAU' }],
  };
}

/** The item at an index; a missing one is a bug in the test. */
function at<T>(list: readonly T[], index: number): T {
  const item = list[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

const JOURNAL = chain([1n, 2n, 3n, 4n, 5n].map(entry));

function broken(entries: readonly HashedEntry[]): string {
  const check = verifyChain(entries);
  return check.ok ? `ok ${check.count}` : `${check.code} ${check.entry_id}`;
}

describe('canonical form', () => {
  test.each<[Parameters<typeof canonicalJson>[0], string]>([
    [{ b: 1n, a: 'x' }, '{"a":"x","b":"1"}'], // keys sorted, bigints as decimal strings
    [{ z: [3n, -4n], y: null, x: true }, '{"x":true,"y":null,"z":["3","-4"]}'],
    ['£12 10s 4½d "quoted"\n', '"£12 10s 4½d \\"quoted\\"\\n"'],
    [[{ b: { d: 'd', c: 'c' } }], '[{"b":{"c":"c","d":"d"}}]'],
    [12345678901234567890123n, '"12345678901234567890123"'], // no precision lost
  ])('%o → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  test('postings in line order and bar moves in bar order, whatever order the store returns them in', () => {
    const base = entry(2n);
    const shuffled: ChainEntry = {
      ...base,
      postings: [...base.postings].reverse(),
      bar_moves: [
        { bar_id: 9n, source_account_id: 'A', target_account_id: 'B' },
        { bar_id: 3n, source_account_id: 'A', target_account_id: 'B' },
      ],
    };
    const sorted = { ...shuffled, postings: base.postings, bar_moves: [...shuffled.bar_moves].reverse() };
    expect(canonicalEntry(shuffled)).toBe(canonicalEntry(sorted));
  });

  test('SHA-256 of the previous hash, a newline and the canonical text (checked against sha256sum)', () => {
    expect(entryHash(GENESIS_HASH, '{"a":"1"}')).toBe(
      '7aac6255b54757f4bad98a79537c151d2ddc8e3c66e3f6c4d691bdbfb050f283',
    );
    expect(() => entryHash('not a hash', '{}')).toThrow('not a SHA-256');
  });
});

describe('verifyChain names the first broken entry', () => {
  const edit = (id: bigint, change: Partial<HashedEntry>) =>
    JOURNAL.map((e) => (e.id === id ? { ...e, ...change } : e));
  const without = (id: bigint) => JOURNAL.filter((e) => e.id !== id);
  const first = at(JOURNAL, 0);
  const third = at(JOURNAL, 2);
  const amount = edit(3n, { postings: [{ ...at(third.postings, 0), amount: -1n }] });
  const recorded = edit(5n, { recorded_at: '2024-06-04T00:00:00.000Z' });
  const redirected = edit(4n, {
    bar_moves: [{ ...at(at(JOURNAL, 3).bar_moves, 0), target_account_id: 'NBP-GOLD' }],
  });
  const renumbered = edit(2n, { postings: third.postings.map((p) => ({ ...p, line: p.line + 10n })) });
  const rehashed = edit(2n, { memo: 'x', hash: hashEntry(first.hash, { ...entry(2n), memo: 'x' }) });
  const swapped = [first, third, at(JOURNAL, 1), ...JOURNAL.slice(3)];
  test.each<[string, HashedEntry[], string]>([
    ['untouched', JOURNAL, 'ok 5'],
    ['memo edited', edit(3n, { memo: 'entry 3, amended' }), 'journal_entry_altered 3'],
    ['amount edited', amount, 'journal_entry_altered 3'],
    ['value date edited', edit(1n, { value_date: '1961-01-31' }), 'journal_entry_altered 1'],
    ['recorded time edited', recorded, 'journal_entry_altered 5'],
    ['bar move redirected', redirected, 'journal_entry_altered 4'],
    ['a posting line renumbered', renumbered, 'journal_entry_altered 2'],
    ['hash overwritten', edit(2n, { hash: 'f'.repeat(64) }), 'journal_entry_altered 2'],
    ['content edited and its hash recomputed', rehashed, 'journal_entry_altered 3'],
    ['an entry removed', without(3n), 'journal_entry_missing 4'],
    ['the first entry removed', without(1n), 'journal_entry_missing 2'],
    ['two entries swapped', swapped, 'journal_entry_missing 3'],
    ['the last entry removed (undetectable without a recorded head)', without(5n), 'ok 4'],
  ])('%s → %s', (_label, entries, expected) => {
    expect(broken(entries)).toBe(expected);
  });

  test('with the head recorded elsewhere, a removed last entry is found too', () => {
    const last = at(JOURNAL, 4);
    const head = { previous_id: last.id, previous_hash: last.hash };
    const check = verifyChain(JOURNAL.slice(0, 4), CHAIN_START, head);
    expect(check.ok ? 'ok' : `${check.code} ${check.entry_id}`).toBe('journal_entry_missing 5');
    expect(verifyChain(JOURNAL, CHAIN_START, head).ok).toBe(true);
  });

  test('a long journal can be verified page by page', () => {
    const page = verifyChain(JOURNAL.slice(0, 2));
    expect(page.ok).toBe(true);
    if (!page.ok) return;
    expect(broken(JOURNAL.slice(2))).toBe('journal_entry_missing 3'); // a page alone does not start at 1
    const rest = verifyChain(JOURNAL.slice(2), page.last);
    expect(rest.ok && rest.count).toBe(3n);
  });

  test('property: any single change to any entry is found at that entry', () => {
    const fields = ['kind', 'value_date', 'recorded_at', 'memo', 'amount', 'account', 'unit', 'bar'] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(...fields),
        fc.string({ minLength: 1 }),
        (index, field, noise) => {
          const target = at(JOURNAL, index);
          const posting = at(target.postings, 0);
          const move = at(target.bar_moves, 0);
          const change: Record<(typeof fields)[number], Partial<HashedEntry>> = {
            kind: { kind: target.kind + noise },
            value_date: { value_date: target.value_date + noise },
            recorded_at: { recorded_at: target.recorded_at + noise },
            memo: { memo: target.memo + noise },
            amount: {
              postings: [
                { ...posting, amount: posting.amount + BigInt(noise.length) },
                ...target.postings.slice(1),
              ],
            },
            account: {
              postings: [{ ...posting, account_id: posting.account_id + noise }, ...target.postings.slice(1)],
            },
            unit: {
              postings: [
                { ...posting, unit: posting.unit === 'XAU' ? 'GBP' : 'XAU' },
                ...target.postings.slice(1),
              ],
            },
            bar: { bar_moves: [{ ...move, bar_id: move.bar_id + BigInt(noise.length) }] },
          };
          expect(broken(edit(target.id, change[field]))).toBe(`journal_entry_altered ${target.id}`);
        },
      ),
    );
  });
});

describe('bars received are chained by their digest', () => {
  const bar = (id: bigint, serial = `S${id}`) => ({
    id,
    refiner: 'MSK',
    serial,
    year: 1960n,
    gross_milli_oz: 400_000n,
    fineness: 9999n,
    fine_milli_oz: 399_960n,
    external_bar_id: null,
  });
  const digestOf = (bars: ReturnType<typeof bar>[]) => {
    const digest = new ReceivedBarsDigest();
    for (const item of bars) digest.add(item);
    return digest.finish();
  };
  const received = (bars: ReturnType<typeof bar>[]): ChainEntry => ({
    ...entry(1n),
    bar_moves: [],
    received_bars: digestOf(bars),
  });

  test('an entry without received bars keeps the canonical form it always had', () => {
    expect(canonicalEntry(entry(1n))).not.toContain('received_bars');
    expect(canonicalEntry(received([bar(1n)]))).toContain('"received_bars":{"count":"1"');
  });

  test('any change to a received bar changes the entry’s hash', () => {
    const bars = [bar(1n), bar(2n), bar(3n)];
    const hash = hashEntry(GENESIS_HASH, received(bars));
    expect(hashEntry(GENESIS_HASH, received([bar(1n), bar(2n), bar(3n)]))).toBe(hash);
    expect(hashEntry(GENESIS_HASH, received([bar(1n), bar(2n, 'S9'), bar(3n)]))).not.toBe(hash);
    expect(hashEntry(GENESIS_HASH, received([bar(1n), bar(3n)]))).not.toBe(hash);
    expect(hashEntry(GENESIS_HASH, received([bar(1n), { ...bar(2n), fineness: 9990n }, bar(3n)]))).not.toBe(
      hash,
    );
  });

  test('bars must come in id order', () => {
    expect(() => digestOf([bar(2n), bar(1n)])).toThrow('id order');
  });

  test('property: a bar written key by key is its canonical JSON, whatever its marks hold', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const integer = fc.bigInt({ min: 0n, max: 2n ** 62n });
    const anyBar = fc.record({
      id: integer,
      refiner: text,
      serial: text,
      year: integer,
      gross_milli_oz: integer,
      fineness: integer,
      fine_milli_oz: integer,
      external_bar_id: fc.option(text, { nil: null }),
    });
    fc.assert(fc.property(anyBar, (item) => canonicalBar(item) === canonicalJson(item)));
  });

  test('the digest is SHA-256 of every bar’s canonical line, in id order, however long the list', () => {
    const bars = Array.from({ length: 3000 }, (_, index) => bar(BigInt(index + 1), `S"${index}\\é`));
    const expected = createHash('sha256');
    for (const item of bars) expected.update(`${canonicalJson(item)}\n`, 'utf8');
    expect(digestOf(bars).digest).toBe(expected.digest('hex'));
  });
});
