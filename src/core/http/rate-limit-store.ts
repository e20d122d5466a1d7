import { loadRedis } from '../redis-class.js';
import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';
import { prepared } from '../db/prepared.js';

/** A key's count in its current window, and the whole seconds until that window closes. */
export interface WindowCount {
  hits: number;
  retryAfter: number;
}

/**
 * Where rate-limit windows are counted. A key's window opens with its first hit and lasts
 * `windowMs`; the next hit after it closes opens a new one. Every node of an installation shares
 * the store (Redis when REDIS_URL is set, else PostgreSQL), so N nodes enforce one limit.
 */
export interface RateLimitStore {
  /** Counts one hit on each key, all in one round trip; answers in the keys' order. */
  hit(keys: readonly string[], windowMs: number): Promise<WindowCount[]>;
  close(): Promise<void>;
}

/** One process's own counters: for an app built without a shared store (and the unit tests). */
export function memoryRateLimitStore(now: () => number = Date.now): RateLimitStore {
  const windows = new Map<string, { hits: number; endsAt: number }>();
  let swept = now();
  return {
    async hit(keys, windowMs) {
      const at = now();
      if (at - swept >= windowMs) {
        // memory holds at most the keys seen within about one window
        for (const [key, w] of windows) if (w.endsAt <= at) windows.delete(key);
        swept = at;
      }
      return keys.map((key) => {
        let w = windows.get(key);
        if (!w || w.endsAt <= at) {
          w = { hits: 0, endsAt: at + windowMs };
          windows.set(key, w);
        }
        w.hits += 1;
        return { hits: w.hits, retryAfter: Math.max(1, Math.ceil((w.endsAt - at) / 1000)) };
      });
    },
    close: async () => undefined,
  };
}

/**
 * Counters in PostgreSQL's rate_limit_counters (unlogged, migration 0120): one upsert per
 * request for all its keys, timed by the database's clock so the nodes' clocks need not agree.
 * Keys are upserted in sorted order, so two requests sharing keys never deadlock. Rows of closed
 * windows are deleted every window.
 */
export function postgresRateLimitStore(db: Db, pruneEveryMs = 60_000): RateLimitStore {
  const prune = setInterval(() => {
    void sql`delete from rate_limit_counters where expires_at < now()`.execute(db).catch(() => undefined);
  }, pruneEveryMs).unref();
  return {
    async hit(keys, windowMs) {
      const sorted = [...new Set(keys)].sort();
      // sent prepared: it runs before every Client API request, whose own statements are prepared
      // too, so the connection keeps one plan mode (core/db/prepared.ts)
      const { rows } = await prepared(
        sql<{ key: string; hits: number; retry_after: number }>`
        insert into rate_limit_counters as c (key, hits, expires_at)
        select k, 1, clock_timestamp() + make_interval(secs => ${windowMs}::float8 / 1000)
        from unnest(${sorted}::text[]) with ordinality as t(k, n) order by n
        on conflict (key) do update set
          hits = case when c.expires_at <= clock_timestamp() then 1 else c.hits + 1 end,
          expires_at = case when c.expires_at <= clock_timestamp() then excluded.expires_at else c.expires_at end
        returning key, hits, greatest(1, ceil(extract(epoch from c.expires_at - clock_timestamp())))::int as retry_after`,
      ).execute(db);
      const byKey = new Map(rows.map((r) => [r.key, { hits: r.hits, retryAfter: r.retry_after }]));
      return keys.map((key) => byKey.get(key)!);
    },
    async close() {
      clearInterval(prune);
    },
  };
}

/**
 * Counters in Redis under `prefix` (the installation's scope): per key, SET NX PX opens the
 * window with its expiry, INCR counts, PTTL tells when it closes — one MULTI for all the keys.
 * While Redis is unreachable, commands fail at once (no offline queue) rather than pile up.
 */
export async function redisRateLimitStore(url: string, prefix: string): Promise<RateLimitStore> {
  const Redis = await loadRedis();
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined); // reported by the failing hits; ioredis reconnects by itself
  await redis.connect();
  return {
    async hit(keys, windowMs) {
      const multi = redis.multi();
      for (const key of keys) {
        const name = `${prefix}${key}`;
        multi.set(name, 0, 'PX', windowMs, 'NX').incr(name).pttl(name);
      }
      const results = (await multi.exec()) ?? [];
      return keys.map((_, i) => {
        const [incrError, hits] = results[i * 3 + 1] ?? [];
        const [, ttl] = results[i * 3 + 2] ?? [];
        if (incrError) throw incrError;
        return { hits: Number(hits), retryAfter: Math.max(1, Math.ceil(Number(ttl) / 1000)) };
      });
    },
    async close() {
      redis.disconnect();
    },
  };
}
