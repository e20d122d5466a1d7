import { useCallback, useEffect, useState } from 'preact/hooks';

/**
 * A value read from the server when the component mounts or `deps` change, `initial` until then
 * (and when the read fails); an answer that arrives after the deps changed is dropped.
 */
export function useLoaded<T>(initial: T, read: () => Promise<T>, deps: unknown[]) {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    let current = true;
    read()
      .then((found) => current && setValue(found))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, deps);
  return [value, setValue] as const;
}

/**
 * Data loaded from the API for a screen: the value (once loaded), the error, and a reload; as
 * `useLoaded`, an answer that arrives after the deps changed is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState('');
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let current = true;
    setError('');
    load()
      .then((value) => current && setData(value))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [...deps, version]);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, reload, setData };
}
