// A bar list of any length: the server searches, filters and sorts; the list fetches blocks of rows
// as they scroll into view (by cursor after the block before, by offset for a jump) and draws only
// the rows on screen, so a million bars scroll as smoothly as a hundred.
import { type UIEvent, useEffect, useMemo, useRef, useState } from 'react';
import { parseFineness } from '../../../../src/domain/weight.ts';
import { call, query } from '../../api.ts';
import { BarDetail, type BarKey } from '../../components/BarDetail.tsx';
import { Download } from '../../components/Download.tsx';
import { showFineness, showOunces } from '../../format.ts';
import { describeError } from '../../hooks.ts';
import type { Bar, Page, Statement } from '../../types.ts';

const ROW_PX = 26;
const VIEW_PX = 468;
const BLOCK_ROWS = 200;
/** Browsers cap an element's height (Firefox near 17.9 million px): taller lists scroll scaled. */
const SCROLL_PX_MAX = 8_000_000;

/** A search waits for a pause in typing: each one asks the server to scan. */
const TYPING_PAUSE_MS = 300;

/** The value, once it has stayed the same for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

type Sort = 'custody' | 'serial' | 'refiner' | 'year' | 'fineness' | 'fine_weight';

interface Block {
  readonly rows: Bar[];
  readonly next: string | null;
}

interface Filters {
  search: string;
  refiner: string;
  minFineness: string;
  year: string;
}

const COLUMNS: readonly [string, Sort | null][] = [
  ['Serial', 'serial'],
  ['Refiner', 'refiner'],
  ['Year', 'year'],
  ['Gross oz', null],
  ['Fineness', 'fineness'],
  ['Fine oz', 'fine_weight'],
  ['Location', null],
  ['State', null],
];

function filterQuery(filters: Filters, sort: Sort, descending: boolean): Record<string, string | undefined> {
  const fineness = parseFineness(filters.minFineness);
  return {
    search: filters.search.trim() || undefined,
    refiner: filters.refiner.trim() || undefined,
    min_fineness: filters.minFineness && fineness.ok ? fineness.value.toString() : undefined,
    year: /^[0-9]{4}$/.test(filters.year) ? filters.year : undefined,
    sort,
    order: descending ? 'desc' : 'asc',
  };
}

function BarRow({ bar, top, onOpen }: { bar: Bar | undefined; top: number; onOpen: (bar: BarKey) => void }) {
  if (!bar) return <div className="bar-row placeholder" style={{ top }} />;
  return (
    <div className="bar-row" style={{ top }} data-serial={bar.serial}>
      <span>
        <button
          type="button"
          className="link"
          title={`The history of bar ${bar.refiner}/${bar.serial}`}
          onClick={() => onOpen({ refiner: bar.refiner, serial: bar.serial })}
        >
          {bar.serial}
        </button>
      </span>
      <span>{bar.refiner}</span>
      <span>{bar.year}</span>
      <span className="num">{showOunces(bar.gross_milli_oz)}</span>
      <span className="num">{showFineness(bar.fineness)}</span>
      <span className="num">{showOunces(bar.fine_milli_oz)}</span>
      <span>{bar.location ?? ''}</span>
      <span>{bar.state}</span>
    </div>
  );
}

/** The rows of the list in view, from the blocks loaded so far. */
function useBlocks(accountId: string, params: Record<string, string | undefined>) {
  const blocks = useRef(new Map<number, Block>());
  const pending = useRef(new Set<number>());
  const [total, setTotal] = useState<number>();
  const [error, setError] = useState<string>();
  const [, setVersion] = useState(0);
  const key = JSON.stringify(params);
  const generation = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the parameters
  useEffect(() => {
    generation.current += 1;
    blocks.current = new Map();
    pending.current = new Set();
    setTotal(undefined);
    setError(undefined);
    setVersion((v) => v + 1);
  }, [accountId, key]);
  const load = (index: number) => {
    if (blocks.current.has(index) || pending.current.has(index)) return;
    pending.current.add(index);
    const before = blocks.current.get(index - 1);
    const position = before?.next ? { cursor: before.next } : index > 0 ? { offset: index * BLOCK_ROWS } : {};
    const started = generation.current;
    call<Page<Bar>>(
      'GET',
      `/accounts/${accountId}/bars${query({ ...params, ...position, limit: BLOCK_ROWS })}`,
    )
      .then((page) => {
        if (started !== generation.current) return;
        blocks.current.set(index, { rows: page.items, next: page.next_cursor });
        if (page.total !== undefined) setTotal(page.total);
        setVersion((v) => v + 1);
      })
      .catch((reason: unknown) => setError(describeError(reason)))
      .finally(() => pending.current.delete(index));
  };
  const rowAt = (index: number) =>
    blocks.current.get(Math.floor(index / BLOCK_ROWS))?.rows[index % BLOCK_ROWS];
  return { total, error, load, rowAt };
}

