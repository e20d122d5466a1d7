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

function workingHoursErrors(rows: WorkingHoursInput[]): FieldError[] {
  for (const row of rows) {
    if (row.open_all_day && row.closed_all_day) {
      return [
        { attribute: 'working_hours', message: 'open_all_day and closed_all_day cannot be true at the same time' },
      ];
    }
    const open = (row.open_hour ?? 0) * 60 + (row.open_minutes ?? 0);
    const close = (row.close_hour ?? 0) * 60 + (row.close_minutes ?? 0);
    if (!row.closed_all_day && !row.open_all_day && row.close_hour != null && row.open_hour != null && close < open) {
      return [{ attribute: 'working_hours', message: 'closing time cannot be before opening time' }];
    }
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
  if (body.working_hours) errors.push(...workingHoursErrors(body.working_hours));
  return errors;
}
