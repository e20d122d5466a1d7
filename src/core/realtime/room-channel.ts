import type { Db } from '../db/kysely.js';
import type { Subscriber, Subscription } from './cable.js';
import { presenceData, touchPresence } from './presence.js';
import { eventsSince, newestEventId } from './store.js';
import { AVAILABILITIES, enumName } from '../db/enums.js';

/**
 * RoomChannel: `pubsub_token` (+ `account_id`, `user_id` for agents) decides the streams. Agents
 * listen to their token and `account_<id>`; contacts to their contact inbox's token. Confab
 * extension: `last_event_id` in the identifier replays what the token's stream missed since.
 */
export function roomChannel(db: Db, options: { replaySeconds: number }) {
  const idOf = (value: unknown) =>
    typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)) ? Number(value) : undefined;

  return async (params: Record<string, unknown>): Promise<Subscriber | undefined> => {
    if (params.channel !== 'RoomChannel' || typeof params.pubsub_token !== 'string' || !params.pubsub_token)
      return undefined;
    const token = params.pubsub_token;
    const lastEventId = idOf(params.last_event_id);
    let who: { kind: 'User' | 'Contact'; id: number; accountId: number; availability?: string };
    let streams: string[];
    if (params.user_id !== undefined && params.user_id !== null) {
      const userId = idOf(params.user_id);
      const accountId = idOf(params.account_id);
      if (userId === undefined || accountId === undefined) return undefined;
      const member = await db
        .selectFrom('users')
        .innerJoin('account_users', 'account_users.user_id', 'users.id')
        .select(['users.id', 'account_users.availability'])
        .where('users.id', '=', userId)
        .where('users.pubsub_token', '=', token)
        .where('account_users.account_id', '=', accountId)
        .executeTakeFirst();
      if (!member) return undefined;
      who = { kind: 'User', id: userId, accountId, availability: enumName(AVAILABILITIES, member.availability) };
      streams = [token, `account_${accountId}`];
    } else {
      const contactInbox = await db
        .selectFrom('contact_inboxes')
        .innerJoin('contacts', 'contacts.id', 'contact_inboxes.contact_id')
        .select(['contacts.id', 'contacts.account_id'])
        .where('contact_inboxes.pubsub_token', '=', token)
        .executeTakeFirst();
      if (!contactInbox) return undefined;
      who = { kind: 'Contact', id: contactInbox.id, accountId: contactInbox.account_id };
      streams = [token];
    }
    // to this subscriber only, straight from the presence table: no domain event, nothing for the bus
    const sendPresence = async (subscription: Subscription) => {
      await touchPresence(db, who.accountId, who.kind, who.id);
      const snapshot = await presenceData(db, who.accountId, who.kind === 'User');
      // the shared snapshot may predate this very subscription: the subscriber is online
      const listed = snapshot.data.users[who.id];
      if (!who.availability || listed === who.availability) subscription.sendRaw(snapshot.message);
      else if (listed === undefined) subscription.sendParts(snapshot.withUser(who.id, who.availability));
      // listed with another availability: changed within the snapshot's second, which is rare
      else
        subscription.send({
          event: 'presence.update',
          data: { ...snapshot.data, users: { ...snapshot.data.users, [who.id]: who.availability } },
        });
    };
    return {
      streams,
      position: () => newestEventId(db),
      async onConfirmed(subscription) {
        await sendPresence(subscription);
        if (lastEventId === undefined) return;
        for (const event of await eventsSince(db, token, lastEventId, options.replaySeconds)) {
          subscription.replayed.add(event.id);
          subscription.send({ event: event.event, data: event.data }, event.id);
        }
      },
      async perform(action, _data, subscription) {
        if (action === 'update_presence') await sendPresence(subscription);
      },
    };
  };
}
