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
async function messageAudience(db: Db, place: ConversationPlace): Promise<MessageAudience> {
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
  /** `load` once per key (a row id) in this batch. */
  const cached = <K, T>(keyOf: (key: K) => number, load: (key: K) => Promise<T>) => {
    const found = new Map<number, Promise<T>>();
    return (key: K) => {
      const known = found.get(keyOf(key));
      if (known) return known;
      const value = load(key);
      found.set(keyOf(key), value);
      return value;
    };
  };
  const byId = (id: number) => id;
  // keyed by id: every conversation row of one batch is the row `conversation` read
  const byConversation = <T>(load: (c: Conversation) => Promise<T>) => cached((c: Conversation) => c.id, load);
  // the ids asked for before the next microtask, read together
  let asking: { ids: number[]; views: Promise<Map<number, MessageView>> } | undefined;
  const messageView = cached(byId, (id) => {
    if (!asking) {
      const ids: number[] = [];
      asking = {
        ids,
        views: Promise.resolve().then(() => {
          asking = undefined;
          return messageViewsById(db, ids);
        }),
      };
    }
    asking.ids.push(id);
    return asking.views.then((views) => views.get(id));
  });
  return {
    conversation: cached(byId, (id) => conversationRow(db, id)),
    messageView,
    pushView: byConversation((c) => pushView(db, c)),
    audience: byConversation((c) => messageAudience(db, c)),
    agentTokens: byConversation((c) => agentTokens(db, c)),
  };
}
