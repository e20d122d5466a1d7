import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../../test/factories.js';

const server = useTestServer();
const day = (body: Record<string, unknown>) => ({
  closed_all_day: false,
  open_all_day: false,
  open_hour: null,
  open_minutes: null,
  close_hour: null,
  close_minutes: null,
  ...body,
});

describe('inbox working hours', () => {
  it('updates only the keys sent for each day, as OutOfOffisable#update_working_hours', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const res = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
      working_hours_enabled: true,
      out_of_office_message: 'Closed',
      working_hours: [
        { day_of_week: 1, close_hour: 18, close_minutes: 30 },
        { day_of_week: 6, closed_all_day: false, open_all_day: true },
        { day_of_week: 2, closed_all_day: true },
        { day_of_week: 1, open_minutes: 15 }, // a day sent twice: the second over the first
      ],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ working_hours_enabled: true, out_of_office_message: 'Closed' });
    expect(res.body.working_hours).toEqual([
      day({ day_of_week: 0, closed_all_day: true }),
      day({ day_of_week: 1, open_hour: 9, open_minutes: 15, close_hour: 18, close_minutes: 30 }),
      // closed all day keeps its stored hours, as Chatwoot's slice update does
      day({ day_of_week: 2, closed_all_day: true, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 }),
      day({ day_of_week: 3, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 }),
      day({ day_of_week: 4, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 }),
      day({ day_of_week: 5, open_hour: 9, open_minutes: 0, close_hour: 17, close_minutes: 0 }),
      // open all day is stored as 00:00–23:59
      day({ day_of_week: 6, open_all_day: true, open_hour: 0, open_minutes: 0, close_hour: 23, close_minutes: 59 }),
    ]);
    // the same list in GET and in the Client API's inbox
    expect((await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.working_hours).toEqual(res.body.working_hours);
    const publicInbox = await server().request('GET', `/public/api/v1/inboxes/${inbox.inbox_identifier}`);
    expect(publicInbox.body.working_hours).toEqual(res.body.working_hours);
  });

  it('refuses a day that would not close after it opens, or has no hours, and writes nothing', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const before = (await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body;
    for (const [hours, message] of [
      [
        [{ day_of_week: 1, close_hour: 9, close_minutes: 0 }],
        'Working hours closing time cannot be before opening time',
      ],
      [[{ day_of_week: 1, open_hour: 17 }], 'Working hours closing time cannot be before opening time'],
      [[{ day_of_week: 0, closed_all_day: false }], "Working hours open and close times can't be blank"],
      [
        [{ day_of_week: 3, open_all_day: true, closed_all_day: true }],
        'Working hours open_all_day and closed_all_day cannot be true at the same time',
      ],
    ] as const) {
      const res = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
        name: 'Renamed',
        working_hours: [{ day_of_week: 5, close_hour: 12 }, ...hours],
      });
      expect(res.status, JSON.stringify(hours)).toBe(422);
      expect(res.body).toEqual({ message, attributes: ['working_hours'] });
    }
    const after = (await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body;
    expect(after.name).toBe(before.name);
    expect(after.working_hours).toEqual(before.working_hours);
    const schema = await fx.asAdmin('PATCH', `/inboxes/${inbox.id}`, {
      working_hours: [{ day_of_week: 7, closed_all_day: true }],
    });
    expect(schema.status).toBe(422);
  });

  it('lets only administrators change the hours, and never another account’s inbox', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const body = { working_hours: [{ day_of_week: 1, close_hour: 12 }] };
    await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
    expect((await fx.asAgent('PATCH', `/inboxes/${inbox.id}`, body)).status).toBe(401);
    expect((await other.asAdmin('PATCH', `/inboxes/${inbox.id}`, body)).status).toBe(404);
    expect(
      (await server().request('PATCH', `/api/v1/accounts/${fx.account.id}/inboxes/${inbox.id}`, { body })).status,
    ).toBe(401);
    const monday = (await fx.asAdmin('GET', `/inboxes/${inbox.id}`)).body.working_hours[1];
    expect(monday.close_hour).toBe(17);
  });
});
