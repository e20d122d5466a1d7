import type { Db } from '../../core/db/kysely.js';
import { ANY_PLAN } from '../../core/db/prepared.js';
import type { Conversation } from '../../core/db/schema.js';
import type { DomainEvent, MessageAudience, MessageLoaded, Performer } from '../../core/events/bus.js';
import { usersWithAvailability } from '../../domains/conversations/views.js';
import { pushView } from '../../domains/conversations/push-view.js';
import { conversationPushJson } from '../../serializers/conversation.js';
import { contactConversationCableJson } from '../../serializers/contact-cable.js';
import {
  contactPushJson,
  messagePushJson,
  senderJson,
  type MessageView,
  type SenderView,
} from '../../serializers/message.js';
import type { AttachmentUrls } from '../../serializers/attachment.js';
import type { NewCableEvent } from '../../core/realtime/store.js';
import { notificationBroadcasts } from './notification-events.js';
import { agentTokens, contactTokens, conversationRow, type SharedReads, sharedReads } from './reads.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';

/**
 * Chatwoot's ActionCableListener as a bus subscriber: which streams get which event with which
 * data. Agents (members of the conversation's inbox or team, and the account's administrators)
 * get the agent push data; the contact's sessions get their own shapes (contact-cable.ts), never
 * private notes or activity messages; typing events skip the typist. Every broadcast's data carries
 * account_id, and the performer when a user or bot caused it, as ActionCableListener#broadcast merges.
 */

/** Who performed an event, as push data renders them (a user with their availability in the account). */
async function performerData(
  db: Db,
  accountId: number,
  performer: Performer | undefined,
): Promise<SenderView | undefined> {
  if (!performer) return undefined;
  if (performer.type === 'User') return (await usersWithAvailability(db, accountId, [performer.id]))[0];
  if (performer.type === 'AgentBot') {
    const bot = await db
      .selectFrom('agent_bots')
      .modifyFront(ANY_PLAN)
      .selectAll()
      .where('id', '=', performer.id)
      .executeTakeFirst();
    return bot ? { type: 'AgentBot' as const, bot } : undefined;
  }
  if (performer.type !== 'Contact') return undefined; // a rule has no push data
  const contact = await db
    .selectFrom('contacts')
    .modifyFront(ANY_PLAN)
    .selectAll()
    .where('id', '=', performer.id)
    .executeTakeFirst();
  return contact ? { type: 'Contact' as const, contact } : undefined;
}

const sameActor = (sender: SenderView | undefined, performer: Performer | undefined) =>
  !!sender &&
  !!performer &&
  sender.type === performer.type &&
  (sender.type === 'User' ? sender.user.id : sender.type === 'Contact' ? sender.contact.id : sender.bot.id) ===
    performer.id;

/** What one domain event sends on /cable, if anything: the caller stores and delivers it. */
type Broadcasts = Promise<NewCableEvent[] | undefined>;

