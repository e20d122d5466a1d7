import type { ConversationView } from './conversation.js';
import { CONVERSATION_STATUSES, enumName } from '../core/db/enums.js';
import { availableName, thumbnailFor } from './agent.js';
import type { SenderView } from './message.js';
import { epochSeconds } from './time.js';

/** A conversation's assignee as the contact's conversation frames show them. */
export function contactSafeSender(sender: SenderView) {
  if (sender.type === 'User') {
    const name = availableName(sender.user);
    return {
      id: sender.user.id,
      name,
      available_name: name,
      avatar_url: sender.user.avatar_url ?? '',
      thumbnail: thumbnailFor(sender.user),
      type: 'user' as const,
    };
  }
  if (sender.type === 'AgentBot')
    return {
      id: sender.bot.id,
      name: sender.bot.name,
      avatar_url: sender.bot.avatar_url ?? '',
      thumbnail: sender.bot.avatar_url ?? '',
      type: 'agent_bot' as const,
    };
  return {
    id: sender.contact.id,
    name: sender.contact.name,
    avatar_url: sender.contact.avatar_url ?? '',
    thumbnail: sender.contact.avatar_url ?? '',
    type: 'contact' as const,
  };
}

export function contactConversationCableJson(view: ConversationView) {
  const { conversation: c } = view;
  return {
    id: c.display_id,
    uuid: c.uuid,
    inbox_id: c.inbox_id,
    status: enumName(CONVERSATION_STATUSES, c.status),
    contact_last_seen_at: epochSeconds(c.contact_last_seen_at),
    agent_last_seen_at: epochSeconds(c.agent_last_seen_at),
    last_activity_at: epochSeconds(c.last_activity_at),
    created_at: epochSeconds(c.created_at),
    meta: { assignee: view.assignee ? contactSafeSender({ type: 'User', user: view.assignee.user }) : null },
  };
}
