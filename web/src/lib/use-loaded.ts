import { useEffect, useState } from 'preact/hooks';

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
