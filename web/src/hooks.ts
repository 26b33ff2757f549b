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
