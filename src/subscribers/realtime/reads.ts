import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { prepared, ANY_PLAN } from '../../core/db/prepared.js';
import type { Conversation } from '../../core/db/schema.js';
import type { ConversationView } from '../../core/db/views.js';
import type { MessageAudience } from '../../core/events/bus.js';
import { agentTokensQuery, contactTokensQuery, type ConversationPlace } from '../../core/realtime/audience.js';
import { messageViewsById } from '../../domains/conversations/views.js';
import { pushView } from '../../domains/conversations/push-view.js';
import type { MessageView } from '../../serializers/message.js';

// What the realtime listener reads to render a broadcast: a conversation's row, its audiences on
// /cable, and — for the events published together — the reads they share.

// every event runs one of these: planned once per connection
const tokensOf = async (db: Db, query: ReturnType<typeof agentTokensQuery>) =>
  (await prepared(query).execute(db)).rows.map((r) => r.pubsub_token);
export const agentTokens = (db: Db, place: ConversationPlace) => tokensOf(db, agentTokensQuery(place));
export const contactTokens = (db: Db, place: ConversationPlace) => tokensOf(db, contactTokensQuery(place));

/** Both audiences of a conversation's message in one round trip. */
export async function messageAudience(db: Db, place: ConversationPlace): Promise<MessageAudience> {
  const { rows } = await prepared(sql<{ agents: string[]; contacts: string[] }>`select
    array(${agentTokensQuery(place)}) as agents, array(${contactTokensQuery(place)}) as contacts`).execute(db);
  return { agents: rows[0]?.agents ?? [], contacts: rows[0]?.contacts ?? [] };
}

/**
 * Reads shared by the events published together: they come after one commit, so each would read
 * the same rows — a rule's actions emit an activity message and a conversation.updated each, all
 * for one conversation, and its push data, audience and row are read once for the lot.
 */
export interface SharedReads {
  conversation(id: number): Promise<Conversation | undefined>;
  /** A message's view, read with the others the batch's events ask for in the same turn. */
  messageView(id: number): Promise<MessageView | undefined>;
  /** The push view with the conversation's own last chat message (no message of the event's). */
  pushView(conversation: Conversation): Promise<ConversationView>;
  audience(conversation: Conversation): Promise<MessageAudience>;
  agentTokens(conversation: Conversation): Promise<string[]>;
}

export const conversationRow = (db: Db, id: number) =>
  db.selectFrom('conversations').modifyFront(ANY_PLAN).selectAll().where('id', '=', id).executeTakeFirst();

export function sharedReads(db: Db): SharedReads {
  const cached = <T>(load: (id: number) => Promise<T>) => {
    const found = new Map<number, Promise<T>>();
    return (id: number) => {
      const known = found.get(id);
      if (known) return known;
      const value = load(id);
      found.set(id, value);
      return value;
    };
  };
  const conversation = cached((id) => conversationRow(db, id));
  // keyed by id: every conversation row of one batch is the row `conversation` read
  const byConversation = <T>(load: (c: Conversation) => Promise<T>) => {
    const rows = new Map<number, Conversation>();
    const read = cached((id) => load(rows.get(id)!));
    return (c: Conversation) => {
      rows.set(c.id, c);
      return read(c.id);
    };
  };
  // the ids asked for before the next microtask, read together
  let asked: Array<{ id: number; resolve: (view: MessageView | undefined) => void; reject: (e: unknown) => void }> = [];
  const readAsked = () => {
    const batch = asked;
    asked = [];
    messageViewsById(
      db,
      batch.map((a) => a.id),
    ).then(
      (views) => {
        for (const a of batch) a.resolve(views.get(a.id));
      },
      (error: unknown) => {
        for (const a of batch) a.reject(error);
      },
    );
  };
  const messageView = cached(
    (id) =>
      new Promise<MessageView | undefined>((resolve, reject) => {
        if (asked.length === 0) queueMicrotask(readAsked);
        asked.push({ id, resolve, reject });
      }),
  );
  return {
    conversation,
    messageView,
    pushView: byConversation((c) => pushView(db, c)),
    audience: byConversation((c) => messageAudience(db, c)),
    agentTokens: byConversation((c) => agentTokens(db, c)),
  };
}
