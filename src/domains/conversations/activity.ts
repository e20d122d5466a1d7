import type { Conversation } from '../../core/db/schema.js';
import type { Work } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { storeMessage } from './store-message.js';

/**
 * Chatwoot's activity messages (app/models/concerns/activity_message_handler.rb with the strings of
 * config/locales/en.yml `conversations.activity`): written in the same transaction as the change.
 */
export const ACTIVITY = {
  status: {
    resolved: (user: string) => `Conversation was marked resolved by ${user}`,
    open: (user: string) => `Conversation was reopened by ${user}`,
    pending: (user: string) => `Conversation was marked as pending by ${user}`,
    snoozed: (user: string) => `Conversation was snoozed by ${user}`,
    contactResolved: (contact: string) => `Conversation was resolved by ${contact}`,
    systemAutoOpen: () => 'System reopened the conversation due to a new incoming message.',
    /** ActivityMessageHandler#auto_resolve_message_key: whole days, else whole hours, else minutes. */
    autoResolved: (minutes: number) => {
      const [count, unit] =
        minutes >= 1440 && minutes % 1440 === 0
          ? [minutes / 1440, 'days']
          : minutes >= 60 && minutes % 60 === 0
            ? [minutes / 60, 'hours']
            : [minutes, 'minutes'];
      return `Conversation was marked resolved by system due to ${count} ${unit} of inactivity`;
    },
  },
  priority: {
    added: (user: string, priority: string) => `${user} set the priority to ${priority}`,
    updated: (user: string, from: string, to: string) => `${user} changed the priority from ${from} to ${to}`,
    removed: (user: string) => `${user} removed the priority`,
  },
  assignee: {
    selfAssigned: (user: string) => `${user} self-assigned this conversation`,
    assigned: (assignee: string, user: string) => `Assigned to ${assignee} by ${user}`,
    removed: (user: string) => `Conversation unassigned by ${user}`,
  },
  team: {
    assigned: (team: string, user: string) => `Assigned to ${team} by ${user}`,
    assignedWithAssignee: (assignee: string, team: string, user: string) =>
      `Assigned to ${assignee} via ${team} by ${user}`,
    removed: (team: string, user: string) => `Unassigned from ${team} by ${user}`,
  },
  labels: {
    added: (user: string, labels: string[]) => `${user} added ${labels.join(', ')}`,
    removed: (user: string, labels: string[]) => `${user} removed ${labels.join(', ')}`,
  },
  sla: {
    // enterprise SlaActivityMessageHandler; a policy is never removed nor changed here
    added: (user: string, sla: string) => `${user} added SLA policy ${sla}`,
  },
  muted: (user: string) => `${user} has muted the conversation`,
  unmuted: (user: string) => `${user} has unmuted the conversation`,
};

/** ActivityMessageHandler's name for changes an automation rule made. */
export const AUTOMATION_SYSTEM = 'Automation System';

/**
 * Current.user's name in activity messages: the user's name, the agent bot's, or "Automation
 * System" for a rule or the system (activity_message_ownner: no user, Current.executed_by set).
 */
export function actorName(ctx: Pick<AccountCtx, 'actor'>): string {
  if (ctx.actor.kind === 'automation' || ctx.actor.kind === 'system') return AUTOMATION_SYSTEM;
  return ctx.actor.kind === 'user' ? ctx.actor.user.name : (ctx.actor.bot.name ?? '');
}

/**
 * An activity message in the conversation, stored like every message (it moves last_activity_at
 * and announces message.created): no sender, not private, text.
 */
export async function writeActivity(
  work: Work,
  { conversation, content }: { conversation: Conversation; content: string },
): Promise<void> {
  await storeMessage(work, {
    conversationId: conversation.id,
    message: {
      messageType: 2,
      contentType: 0,
      content,
      private: false,
      contentAttributes: {},
      additionalAttributes: {},
      sourceId: null,
      sender: null,
      echoId: null,
      idempotencyKey: null,
      files: [],
    },
  });
}
