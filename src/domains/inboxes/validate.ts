import type { FieldError } from '../../core/errors.js';
import { isBlank } from '../../core/http/values.js';
import type { InboxBody, WorkingHoursInput } from './schemas.js';

function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A day of the schedule after an update: the stored row with the given keys replaced. */
export interface WorkingHourRow {
  day_of_week: number;
  closed_all_day: boolean;
  open_all_day: boolean;
  open_hour: number | null;
  open_minutes: number | null;
  close_hour: number | null;
  close_minutes: number | null;
}

/**
 * OutOfOffisable#update_working_hours updates only the keys sent (`slice`), and WorkingHour's
 * before_validation makes an open_all_day day 00:00–23:59.
 */
export function mergeWorkingHour(current: WorkingHourRow, input: WorkingHoursInput): WorkingHourRow {
  const pick = <K extends keyof WorkingHoursInput & keyof WorkingHourRow>(key: K) =>
    input[key] !== undefined ? input[key] : current[key];
  const row: WorkingHourRow = {
    day_of_week: current.day_of_week,
    closed_all_day: pick('closed_all_day') ?? false,
    open_all_day: pick('open_all_day') ?? false,
    open_hour: pick('open_hour'),
    open_minutes: pick('open_minutes'),
    close_hour: pick('close_hour'),
    close_minutes: pick('close_minutes'),
  };
  return row.open_all_day ? { ...row, open_hour: 0, open_minutes: 0, close_hour: 23, close_minutes: 59 } : row;
}

/** WorkingHour's validations of one merged day. */
export function workingHourErrors(row: WorkingHourRow): FieldError[] {
  if (row.open_all_day && row.closed_all_day) {
    return [{ attribute: 'working_hours', message: 'open_all_day and closed_all_day cannot be true at the same time' }];
  }
  if (row.closed_all_day) return [];
  if (row.open_hour == null || row.open_minutes == null || row.close_hour == null || row.close_minutes == null) {
    return [{ attribute: 'working_hours', message: "open and close times can't be blank" }];
  }
  // close_after_open: a day must close strictly after it opens (no overnight hours)
  if (row.close_hour * 60 + row.close_minutes <= row.open_hour * 60 + row.open_minutes) {
    return [{ attribute: 'working_hours', message: 'closing time cannot be before opening time' }];
  }
  return [];
}

/** Inbox and Channel::Api validations (inbox.rb, channel/api.rb, working_hour.rb). */
export function inboxErrors(body: InboxBody, creating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if ((creating || body.name !== undefined) && isBlank(body.name))
    errors.push({ attribute: 'name', message: "can't be blank" });
  if (body.timezone !== undefined && !isTimezone(body.timezone))
    errors.push({ attribute: 'timezone', message: 'is not included in the list' });
  const window = body.channel?.additional_attributes?.agent_reply_time_window;
  if (window !== undefined && window !== null && window !== '' && !(Number(window) > 0)) {
    errors.push({ attribute: 'agent_reply_time_window', message: 'must be greater than 0' });
  }
  return errors;
}
