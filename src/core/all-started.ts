type Stoppers<T extends readonly unknown[]> = { [K in keyof T]: (started: Awaited<T[K]>) => unknown };

/**
 * Waits for parts started side by side. If any fails, the others that did start are stopped
 * before the first failure is thrown, so a failed start leaves no worker or socket behind.
 */
export async function allStarted<const T extends readonly Promise<unknown>[]>(
  starting: T,
  stoppers: Stoppers<T>,
): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as never;
  await Promise.allSettled(
    settled.map(async (s, i) => {
      if (s.status === 'fulfilled') await (stoppers[i] as (started: unknown) => unknown)(s.value);
    }),
  );
  throw failed.reason;
}
