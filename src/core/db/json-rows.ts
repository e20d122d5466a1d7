import type { SelectType } from 'kysely';
import type {
  Account,
  AccountUser,
  AppliedSla,
  Contact,
  ContactInbox,
  Conversation,
  Database,
  Inbox,
  Notification,
  SlaEvent,
  SlaPolicy,
  Team,
  User,
} from './schema.js';

/*
 * Rows that came back through to_jsonb (a statement returning several tables' rows at once):
 * their timestamps back to Dates, as pg would have parsed them.
 */

/** A table's columns that select as a Date (NULL or not): the ones to_jsonb turns into strings. */
type TimestampColumn<Table extends keyof Database> = {
  [K in keyof Database[Table] & string]-?: [NonNullable<SelectType<Database[Table][K]>>] extends [Date]
    ? [Date] extends [NonNullable<SelectType<Database[Table][K]>>]
      ? K
      : never
    : never;
}[keyof Database[Table] & string];

/**
 * Every timestamp column of a table, as a list at run time. A type has no run-time value, so the
 * columns are written out, but the parameter type checks them against schema.ts (which schema.test.ts
 * checks against the migrations): a timestamp column left out, or any other column named, fails
 * the typecheck.
 */
const timestamps = <Table extends keyof Database>(columns: Record<TimestampColumn<Table>, true>): readonly string[] =>
  Object.keys(columns);

const ACCOUNT_TIMES = timestamps<'accounts'>({ created_at: true, updated_at: true });
const CONVERSATION_TIMES = timestamps<'conversations'>({
  snoozed_until: true,
  agent_last_seen_at: true,
  assignee_last_seen_at: true,
  contact_last_seen_at: true,
  first_reply_created_at: true,
  waiting_since: true,
  last_activity_at: true,
  created_at: true,
  updated_at: true,
});
const CONTACT_TIMES = timestamps<'contacts'>({ last_activity_at: true, created_at: true, updated_at: true });
const CONTACT_INBOX_TIMES = timestamps<'contact_inboxes'>({ created_at: true, updated_at: true });
const INBOX_TIMES = timestamps<'inboxes'>({ created_at: true, updated_at: true });
const TEAM_TIMES = timestamps<'teams'>({ created_at: true, updated_at: true });
const USER_TIMES = timestamps<'users'>({ confirmed_at: true, created_at: true, updated_at: true });
const ACCOUNT_USER_TIMES = timestamps<'account_users'>({ active_at: true, created_at: true, updated_at: true });
const APPLIED_SLA_TIMES = timestamps<'applied_slas'>({ created_at: true, updated_at: true });
const SLA_EVENT_TIMES = timestamps<'sla_events'>({ created_at: true, updated_at: true });
const NOTIFICATION_TIMES = timestamps<'notifications'>({
  read_at: true,
  snoozed_until: true,
  last_activity_at: true,
  created_at: true,
  updated_at: true,
});
const SLA_POLICY_TIMES = timestamps<'sla_policies'>({ created_at: true, updated_at: true });

/** A row that came through to_jsonb: its timestamps back to Dates. */
function rowFromJson<T>(json: Record<string, unknown>, times: readonly string[]): T {
  const row = { ...json };
  for (const key of times) if (typeof row[key] === 'string') row[key] = new Date(row[key] as string);
  return row as T;
}

export const accountFromJson = (json: Record<string, unknown>) => rowFromJson<Account>(json, ACCOUNT_TIMES);
export const conversationFromJson = (json: Record<string, unknown>) =>
  rowFromJson<Conversation>(json, CONVERSATION_TIMES);
export const contactFromJson = (json: Record<string, unknown>) => rowFromJson<Contact>(json, CONTACT_TIMES);
export const contactInboxFromJson = (json: Record<string, unknown>) =>
  rowFromJson<ContactInbox>(json, CONTACT_INBOX_TIMES);
export const inboxFromJson = (json: Record<string, unknown>) => rowFromJson<Inbox>(json, INBOX_TIMES);
export const teamFromJson = (json: Record<string, unknown>) => rowFromJson<Team>(json, TEAM_TIMES);
export const userFromJson = (json: Record<string, unknown>) => rowFromJson<User>(json, USER_TIMES);
export const accountUserFromJson = (json: Record<string, unknown>) =>
  rowFromJson<AccountUser>(json, ACCOUNT_USER_TIMES);
export const appliedSlaFromJson = (json: Record<string, unknown>) => rowFromJson<AppliedSla>(json, APPLIED_SLA_TIMES);
export const slaEventFromJson = (json: Record<string, unknown>) => rowFromJson<SlaEvent>(json, SLA_EVENT_TIMES);
export const slaPolicyFromJson = (json: Record<string, unknown>) => rowFromJson<SlaPolicy>(json, SLA_POLICY_TIMES);
export const notificationFromJson = (json: Record<string, unknown>) =>
  rowFromJson<Notification>(json, NOTIFICATION_TIMES);
