import { describe, expect, it } from 'vitest';
import {
  addBusinessSeconds,
  businessSecondsBetween,
  hasOpenHours,
  isWithinWorkingHours,
  NEVER,
  type Schedule,
  type ScheduleDay,
} from './hours.js';

const closed = (day: number): ScheduleDay => ({
  day_of_week: day,
  closed_all_day: true,
  open_all_day: false,
  open_hour: null,
  open_minutes: null,
  close_hour: null,
  close_minutes: null,
});
const hours = (day: number, open: [number, number], close: [number, number]): ScheduleDay => ({
  day_of_week: day,
  closed_all_day: false,
  open_all_day: false,
  open_hour: open[0],
  open_minutes: open[1],
  close_hour: close[0],
  close_minutes: close[1],
});
const allDay = (day: number): ScheduleDay => ({
  day_of_week: day,
  closed_all_day: false,
  open_all_day: true,
  open_hour: 0,
  open_minutes: 0,
  close_hour: 23,
  close_minutes: 59,
});

/** Chatwoot's default schedule: weekdays 09:00–17:00, weekends closed. */
function weekdays(timezone: string): Schedule {
  return {
    timezone,
    days: [closed(0), ...[1, 2, 3, 4, 5].map((d) => hours(d, [9, 0], [17, 0])), closed(6)],
  };
}

const at = (iso: string) => new Date(iso);
const open = (schedule: Schedule, iso: string) => isWithinWorkingHours(schedule, at(iso));

describe('isWithinWorkingHours', () => {
  it('opens at the opening minute and closes at the closing minute, in the schedule’s zone', () => {
    const ny = weekdays('America/New_York');
    // Monday 2026-03-02, EST (UTC-5)
    expect(open(ny, '2026-03-02T13:59:59Z')).toBe(false);
    expect(open(ny, '2026-03-02T14:00:00Z')).toBe(true);
    expect(open(ny, '2026-03-02T21:59:59Z')).toBe(true);
    expect(open(ny, '2026-03-02T22:00:00Z')).toBe(false);
  });

  it('keeps wall-clock hours after the spring-forward change', () => {
    const ny = weekdays('America/New_York');
    // Monday 2026-03-09, EDT (UTC-4): 09:00 is 13:00Z now
    expect(open(ny, '2026-03-09T12:59:00Z')).toBe(false);
    expect(open(ny, '2026-03-09T13:00:00Z')).toBe(true);
    expect(open(ny, '2026-03-09T20:59:00Z')).toBe(true);
    expect(open(ny, '2026-03-09T21:00:00Z')).toBe(false);
  });

  it('keeps wall-clock hours after the fall-back change', () => {
    const berlin = weekdays('Europe/Berlin');
    // Friday 2026-10-23 CEST (UTC+2), Monday 2026-10-26 CET (UTC+1)
    expect(open(berlin, '2026-10-23T07:00:00Z')).toBe(true);
    expect(open(berlin, '2026-10-23T06:59:00Z')).toBe(false);
    expect(open(berlin, '2026-10-26T07:59:00Z')).toBe(false);
    expect(open(berlin, '2026-10-26T08:00:00Z')).toBe(true);
    expect(open(berlin, '2026-10-26T16:00:00Z')).toBe(false);
  });

  it('uses the local day of the week, across the date line', () => {
    const auckland = weekdays('Pacific/Auckland');
    // Sunday 2026-01-04 20:30Z is Monday 09:30 in Auckland (NZDT, UTC+13)
    expect(open(auckland, '2026-01-04T20:30:00Z')).toBe(true);
    // Friday 2026-01-09 20:30Z is Saturday 09:30 there: closed
    expect(open(auckland, '2026-01-09T20:30:00Z')).toBe(false);
    const kolkata = weekdays('Asia/Kolkata');
    // Monday 03:29Z is 08:59 IST (UTC+5:30)
    expect(open(kolkata, '2026-03-02T03:29:00Z')).toBe(false);
    expect(open(kolkata, '2026-03-02T03:30:00Z')).toBe(true);
  });

  it('is closed on closed days, on missing days and on rows that close before they open', () => {
    const schedule: Schedule = { timezone: 'UTC', days: [hours(1, [17, 0], [9, 0]), hours(2, [9, 0], [9, 0])] };
    expect(open(schedule, '2026-03-02T12:00:00Z')).toBe(false); // Monday: closes before it opens
    expect(open(schedule, '2026-03-03T09:00:00Z')).toBe(false); // Tuesday: closes as it opens
    expect(open(schedule, '2026-03-04T12:00:00Z')).toBe(false); // Wednesday: no row
    expect(open(weekdays('UTC'), '2026-03-07T12:00:00Z')).toBe(false); // Saturday: closed_all_day
    expect(hasOpenHours(schedule)).toBe(false);
  });

  it('is open the whole local day when open all day, including its last minute', () => {
    const schedule: Schedule = { timezone: 'America/Sao_Paulo', days: [allDay(0)] };
    // Sunday 2026-03-01 in São Paulo (UTC-3): 00:00 is 03:00Z, 23:59:30 is 02:59:30Z the next day
    expect(open(schedule, '2026-03-01T02:59:59Z')).toBe(false);
    expect(open(schedule, '2026-03-01T03:00:00Z')).toBe(true);
    expect(open(schedule, '2026-03-02T02:59:30Z')).toBe(true);
    expect(open(schedule, '2026-03-02T03:00:00Z')).toBe(false);
  });

  it('reads an unknown time zone as UTC', () => {
    expect(open(weekdays('Mars/Olympus_Mons'), '2026-03-02T09:00:00Z')).toBe(true);
    expect(open(weekdays('Mars/Olympus_Mons'), '2026-03-02T08:59:00Z')).toBe(false);
  });
});

