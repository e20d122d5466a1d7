// reports/conversation_traffic across a DST change: the offset names a zone (as every report's
// does), so days start at that zone's midnights and hours are its wall-clock hours.
import { describe, expect, it } from 'vitest';
import { settableClock } from '../../core/clock.js';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

// Tuesday 2024-03-12, two days after US daylight time began (2024-03-10 02:00 PST = 10:00 UTC)
const clock = settableClock(new Date('2024-03-12T12:00:00Z'));
const server = useTestServer({}, { clock });

const traffic = (fx: AccountFixture, query: Record<string, string>, token = fx.admin.access_token) =>
  server().request('GET', `/api/v2/accounts/${fx.account.id}/reports/conversation_traffic`, { token, query });

async function createdAt(fx: AccountFixture, inboxId: number, iso: string) {
  const made = await buildConversation(fx, inboxId);
  await server()
    .db.updateTable('conversations')
    .set({ created_at: new Date(iso) })
    .where('account_id', '=', fx.account.id)
    .where('display_id', '=', made.id)
    .execute();
}

/** The CSV as { label, dates, cell(hour, date) }. */
function read(text: string) {
  const lines = text.trim().split('\n');
  const dates = lines[2]!.split(',').slice(1);
  const rows = lines.slice(3).map((line) => line.split(','));
  return {
    label: lines[0],
    dates,
    rows,
    cell: (hour: number, date: string) => Number(rows[hour]![dates.indexOf(date) + 1]),
    total: rows.reduce((sum, row) => sum + row.slice(1).reduce((s, n) => s + Number(n), 0), 0),
  };
}

describe('reports/conversation_traffic', () => {
  it("buckets by the named zone's local days and hours across a DST change, labelled as the zone", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    for (const iso of [
      '2024-03-09T07:30:00Z', // 23:30 PST on the 8th: before the window (a fixed -7 would put it at 00:30 on the 9th)
      '2024-03-09T08:30:00Z', // 00:30 PST on the 9th
      '2024-03-10T09:30:00Z', // 01:30 PST on the 10th
      '2024-03-10T10:30:00Z', // 03:30 PDT on the 10th: 02:00 never happened that day
      '2024-03-11T07:30:00Z', // 00:30 PDT on the 11th
      '2024-03-12T06:30:00Z', // 23:30 PDT on the 11th
      '2024-03-12T07:00:00Z', // today's local midnight: not in the report
    ]) {
      await createdAt(fx, inbox.id, iso);
    }
    // -7 now (March 12) is Pacific daylight time: TimezoneHelper's zone, whose standard offset is -8
    const res = await traffic(fx, { timezone_offset: '-7', days_before: '3' });
    expect(res.status, res.text).toBe(200);
    const csv = read(res.text);
    expect(csv.label).toBe('Timezone,(GMT-08:00) Pacific Time (US & Canada)');
    expect(csv.dates).toEqual(['2024-03-09', '2024-03-10', '2024-03-11']);
    expect(csv.rows.map((row) => row[0])).toEqual(
      Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`),
    );
    expect(csv.cell(0, '2024-03-09')).toBe(1);
    expect(csv.cell(1, '2024-03-10')).toBe(1);
    expect(csv.cell(2, '2024-03-10')).toBe(0);
    expect(csv.cell(3, '2024-03-10')).toBe(1);
    expect(csv.cell(0, '2024-03-11')).toBe(1);
    expect(csv.cell(23, '2024-03-11')).toBe(1);
    expect(csv.total).toBe(5);

    // in January the same clock reading of -8 is Pacific standard time; -7 is Arizona (no DST)
    clock.set('2024-01-20T12:00:00Z');
    try {
      const winter = await traffic(fx, { timezone_offset: '-7', days_before: '1' });
      expect(read(winter.text).label).toBe('Timezone,(GMT-07:00) Arizona');
    } finally {
      clock.set('2024-03-12T12:00:00Z');
    }
    // no offset is UTC, as for every report
    const utc = read((await traffic(fx, { days_before: '4' })).text);
    expect(utc.label).toBe('Timezone,(GMT+00:00) UTC');
    expect(utc.dates).toEqual(['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11']);
    expect(utc.cell(7, '2024-03-09')).toBe(1);
    expect(utc.total).toBe(5); // 06:30 UTC on the 12th is today there
  });

  it('refuses a bad offset with the wording of every report, and agents', async () => {
    const fx = await buildAccountFixture(server());
    const bad = await traffic(fx, { timezone_offset: 'Europe/Paris' });
    expect([bad.status, bad.body]).toEqual([
      422,
      { error: 'timezone_offset must be a number of hours between -12 and 14' },
    ]);
    expect((await traffic(fx, {}, fx.agent.access_token)).status).toBe(401);
  });
});
