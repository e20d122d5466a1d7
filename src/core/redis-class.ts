import type { Redis as RedisClient } from 'ioredis';

/**
 * ioredis's client class, loaded on first use: only nodes with REDIS_URL need it. ioredis is
 * CommonJS; a dynamic import's named `Redis` is there under Node but not in the server's bundle
 * (esbuild's interop), while the module object itself carries `Redis` in both.
 */
export async function loadRedis(): Promise<typeof RedisClient> {
  const ioredis = await import('ioredis');
  return ioredis.Redis ?? ioredis.default.Redis;
}
