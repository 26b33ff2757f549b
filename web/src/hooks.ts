// Small hooks the pages share: loading from the API, the route in the URL's hash.
import { useCallback, useEffect, useState } from 'react';
import { ApiRefusal } from './api.ts';

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly reload: () => void;
}

/** Loads `load()` now and whenever `deps` change; `reload` loads again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the load depends on
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (live) {
          setData(value);
          setError(undefined);
        }
      },
      (reason: unknown) => {
        if (live) setError(describeError(reason));
      },
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { data, error, reload };
}

/** A refusal or failure as one sentence for the desk. */
export function describeError(reason: unknown): string {
  if (reason instanceof ApiRefusal) return `${reason.message}${reason.field ? ` (${reason.field})` : ''}`;
  return reason instanceof Error ? reason.message : String(reason);
}

/** The part of the URL after "#/", and a way to go elsewhere. */
export function useHashRoute(fallback: string): [string, (route: string) => void] {
  const read = () => window.location.hash.replace(/^#\/?/, '') || fallback;
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  });
  return [route, (next) => window.location.assign(`#/${next}`)];
}

/** An ISO calendar date (YYYY-MM-DD) that exists. */
export function isIsoDate(text: string): boolean {
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)) return false;
  const parsed = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text;
}

/** Where a business date came from, said beside it. */
export type DateOrigin = 'kept' | 'bank' | 'fixing' | 'today' | 'chosen';

const DATE_KEY = 'ingot:business-date';

function stored(key: string): string | undefined {
  try {
    const value = window.localStorage.getItem(key);
    return value !== null && isIsoDate(value) ? value : undefined;
  } catch {
    return undefined; // storage refused (private mode): the date lasts as long as the page
  }
}

function store(keys: readonly string[], date: string): void {
  try {
    for (const key of keys) window.localStorage.setItem(key, date);
  } catch {
    // Storage refused: the date is still kept while the page lives.
  }
}

/**
 * The business date of a user: the one the user last chose (kept in the browser across reloads,
 * sign-outs and sign-ins), else the last one chosen at this browser by a user of the same bank (so
 * a second signatory works on the first one's date), else the latest fixing, else today. It
 * changes only when the user changes it; an empty or impossible date typed is not taken.
 */
export function useBusinessDate(
  user: { readonly id: string; readonly party_id: string },
  latestFixing: () => Promise<string | undefined>,
): { date: string; origin: DateOrigin; choose: (date: string) => void } {
  const userKey = `${DATE_KEY}:user:${user.id}`;
  const bankKey = `${DATE_KEY}:bank:${user.party_id}`;
  const [state, setState] = useState<{ date: string; origin: DateOrigin }>(() => {
    const kept = stored(userKey);
    if (kept) return { date: kept, origin: 'kept' };
    const bank = stored(bankKey);
    if (!bank) return { date: '', origin: 'fixing' };
    store([userKey], bank);
    return { date: bank, origin: 'bank' };
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: looked up once, when nothing was kept
  useEffect(() => {
    if (state.date !== '') return;
    let live = true;
    const today = new Date().toISOString().slice(0, 10);
    latestFixing().then(
      (fixing) => {
        if (!live) return;
        // Kept from now on: a fixing entered later does not move the date under the user.
        store([userKey], fixing ?? today);
        setState({ date: fixing ?? today, origin: fixing ? 'fixing' : 'today' });
      },
      () => {
        if (live) setState({ date: today, origin: 'today' });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  const choose = (date: string) => {
    if (!isIsoDate(date)) return;
    store([userKey, bankKey], date);
    setState({ date, origin: 'chosen' });
  };
  return { ...state, choose };
}

/**
 * Wide tables scroll sideways inside themselves (styles.css); one that does takes the keyboard's
 * focus, so it can be scrolled without a mouse, and loses it when it fits again. Watches the
 * element's subtree as pages render, and the window as it is resized.
 */
export function useScrollingTablesFocusable(root: { readonly current: HTMLElement | null }): void {
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    const mark = () => {
      for (const table of element.querySelectorAll<HTMLTableElement>('table.grid')) {
        const scrolls = table.scrollWidth > table.clientWidth + 1;
        if (scrolls && !table.hasAttribute('tabindex')) table.tabIndex = 0;
        if (!scrolls && table.getAttribute('tabindex') === '0') table.removeAttribute('tabindex');
      }
    };
    let pending = 0;
    const soon = () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(mark);
    };
    const observer = new MutationObserver(soon);
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    window.addEventListener('resize', soon);
    mark();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', soon);
      cancelAnimationFrame(pending);
    };
  }, [root]);
}
