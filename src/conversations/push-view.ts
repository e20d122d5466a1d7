import { sql } from 'kysely';
import type { Db } from '../db/kysely.js';
import {
  accountUserFromJson, contactFromJson, contactInboxFromJson, inboxFromJson, teamFromJson, userFromJson,
} from '../db/json-rows.js';
import { prepared } from '../db/prepared.js';
import type { Conversation } from '../db/schema.js';
import { isRecent } from '../realtime/presence.js';
import type { ConversationView } from '../serializers/conversation.js';
import { UNREAD_OF_C } from './views.js';

type Json = Record<string, unknown>;
interface PushViewRow {
  contact: Json | null; contact_inbox: Json | null; inbox: Json | null; labels: string[]; unread: string;
  assignee: Json | null; assignee_membership: Json | null; assignee_online: boolean; team: Json | null;
}

/**
 * What one conversation's push data embeds, in one statement: every conversation event sends it
 * (to /cable and to webhooks), and loadConversationViews' batch of queries made a round trip per
 * table. Without its last message, which push data picks itself (the last chat message).
 */
export async function loadPushView(db: Db, conversation: Conversation): Promise<Omit<ConversationView, 'lastMessage'> | undefined> {
  const c = conversation;
  const { rows } = await prepared(sql<PushViewRow>`select to_jsonb(ct) as contact, to_jsonb(ci) as contact_inbox, to_jsonb(i) as inbox,
      array(select t.name from taggings t where t.taggable_type = 'Conversation' and t.taggable_id = c.id order by t.id) as labels,
      ${UNREAD_OF_C} as unread,
      to_jsonb(u) as assignee, to_jsonb(au) as assignee_membership, coalesce(${isRecent('p')}, false) as assignee_online,
      to_jsonb(tm) as team
    from conversations c
    join contacts ct on ct.id = ${c.contact_id}::bigint
    join inboxes i on i.id = ${c.inbox_id}::bigint
    left join contact_inboxes ci on ci.id = ${c.contact_inbox_id}::bigint
    left join users u on u.id = ${c.assignee_id}::bigint
    left join account_users au on au.account_id = c.account_id and au.user_id = ${c.assignee_id}::bigint
    -- keyed on the parameter, not on u.id: a generic plan otherwise scans every present user of the account
    left join presence p on p.account_id = c.account_id and p.kind = 'User' and p.entity_id = ${c.assignee_id}::bigint
    left join teams tm on tm.id = ${c.team_id}::bigint and tm.account_id = c.account_id
    where c.id = ${c.id}::bigint`).execute(db);
  const row = rows[0];
  if (!row?.contact || !row.inbox) return undefined;
  // Chatwoot's assignee is an agent of the account: a user without a membership here shows as none
  const assignee = row.assignee && row.assignee_membership
    ? { user: userFromJson(row.assignee), accountUser: accountUserFromJson(row.assignee_membership), online: row.assignee_online }
    : undefined;
  return {
    conversation,
    contact: contactFromJson(row.contact),
    contactInbox: row.contact_inbox ? contactInboxFromJson(row.contact_inbox) : null,
    inbox: inboxFromJson(row.inbox),
    ...(assignee ? { assignee } : {}),
    ...(row.team ? { team: { team: teamFromJson(row.team), isMember: false } } : {}),
    labels: row.labels,
    unreadCount: Number(row.unread),
  };
}
