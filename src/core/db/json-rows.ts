import type { Account, AccountUser, Contact, ContactInbox, Conversation, Inbox, Team, User } from './schema.js';

/**
 * Rows that came back through to_jsonb (a statement returning several tables' rows at once):
 * their timestamps back to Dates, as pg would have parsed them.
 */
const CONVERSATION_TIMES = [
  'snoozed_until', 'agent_last_seen_at', 'assignee_last_seen_at', 'contact_last_seen_at', 'first_reply_created_at', 'waiting_since',
  'last_activity_at', 'created_at', 'updated_at',
] as const;

const CONTACT_TIMES = ['last_activity_at', 'created_at', 'updated_at'] as const;
const ROW_TIMES = ['created_at', 'updated_at'] as const;

/** A row that came through to_jsonb: its timestamps back to Dates. */
function rowFromJson<T>(json: Record<string, unknown>, times: readonly string[]): T {
  const row = { ...json };
  for (const key of times) if (typeof row[key] === 'string') row[key] = new Date(row[key] as string);
  return row as T;
}

export const accountFromJson = (json: Record<string, unknown>) => rowFromJson<Account>(json, ROW_TIMES);
export const conversationFromJson = (json: Record<string, unknown>) => rowFromJson<Conversation>(json, CONVERSATION_TIMES);
export const contactFromJson = (json: Record<string, unknown>) => rowFromJson<Contact>(json, CONTACT_TIMES);
export const contactInboxFromJson = (json: Record<string, unknown>) => rowFromJson<ContactInbox>(json, ROW_TIMES);
export const inboxFromJson = (json: Record<string, unknown>) => rowFromJson<Inbox>(json, ROW_TIMES);
export const teamFromJson = (json: Record<string, unknown>) => rowFromJson<Team>(json, ROW_TIMES);
export const userFromJson = (json: Record<string, unknown>) => rowFromJson<User>(json, [...ROW_TIMES, 'confirmed_at']);
export const accountUserFromJson = (json: Record<string, unknown>) => rowFromJson<AccountUser>(json, [...ROW_TIMES, 'active_at']);
