/**
 * Business hours over an inbox's weekly schedule (Chatwoot's WorkingHour / OutOfOffisable), as
 * pure functions of a schedule and instants: is it open, how much open time lies between two
 * instants, and when a given amount of open time has passed (SLA due times).
 *
 * A day's hours are local wall-clock times in the schedule's IANA time zone. Each local date D
 * opens at the first instant whose local time reaches D's opening time and closes at the first
 * instant whose local time reaches its closing time, so a change of UTC offset (DST) moves the
 * instants, never the wall-clock hours: a 09:00–17:00 day is 8 hours on either side of a change,
 * and a day whose hours span the change is an hour shorter or longer. A time skipped by a
 * spring-forward change opens (or closes) at the change itself; a time repeated by a fall-back
 * change counts at its first occurrence.
 *
 * Like Chatwoot (WorkingHour#close_after_open), a day closes after it opens; a row whose closing
 * time is not after its opening time (never stored through the API) counts as closed. Chatwoot
 * stores open_all_day as 00:00–23:59; here it means the whole local day. Intervals are half-open:
 * at the closing minute the inbox is closed (Chatwoot's `between?` still says open during that
 * minute's first instant).
 */

/** One day of the week as the `working_hours` table stores it (0 = Sunday, as Ruby's wday). */
export interface ScheduleDay {
  day_of_week: number;
  closed_all_day: boolean;
  open_all_day: boolean;
  open_hour: number | null;
  open_minutes: number | null;
  close_hour: number | null;
  close_minutes: number | null;
}

/** A weekly schedule in an IANA time zone; a day without a row is closed. */
export interface Schedule {
  timezone: string;
  days: readonly ScheduleDay[];
}

/** What addBusinessSeconds answers for a schedule that is never open (PostgreSQL can store it). */
export const NEVER = new Date(8_640_000_000_000_000);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let format = formatters.get(timezone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      // an unknown zone (never accepted by the API) reads as UTC rather than failing a job
      format = formatter('UTC');
    }
    formatters.set(timezone, format);
  }
  return format;
}

/** The zone's UTC offset (ms) at instant t: local wall-clock time = t + offset. */
function offsetAt(timezone: string, t: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(t)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(t / 1000) * 1000;
}

/** Local wall-clock time of instant t, as milliseconds on a UTC-less timeline. */
function wallAt(timezone: string, t: number): number {
  return t + offsetAt(timezone, t);
}

/** The first instant whose local wall-clock time reaches `wall` (see the head comment). */
function instantOf(timezone: string, wall: number): number {
  const before = offsetAt(timezone, wall - DAY);
  const after = offsetAt(timezone, wall + DAY);
  const early = wall - before;
  const late = wall - after;
  const earlyValid = offsetAt(timezone, early) === before;
  const lateValid = offsetAt(timezone, late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // `wall` was skipped by a spring-forward change: find the change, at a second's precision
  let low = Math.min(early, late);
  let high = Math.max(early, late);
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(timezone, middle) === before) low = middle;
    else high = middle;
  }
  return high;
}

function minutesOf(hour: number | null, minutes: number | null): number | null {
  return hour == null ? null : hour * 60 + (minutes ?? 0);
}

/** The open interval [start, end) of local date `day` (days since 1970-01-01), if it opens. */
function intervalOf(schedule: Schedule, day: number): [number, number] | undefined {
  const dayOfWeek = new Date(day * DAY).getUTCDay();
  const row = schedule.days.find((d) => d.day_of_week === dayOfWeek);
  if (!row || row.closed_all_day) return undefined;
  let open = 0;
  let close = 24 * 60;
  if (!row.open_all_day) {
    const from = minutesOf(row.open_hour, row.open_minutes);
    const to = minutesOf(row.close_hour, row.close_minutes);
    if (from === null || to === null || to <= from) return undefined;
    open = from;
    close = to;
  }
  const start = instantOf(schedule.timezone, day * DAY + open * MINUTE);
  const end = instantOf(schedule.timezone, day * DAY + close * MINUTE);
  return end > start ? [start, end] : undefined;
}

function localDay(schedule: Schedule, t: number): number {
  return Math.floor(wallAt(schedule.timezone, t) / DAY);
}

/** True when any day of the week has open time. */
export function hasOpenHours(schedule: Schedule): boolean {
  return schedule.days.some((row) => {
    if (row.closed_all_day) return false;
    if (row.open_all_day) return true;
    const from = minutesOf(row.open_hour, row.open_minutes);
    const to = minutesOf(row.close_hour, row.close_minutes);
    return from !== null && to !== null && to > from;
  });
}

/** Whether the schedule is open at `at` (WorkingHour#open_at? for the local day of `at`). */
export function isWithinWorkingHours(schedule: Schedule, at: Date): boolean {
  const t = at.getTime();
  const day = localDay(schedule, t);
  // the day before too: a fall-back change at midnight repeats the previous local date
  for (const d of [day - 1, day]) {
    const interval = intervalOf(schedule, d);
    if (interval && interval[0] <= t && t < interval[1]) return true;
  }
  return false;
}

/** Open time between `from` and `to`, in seconds (0 when `to` is not after `from`). */
export function businessSecondsBetween(schedule: Schedule, from: Date, to: Date): number {
  const start = from.getTime();
  const end = to.getTime();
  if (!(end > start)) return 0;
  let total = 0;
  const last = localDay(schedule, end);
  for (let day = localDay(schedule, start) - 1; day <= last; day++) {
    const interval = intervalOf(schedule, day);
    if (!interval) continue;
    const overlap = Math.min(end, interval[1]) - Math.max(start, interval[0]);
    if (overlap > 0) total += overlap;
  }
  return total / 1000;
}

/**
 * The instant at which `seconds` of open time have passed since `from` (an SLA's due time).
 * Zero or fewer seconds answer `from`; a schedule that never opens answers NEVER.
 */
export function addBusinessSeconds(schedule: Schedule, from: Date, seconds: number): Date {
  const start = from.getTime();
  if (!(seconds > 0)) return new Date(start);
  if (!hasOpenHours(schedule)) return NEVER;
  let remaining = seconds * 1000;
  for (let day = localDay(schedule, start) - 1; ; day++) {
    const interval = intervalOf(schedule, day);
    if (!interval) continue;
    const begin = Math.max(start, interval[0]);
    const available = interval[1] - begin;
    if (available <= 0) continue;
    if (available >= remaining) return new Date(begin + remaining);
    remaining -= available;
  }
}
