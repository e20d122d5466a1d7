// The rows an entity is rendered from: read by the domains' queries, rendered by serializers/,
// and carried by events (a request's MessageLoaded) so listeners need not read them again. Types
// only, kept below the events, the domains and the serializers that all use them.
import type { Availability } from './enums.js';
import type {
  AccountUser,
  AgentBot,
  Attachment,
  Contact,
  ContactInbox,
  Conversation,
  Inbox,
  Message,
  Notification,
  AppliedSla,
  SlaEvent,
  SlaPolicy,
  Team,
  User,
} from './schema.js';

/** A member with their membership in the account being rendered. */
export interface AgentView {
  user: User;
  accountUser: AccountUser;
  /** Seen on a socket within the presence timeout. */
  online?: boolean;
}

export type SenderView =
  | { type: 'User'; user: User; availability?: Availability }
  | { type: 'Contact'; contact: Contact }
  | { type: 'AgentBot'; bot: AgentBot };

/** What a message is rendered with besides its row. */
export interface MessageView {
  message: Message;
  /** The conversation's display id and the live fields push_event_data embeds. */
  conversation: {
    display_id: number;
    assignee_id: number | null;
    unread_count: number;
    last_activity_at: Date | string;
    source_id: string | null;
  };
  sender?: SenderView;
  attachments: Attachment[];
  /** The client's echo_id, rendered only in responses to the request that carried it. */
  echoId?: string | null;
}

/** A conversation with everything its partial embeds, loaded in batches by conversations/views.ts. */
export interface ConversationView {
  conversation: Conversation;
  contact: Contact;
  contactInbox: ContactInbox | null;
  inbox: Inbox;
  assignee?: AgentView;
  team?: { team: Team; isMember: boolean };
  labels: string[];
  lastMessage?: MessageView;
  lastNonActivityMessage?: MessageView;
  unreadCount: number;
  /** The enterprise partial's SLA keys: present only when the account's `sla` feature is on. */
  sla?: ConversationSla;
}

/** A conversation's applied SLA (with its policy) and its missed-target events. */
export interface ConversationSla {
  applied: { applied: AppliedSla; policy: SlaPolicy } | null;
  events: SlaEvent[];
}

/** A conversation's push data without its last message (conversations/push-view.ts reads it in one statement). */
export type PushView = Omit<ConversationView, 'lastMessage'>;

/** What a notification is rendered with besides its row, loaded for a whole page at once. */
export interface NotificationView {
  notification: Notification;
  /** The notified user (push_event_data, availability in this account). */
  user: Extract<SenderView, { type: 'User' }>;
  /** The primary actor's push view (last chat message); absent once the conversation is gone. */
  conversation?: ConversationView;
  /** The message that caused it, the user or bot who did, or the SLA policy a miss was against. */
  secondary?:
    | { type: 'Message'; view: MessageView }
    | Exclude<SenderView, { type: 'Contact' }>
    | { type: 'SlaPolicy'; policy: SlaPolicy };
  /** The message push_message_body quotes (the first, the last incoming, or the secondary one). */
  quoted?: MessageView;
}
