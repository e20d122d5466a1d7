import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Database } from '../core/db/schema.js';
import { createTestDatabase } from '../../test/harness.js';
import { startWebhookDrainer } from './webhook-drain.js';

const database = await createTestDatabase();
const pool = new pg.Pool({ connectionString: database.url, max: 2 });
/** While true, every claim fails as it would with the database down: its connection is refused. */
let down = false;
const backgroundDb = new Kysely<Database>({
  dialect: new PostgresDialect({
    pool: {
      connect: async () => {
        if (down) throw new Error('connect ECONNREFUSED (the test took the database down)');
        return pool.connect();
      },
      end: () => pool.end(),
    },
  }),
});
afterAll(async () => {
  await backgroundDb.destroy();
  await database.drop();
});

describe('the webhook drainer’s log while its claims fail', () => {
  it('says so once, not at every poll, and once more when a claim works again', async () => {
    const warnings: string[] = [];
    const drainer = await startWebhookDrainer(
      {
        backgroundDb,
        databaseUrl: database.url,
        config: {
          webhookAllowPrivate: true,
          webhookTimeoutMs: 1_000,
          webhookMaxAttempts: 3,
          webhookBackoffMs: 1_000,
          webhookConcurrency: 4,
          webhookUrlConcurrency: 2,
        },
        log: { warn: (_obj, msg) => warnings.push(msg ?? '') },
        onFailed: async () => undefined,
      },
      { pollMs: 20 },
    );
    try {
      down = true;
      // ~25 polls, each one's claim refused
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(warnings).toEqual(['webhook deliveries could not be claimed (tried again at each poll)']);
      down = false;
      await expect.poll(() => warnings.length, { timeout: 5_000 }).toBe(2);
      expect(warnings[1]).toMatch(/^webhook deliveries are claimed again, after \d+ failed claims$/);
      expect(Number(/after (\d+)/.exec(warnings[1]!)![1])).toBeGreaterThan(5);
      // quiet while claims work
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(warnings).toHaveLength(2);
    } finally {
      await drainer.stop();
    }
  });
});
