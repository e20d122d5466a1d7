// The wire shapes the inbox reads: Chatwoot's jbuilder views as Confab serves them (src/serializers/).

export interface Account {
  id: number;
  name: string;
  role: string;
}

export interface Profile {
  id: number;
  name: string;
  email: string;
  account_id: number | null;
  pubsub_token: string;
  accounts: Account[];
}

export interface Sender {
  id: number;
  name: string;
  type?: string;
  thumbnail?: string;
}

export interface Attachment {
  id: number;
  file_type: string;
  data_url: string;
  thumb_url?: string;
  file_size?: number;
}

export interface Message {
  id: number;
  content: string | null;
  conversation_id: number;
  message_type: number;
  private: boolean;
  created_at: number;
  status?: string;
  echo_id?: string;
  content_type?: string;
  content_attributes?: { external_error?: string } & Record<string, unknown>;
  sender?: Sender;
  attachments?: Attachment[];
}

export interface Conversation {
  id: number;
  inbox_id: number;
  status: string;
  unread_count: number;
  timestamp?: number;
  last_activity_at?: number;
  labels?: string[];
  priority?: 'urgent' | 'high' | 'medium' | 'low' | null;
  muted?: boolean;
  /** ISO time, or null for "until the next reply". */
  snoozed_until?: string | null;
  created_at?: number;
  waiting_since?: number;
  meta: { sender: Sender; assignee?: Sender | null; team?: { id: number; name: string } | null };
  messages?: Message[];
  last_non_activity_message?: Message | null;
}

export interface ConversationCounts {
  mine_count: number;
  unassigned_count: number;
  all_count: number;
}

/** Message types on the wire. */
export const INCOMING = 0;
export const OUTGOING = 1;
export const ACTIVITY = 2;