describe('businessSecondsBetween', () => {
  it('counts only open time, over a weekend', () => {
    const ny = weekdays('America/New_York');
    // Friday 16:00 EST → Monday 10:00 EST: one hour each side
    expect(businessSecondsBetween(ny, at('2026-02-27T21:00:00Z'), at('2026-03-02T15:00:00Z'))).toBe(7200);
    // inside one day
    expect(businessSecondsBetween(ny, at('2026-03-02T15:00:00Z'), at('2026-03-02T15:30:15Z'))).toBe(1815);
    // wholly outside the hours, and backwards
    expect(businessSecondsBetween(ny, at('2026-03-07T12:00:00Z'), at('2026-03-08T12:00:00Z'))).toBe(0);
    expect(businessSecondsBetween(ny, at('2026-03-02T16:00:00Z'), at('2026-03-02T15:00:00Z'))).toBe(0);
  });

  it('counts a full week as 40 hours on either side of a DST change', () => {
    const ny = weekdays('America/New_York');
    expect(businessSecondsBetween(ny, at('2026-03-02T00:00:00Z'), at('2026-03-09T00:00:00Z'))).toBe(40 * 3600);
    // the week of the spring-forward change (2026-03-08)
    expect(businessSecondsBetween(ny, at('2026-03-06T00:00:00Z'), at('2026-03-13T00:00:00Z'))).toBe(40 * 3600);
    // the week of the fall-back change (2026-11-01)
    expect(businessSecondsBetween(ny, at('2026-10-30T00:00:00Z'), at('2026-11-06T00:00:00Z'))).toBe(40 * 3600);
  });

  it('makes a day that spans the change an hour shorter or longer', () => {
    const sundays = (day: ScheduleDay): Schedule => ({ timezone: 'America/New_York', days: [day] });
    const week = (schedule: Schedule, from: string) =>
      businessSecondsBetween(schedule, at(from), new Date(at(from).getTime() + 7 * 86_400_000));
    // open all day on the spring-forward Sunday: 23 hours; on the fall-back Sunday: 25 hours
    expect(week(sundays(allDay(0)), '2026-03-07T00:00:00Z')).toBe(23 * 3600);
    expect(week(sundays(allDay(0)), '2026-10-31T00:00:00Z')).toBe(25 * 3600);
    // 01:00–04:00 wall clock: 2 real hours in spring, 4 in autumn
    expect(week(sundays(hours(0, [1, 0], [4, 0])), '2026-03-07T00:00:00Z')).toBe(2 * 3600);
    expect(week(sundays(hours(0, [1, 0], [4, 0])), '2026-10-31T00:00:00Z')).toBe(4 * 3600);
    // opening at 02:30, a time skipped in spring, opens at the change (03:00 EDT, 07:00Z)
    const skipped = sundays(hours(0, [2, 30], [5, 0]));
    expect(week(skipped, '2026-03-07T00:00:00Z')).toBe(2 * 3600);
    expect(isWithinWorkingHours(skipped, at('2026-03-08T06:59:59Z'))).toBe(false);
    expect(isWithinWorkingHours(skipped, at('2026-03-08T07:00:00Z'))).toBe(true);
    // closing at 01:30, a time repeated in autumn, closes at its first occurrence (05:30Z)
    const repeated = sundays(hours(0, [0, 0], [1, 30]));
    expect(week(repeated, '2026-10-31T00:00:00Z')).toBe(1.5 * 3600);
    expect(isWithinWorkingHours(repeated, at('2026-11-01T05:29:00Z'))).toBe(true);
    expect(isWithinWorkingHours(repeated, at('2026-11-01T06:10:00Z'))).toBe(false);
  });
});