/**
 * The bars an account held at the end of a past date, when it has moved since: read whole from the
 * statement of that day (the server replays the bars' history), in custody order.
 */
function useBarsAtDate(accountId: string, date: string, wanted: boolean) {
  const [bars, setBars] = useState<Bar[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    call<Statement>('GET', `/accounts/${accountId}/statement${query({ from: date, to: date })}`).then(
      (st) => {
        if (live) setBars(st.bars ?? []);
      },
      (reason: unknown) => {
        if (live) setError(describeError(reason));
      },
    );
    return () => {
      live = false;
    };
  }, [accountId, date, wanted]);
  return { total: bars?.length, error, load: (_index: number) => undefined, rowAt: (i: number) => bars?.[i] };
}

function Downloads({ accountId, date }: { accountId: string; date: string }) {
  return (
    <span className="bar-downloads">
      <Download label="Bar list CSV" path={`/accounts/${accountId}/bars.csv${query({ date })}`} />
      <Download label="Bar list PDF" path={`/accounts/${accountId}/bars.pdf${query({ date })}`} />
    </span>
  );
}

function FilterBar(props: {
  filters: Filters;
  onChange: (filters: Filters) => void;
  total: number | undefined;
  accountId: string;
  date: string;
}) {
  const { filters, onChange, total } = props;
  const field = (name: keyof Filters, label: string, placeholder: string) => (
    <input
      name={name}
      aria-label={label}
      placeholder={placeholder}
      value={filters[name]}
      onChange={(e) => onChange({ ...filters, [name]: e.target.value })}
    />
  );
  const filtered = Object.values(filters).some((value) => value.trim() !== '');
  return (
    <div className="filters">
      {field('search', 'Search by serial start or refiner', 'Search serial or refiner')}
      {field('refiner', 'Refiner', 'Refiner')}
      {field('minFineness', 'Minimum fineness in per mille', 'Min fineness ‰')}
      {field('year', 'Year', 'Year')}
      <span className="count" aria-live="polite">
        {total === undefined ? '…' : `${total.toLocaleString('en-GB')} bars`}
      </span>
      <Downloads accountId={props.accountId} date={props.date} />
      {filtered && <span className="note">The downloads hold the whole list, not the search.</span>}
    </div>
  );
}

function HeadRow({
  sort,
  descending,
  onSort,
}: {
  sort: Sort;
  descending: boolean;
  /** None for the bars of a past date: shown in custody order, their state the one they have now. */
  onSort: ((column: Sort) => void) | undefined;
}) {
  return (
    <div className="bar-head">
      {COLUMNS.map(([label, column]) =>
        column && onSort ? (
          <button
            type="button"
            key={label}
            onClick={() => onSort(column)}
            className={sort === column ? 'sorted' : ''}
          >
            {label}
            {sort === column ? (descending ? ' ↓' : ' ↑') : ''}
          </button>
        ) : (
          <span key={label}>{label === 'State' && !onSort ? 'State now' : label}</span>
        ),
      )}
    </div>
  );
}