/** The realtime listener, made once per node: the broadcasts each domain event makes. */
export function realtimeListener(
  db: Db,
  urls: AttachmentUrls,
): (event: DomainEvent, published: readonly DomainEvent[]) => Broadcasts {
  /** Each published batch's shared reads, gone with the batch. */
  const sharedByBatch = new WeakMap<readonly DomainEvent[], SharedReads>();
  const sharedFor = (published: readonly DomainEvent[]) => {
    const known = sharedByBatch.get(published);
    if (known) return known;
    const shared = sharedReads(db);
    sharedByBatch.set(published, shared);
    return shared;
  };
  const conversationOf = (id: number) => conversationRow(db, id);

  async function loadMessage(
    shared: SharedReads,
    messageId: number,
  ): Promise<{ view: MessageView; conversation: Conversation } | undefined> {
    const view = await shared.messageView(messageId);
    const conversation = view && (await shared.conversation(view.message.conversation_id));
    if (!view || !conversation) return undefined;
    return { view: { ...view, echoId: view.message.echo_id }, conversation };
  }

  /**
   * The audience the write found, else the batch's (message.created and first.reply.created of one
   * reply are published together, and share it).
   */
  function audienceOf(
    shared: SharedReads,
    conversation: Conversation,
    loaded?: { audience?: MessageAudience },
  ): Promise<MessageAudience> {
    return loaded?.audience ? Promise.resolve(loaded.audience) : shared.audience(conversation);
  }

  /**
   * Message events; first.reply.created goes to the agents only (`contactToo` false). Both audiences
   * get Message#push_event_data with account_id, and the performer when a user or bot caused it
   * (ActionCableListener#broadcast merges both into every broadcast).
   */
  async function onMessage(
    shared: SharedReads,
    name: string,
    messageId: number,
    performer: Performer | undefined,
    loaded?: { view: MessageView; conversation: Conversation; audience?: MessageAudience },
    contactToo = true,
  ): Broadcasts {
    const found = loaded ?? (await loadMessage(shared, messageId));
    if (!found) return;
    const { view, conversation } = found;
    const toContact = contactToo && !view.message.private && view.message.message_type !== MESSAGE_TYPE.activity;
    const [{ agents, contacts }, actor] = await Promise.all([
      audienceOf(shared, conversation, loaded),
      sameActor(view.sender, performer) ? view.sender : performerData(db, conversation.account_id, performer),
    ]);
    const extra = {
      account_id: conversation.account_id,
      ...(actor && actor.type !== 'Contact' ? { performer: senderJson(actor) } : {}),
    };
    // contacts get the same Message#push_event_data as agents; the listener only decides whether they get it
    const data = { ...messagePushJson(view, urls), ...extra };
    return [{ streams: agents, event: name, data }, ...(toContact ? [{ streams: contacts, event: name, data }] : [])];
  }

  /**
   * Conversation events; `loaded`: what the request of the message that caused it loaded (the
   * conversation after it, the message — its last chat message unless a note — and the audience).
   */
  async function onConversation(
    shared: SharedReads,
    name: string,
    conversationId: number,
    toContact: boolean,
    performer?: Performer,
    loaded?: MessageLoaded,
  ): Broadcasts {
    const conversation = loaded?.conversation ?? (await shared.conversation(conversationId));
    if (!conversation) return;
    const isChat = loaded && !loaded.view.message.private && loaded.view.message.message_type !== MESSAGE_TYPE.activity;
    // push data comes from the database in Chatwoot: no echo_id
    const lastChat = isChat ? { ...loaded.view, echoId: null } : undefined;
    const [view, actor, audience] = await Promise.all([
      lastChat || loaded?.pushView
        ? pushView(db, conversation, lastChat, loaded?.pushView)
        : shared.pushView(conversation),
      loaded && sameActor(loaded.view.sender, performer)
        ? loaded.view.sender
        : performerData(db, conversation.account_id, performer),
      loaded
        ? audienceOf(shared, conversation, loaded)
        : toContact
          ? shared.audience(conversation)
          : shared.agentTokens(conversation).then((agents) => ({ agents, contacts: [] })),
    ]);
    const extra = {
      account_id: conversation.account_id,
      ...(actor && actor.type !== 'Contact' ? { performer: senderJson(actor) } : {}),
    };
    return [
      { streams: audience.agents, event: name, data: { ...conversationPushJson(view, urls), ...extra } },
      ...(toContact
        ? [{ streams: audience.contacts, event: name, data: { ...contactConversationCableJson(view), ...extra } }]
        : []),
    ];
  }

  async function onTyping(
    name: string,
    conversationId: number,
    performer: Performer | undefined,
    isPrivate: boolean,
  ): Broadcasts {
    const conversation = await conversationOf(conversationId);
    const actor = conversation && (await performerData(db, conversation.account_id, performer));
    if (!conversation || !actor) return;
    const view = await pushView(db, conversation);
    const own = actor.type === 'User' ? actor.user.pubsub_token : undefined;
    const agents = (await agentTokens(db, conversation)).filter((t) => t !== own);
    const userData = senderJson(actor);
    // Chatwoot's performer is Current.user: the typing agent (or bot), never a contact
    const extra = {
      account_id: conversation.account_id,
      ...(actor.type !== 'Contact' ? { performer: userData } : {}),
    };
    const toContact = !isPrivate && actor.type !== 'Contact';
    return [
      {
        streams: agents,
        event: name,
        data: { conversation: conversationPushJson(view, urls), user: userData, is_private: isPrivate, ...extra },
      },
      ...(toContact
        ? [
            {
              streams: await contactTokens(db, conversation),
              event: name,
              data: { conversation: contactConversationCableJson(view), user: userData, is_private: false, ...extra },
            },
          ]
        : []),
    ];
  }

  const notifications = notificationBroadcasts(db, urls);
  const performerJson = async (accountId: number, performer: Performer | undefined) => {
    const actor = await performerData(db, accountId, performer);
    return actor && actor.type !== 'Contact' ? senderJson(actor) : undefined;
  };

  /** conversation.mentioned: the conversation's push data to the mentioned user alone. */
  async function onMentioned(event: { accountId: number; conversationId: number; userId: number }): Broadcasts {
    const [conversation, user] = await Promise.all([
      conversationOf(event.conversationId),
      db.selectFrom('users').select('pubsub_token').where('id', '=', event.userId).executeTakeFirst(),
    ]);
    if (!conversation || !user || conversation.account_id !== event.accountId) return;
    const view = await pushView(db, conversation);
    return [
      {
        streams: [user.pubsub_token],
        event: 'conversation.mentioned',
        data: { ...conversationPushJson(view, urls), account_id: conversation.account_id },
      },
    ];
  }

  /** account.cache_invalidated: every member of the account, agents and administrators alike. */
  async function onCacheInvalidated(event: {
    accountId: number;
    cacheKeys: Record<string, string>;
    performer?: Performer;
  }): Broadcasts {
    const members = await db
      .selectFrom('users')
      .innerJoin('account_users', 'account_users.user_id', 'users.id')
      .select('users.pubsub_token')
      .where('account_users.account_id', '=', event.accountId)
      .execute();
    const performer = await performerJson(event.accountId, event.performer);
    return [
      {
        streams: members.map((m) => m.pubsub_token),
        event: 'account.cache_invalidated',
        data: { cache_keys: event.cacheKeys, account_id: event.accountId, ...(performer ? { performer } : {}) },
      },
    ];
  }

  return async (event: DomainEvent, published: readonly DomainEvent[]): Broadcasts => {
    const shared = sharedFor(published);
    switch (event.name) {
      case 'first.reply.created':
        return onMessage(
          shared,
          event.name,
          event.payload.messageId,
          event.payload.performer,
          event.payload.loaded,
          false,
        );
      case 'conversation.mentioned':
        return onMentioned(event.payload);
      case 'notification.created':
      case 'notification.updated':
        return await notifications.changed(
          event.name,
          event.payload,
          await performerJson(event.payload.accountId, event.payload.performer),
        );
      case 'notification.deleted':
        return await notifications.deleted(
          event.payload,
          await performerJson(event.payload.accountId, event.payload.performer),
        );
      case 'account.cache_invalidated':
        return onCacheInvalidated(event.payload);
      case 'message.created':
      case 'message.updated':
        return onMessage(shared, event.name, event.payload.messageId, event.payload.performer, event.payload.loaded);
      case 'conversation.updated':
        return onConversation(
          shared,
          event.name,
          event.payload.conversationId,
          true,
          event.payload.performer,
          event.payload.loaded,
        );
      case 'conversation.created':
      case 'conversation.status_changed':
        return onConversation(shared, event.name, event.payload.conversationId, true, event.payload.performer);
      case 'conversation.read':
      case 'assignee.changed':
      case 'team.changed':
      case 'conversation.contact_changed':
        return onConversation(shared, event.name, event.payload.conversationId, false, event.payload.performer);
      case 'contact.created':
      case 'contact.updated':
      case 'contact.merged': {
        const loaded = event.name === 'contact.updated' ? event.payload.loaded : undefined;
        const contact =
          loaded ??
          (await db
            .selectFrom('contacts')
            .modifyFront(ANY_PLAN)
            .selectAll()
            .where('id', '=', event.payload.contactId)
            .executeTakeFirst());
        if (!contact) return undefined;
        return [
          {
            streams: [`account_${event.payload.accountId}`],
            event: event.name,
            data: { ...contactPushJson(contact), account_id: event.payload.accountId },
          },
        ];
      }
      case 'contact.deleted':
        return [
          {
            streams: [`account_${event.payload.accountId}`],
            event: event.name,
            data: { ...event.payload.snapshot, account_id: event.payload.accountId },
          },
        ];
      case 'conversation.typing_on':
      case 'conversation.typing_off':
      case 'conversation.recording':
        return onTyping(event.name, event.payload.conversationId, event.payload.performer, event.payload.isPrivate);
      default:
        return undefined;
    }
  };
}
