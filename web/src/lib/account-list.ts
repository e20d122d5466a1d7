import { useEffect, useState } from 'preact/hooks';

const cache = new Map<string, Promise<unknown[]>>();

/**
 * A list the account's screens share (its inboxes, labels, attribute definitions), read once per
 * account and page load; a failed read is tried again next time.
 */
export function useAccountList<T>(name: string, accountId: number, load: (accountId: number) => Promise<T[]>): T[] {
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    let current = true;
    const key = `${name}:${accountId}`;
    let pending = cache.get(key) as Promise<T[]> | undefined;
    if (!pending) {
      pending = load(accountId);
      pending.catch(() => cache.delete(key));
      cache.set(key, pending);
    }
    pending.then((found) => current && setItems(found)).catch(() => undefined);
    return () => {
      current = false;
    };
  }, [name, accountId]);
  return items;
}

/** Forgets the lists read so far: the next screen reads them afresh (settings changed them). */
export const forgetAccountLists = () => cache.clear();