/** The rows on screen for a scroll position, scaling positions when the list is very long. */
function windowOf(total: number | undefined, scrollTop: number) {
  const fullPx = (total ?? 0) * ROW_PX;
  const shownPx = Math.min(fullPx, SCROLL_PX_MAX);
  // With a scaled scrollbar, a scroll position stands for a proportionally deeper one.
  const ratio = shownPx > VIEW_PX ? (fullPx - VIEW_PX) / (shownPx - VIEW_PX) : 1;
  const offsetPx = scrollTop * ratio;
  const first = Math.floor(offsetPx / ROW_PX);
  const last = Math.min((total ?? 1) - 1, first + Math.ceil(VIEW_PX / ROW_PX) + 1);
  return { shownPx, offsetPx, first, last };
}

/**
 * The bar list of an account at the end of `date`. When the account has not moved since (`atDate`
 * false), its bars now are its bars then: the server searches, filters and sorts them. When it has,
 * the bars of that date are read from its statement and shown in custody order.
 */
export function BarList({ accountId, date, atDate }: { accountId: string; date: string; atDate: boolean }) {
  const [filters, setFilters] = useState<Filters>({ search: '', refiner: '', minFineness: '', year: '' });
  const [sort, setSort] = useState<Sort>('custody');
  const [descending, setDescending] = useState(false);
  const settled = useDebounced(filters, TYPING_PAUSE_MS);
  const params = useMemo(() => filterQuery(settled, sort, descending), [settled, sort, descending]);
  const current = useBlocks(accountId, params);
  const past = useBarsAtDate(accountId, date, atDate);
  const { total, error, load, rowAt } = atDate ? past : current;
  const [scrollTop, setScrollTop] = useState(0);
  const [opened, setOpened] = useState<BarKey>();
  const scroller = useRef<HTMLElement>(null);
  const { shownPx, offsetPx, first, last } = windowOf(total, scrollTop);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is stable for a given list
  useEffect(() => {
    if (total === undefined) {
      load(0);
      return;
    }
    for (let block = Math.floor(first / BLOCK_ROWS); block <= Math.floor(last / BLOCK_ROWS); block += 1)
      load(block);
  }, [first, last, total, params]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search starts at the top
  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
    setScrollTop(0);
  }, [params]);
  const onSort = (column: Sort) => {
    setDescending(column === sort ? !descending : false);
    setSort(column);
  };
  const rows = [];
  for (let index = first; index <= last && total; index += 1) {
    rows.push(
      <BarRow
        key={index}
        bar={rowAt(index)}
        top={scrollTop + index * ROW_PX - offsetPx}
        onOpen={setOpened}
      />,
    );
  }
  return (
    <section className="bar-list">
      {atDate ? (
        <div className="filters">
          <span className="note">
            The bars held at the end of {date}; the account has moved since, so they are shown in custody
            order, without search (set the business date to today’s to search the bars held now).
          </span>
          <span className="count" aria-live="polite">
            {total === undefined ? '…' : `${total.toLocaleString('en-GB')} bars`}
          </span>
          <Downloads accountId={accountId} date={date} />
        </div>
      ) : (
        <FilterBar filters={filters} onChange={setFilters} total={total} accountId={accountId} date={date} />
      )}
      {error && <p className="error">{error}</p>}
      <div className="bar-table">
        <div>
          <HeadRow sort={sort} descending={descending} onSort={atDate ? undefined : onSort} />
          <section
            className="bar-scroll"
            ref={scroller}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling list takes focus to scroll by keys
            tabIndex={0}
            aria-label={`Bars of ${accountId}`}
            style={{ height: VIEW_PX }}
            onScroll={(e: UIEvent<HTMLElement>) => setScrollTop(e.currentTarget.scrollTop)}
          >
            <div style={{ height: shownPx, position: 'relative' }}>{rows}</div>
          </section>
        </div>
      </div>
      {opened && (
        <BarDetail
          bar={opened}
          onClose={() => {
            setOpened(undefined);
            scroller.current?.focus();
          }}
        />
      )}
    </section>
  );
}
