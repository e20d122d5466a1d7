import type { Db } from '../../core/db/kysely.js';
import { isWithinWorkingHours, type Schedule } from './hours.js';

/** An inbox's weekly schedule, and whether its working hours are on (Inbox#working_hours_enabled). */
export interface InboxSchedule extends Schedule {
  enabled: boolean;
}

/** Loads an inbox's schedule in one statement; undefined for an inbox outside the account. */
export async function loadInboxSchedule(
  db: Db,
  accountId: number,
  inboxId: number,
): Promise<InboxSchedule | undefined> {
  const rows = await db
    .selectFrom('inboxes')
    .leftJoin('working_hours', (join) =>
      join
        .onRef('working_hours.inbox_id', '=', 'inboxes.id')
        .onRef('working_hours.account_id', '=', 'inboxes.account_id'),
    )
    .select([
      'inboxes.working_hours_enabled',
      'inboxes.timezone',
      'working_hours.day_of_week',
      'working_hours.closed_all_day',
      'working_hours.open_all_day',
      'working_hours.open_hour',
      'working_hours.open_minutes',
      'working_hours.close_hour',
      'working_hours.close_minutes',
    ])
    .where('inboxes.account_id', '=', accountId)
    .where('inboxes.id', '=', inboxId)
    .orderBy('working_hours.day_of_week')
    .execute();
  const first = rows[0];
  if (!first) return undefined;
  return {
    enabled: first.working_hours_enabled,
    timezone: first.timezone,
    days: rows
      .filter((row) => row.day_of_week !== null)
      .map((row) => ({
        day_of_week: row.day_of_week!,
        closed_all_day: row.closed_all_day ?? false,
        open_all_day: row.open_all_day ?? false,
        open_hour: row.open_hour,
        open_minutes: row.open_minutes,
        close_hour: row.close_hour,
        close_minutes: row.close_minutes,
      })),
  };
}

/** Whether the inbox is out of office at `at` (OutOfOffisable#out_of_office?). */
export function isOutOfOffice(schedule: InboxSchedule, at: Date): boolean {
  return schedule.enabled && !isWithinWorkingHours(schedule, at);
}
