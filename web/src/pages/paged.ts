// A list read a page at a time from a cursor-paged route, with "more" to read on.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../hooks.ts';
import type { Page } from '../types.ts';

export interface Paged<T> {
  readonly items: T[];
  readonly more: boolean;
  readonly error: string | undefined;
  loadMore(): void;
  reload(): void;
}

/** Reads the first page now and whenever `deps` change; `loadMore` reads the next. */
export function usePaged<T>(
  load: (cursor: string | undefined) => Promise<Page<T>>,
  deps: readonly unknown[],
): Paged<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the list depends on
  useEffect(() => {
    let live = true;
    loader.current(undefined).then(
      (page) => {
        if (!live) return;
        setItems(page.items);
        setCursor(page.next_cursor);
        setError(undefined);
      },
      (reason: unknown) => live && setError(describeError(reason)),
    );
    return () => {
      live = false;
    };
  }, [...deps, round]);
  const loadMore = useCallback(() => {
    if (!cursor) return;
    loader.current(cursor).then(
      (page) => {
        setItems((before) => [...before, ...page.items]);
        setCursor(page.next_cursor);
      },
      (reason: unknown) => setError(describeError(reason)),
    );
  }, [cursor]);
  return { items, more: cursor !== null, error, loadMore, reload: () => setRound((r) => r + 1) };
}