describe('addBusinessSeconds', () => {
  const ny = weekdays('America/New_York');

  it('adds open time from inside and outside the hours', () => {
    // Monday 10:00 EST + 1h
    expect(addBusinessSeconds(ny, at('2026-03-02T15:00:00Z'), 3600).toISOString()).toBe('2026-03-02T16:00:00.000Z');
    // Monday 07:00 EST (before opening) + 30 min → 09:30
    expect(addBusinessSeconds(ny, at('2026-03-02T12:00:00Z'), 1800).toISOString()).toBe('2026-03-02T14:30:00.000Z');
    // exactly the rest of the day ends at closing time
    expect(addBusinessSeconds(ny, at('2026-03-02T21:00:00Z'), 3600).toISOString()).toBe('2026-03-02T22:00:00.000Z');
  });

  it('carries over a weekend and a DST change in wall-clock hours', () => {
    // Friday 2026-03-06 16:00 EST + 2h → Monday 2026-03-09 10:00 EDT
    expect(addBusinessSeconds(ny, at('2026-03-06T21:00:00Z'), 7200).toISOString()).toBe('2026-03-09T14:00:00.000Z');
    // Friday 2026-10-30 16:00 EDT + 2h → Monday 2026-11-02 10:00 EST
    expect(addBusinessSeconds(ny, at('2026-10-30T20:00:00Z'), 7200).toISOString()).toBe('2026-11-02T15:00:00.000Z');
    // 41 hours from Monday 09:00 is the next Monday 10:00
    expect(addBusinessSeconds(ny, at('2026-03-02T14:00:00Z'), 41 * 3600).toISOString()).toBe(
      '2026-03-09T14:00:00.000Z',
    );
  });

  it('is the inverse of businessSecondsBetween', () => {
    const berlin = weekdays('Europe/Berlin');
    const from = at('2026-10-21T13:17:00Z');
    for (const seconds of [1, 59, 3600, 8 * 3600, 29_000, 100_000, 400_000]) {
      const due = addBusinessSeconds(berlin, from, seconds);
      expect(businessSecondsBetween(berlin, from, due)).toBe(seconds);
    }
  });

  it('answers the start for no time, and NEVER for a schedule that never opens', () => {
    const from = at('2026-03-07T12:00:00Z');
    expect(addBusinessSeconds(ny, from, 0).getTime()).toBe(from.getTime());
    const shut: Schedule = { timezone: 'UTC', days: [0, 1, 2, 3, 4, 5, 6].map(closed) };
    expect(addBusinessSeconds(shut, from, 60)).toBe(NEVER);
    expect(addBusinessSeconds({ timezone: 'UTC', days: [] }, from, 60)).toBe(NEVER);
  });
});
