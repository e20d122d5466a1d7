// A snoozed conversation reopens on time even when the server that snoozed it is gone: the wake-up
// is a job in PostgreSQL, and the next server to start runs it.
import { describe, expect, it } from 'vitest';
import { createTestDatabase, startTestServer } from './harness.js';
import { buildAccountFixture, buildConversation, buildInbox } from './factories.js';

describe('snooze across a restart', () => {
  it('reopens after the snoozing server stopped, when another starts on the database', async () => {
    const database = await createTestDatabase();
    const serve = () => startTestServer({}, database);
    try {
      const first = await serve();
      const fx = await buildAccountFixture(first);
      const inbox = await buildInbox(fx);
      const c = await buildConversation(fx, inbox.id);
      const until = Math.floor(Date.now() / 1000) + 2;
      const snoozed = await fx.asAdmin('POST', `/conversations/${c.id}/toggle_status`, {
        status: 'snoozed',
        snoozed_until: until,
      });
      expect(snoozed.body.payload.current_status).toBe('snoozed');
      await first.close();
      await new Promise((r) => setTimeout(r, 2500));

      const second = await serve();
      try {
        let status = 'snoozed';
        for (let i = 0; i < 40 && status !== 'open'; i++) {
          await new Promise((r) => setTimeout(r, 250));
          const row = await second.db
            .selectFrom('conversations')
            .select('status')
            .where('id', '>', 0)
            .where('display_id', '=', c.id)
            .where('account_id', '=', fx.account.id)
            .executeTakeFirstOrThrow();
          status = ['open', 'resolved', 'pending', 'snoozed'][row.status]!;
        }
        expect(status).toBe('open');
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});
