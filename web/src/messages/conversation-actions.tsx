import { useState } from 'preact/hooks';
import { assignAgent } from '../api/conversations.js';
import { toggleStatus } from '../api/conversation-actions.js';
import type { Conversation } from '../api/types.js';
import { AssignmentFields } from '../conversation-actions/assignment-fields.js';
import { LabelEditor } from '../conversation-actions/label-editor.js';
import { MacrosMenu } from '../conversation-actions/macros-menu.js';
import { MoreMenu } from '../conversation-actions/more-menu.js';
import { Participants } from '../conversation-actions/participants.js';
import { StatusControl } from '../conversation-actions/status-control.js';
import { useAction } from '../conversation-actions/use-action.js';
import '../conversation-actions/actions.css';
import { useShortcut } from '../shortcuts/registry.js';

/**
 * The conversation's header actions: status (resolve, reopen, pending, snooze), assign to me, more
 * (mute, mark unread); below, assignee, team, priority, labels and participants. Each change shows
 * at once and /cable confirms it.
 */
export function ConversationActions({
  accountId,
  userId,
  conversation,
}: {
  accountId: number;
  userId: number;
  conversation: Conversation;
}) {
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const { busy, error, run } = useAction(conversation.id);
  useShortcut('resolve', () => {
    if (busy) return;
    const status = conversation.status === 'open' ? 'resolved' : 'open';
    void run(async () => {
      const result = await toggleStatus(accountId, conversation.id, status);
      return { status: result.current_status, snoozed_until: result.snoozed_until };
    });
  });
  useShortcut('snooze', () => setSnoozeOpen(true));
  const mine = conversation.meta?.assignee?.id === userId;
  return (
    <div class="conversation-actions">
      <div class="action-row">
        {conversation.meta?.assignee && <span class="assignee">Assigned to {conversation.meta.assignee.name}</span>}
        {!mine && (
          <button
            type="button"
            disabled={busy}
            onClick={() =>
              run(async () => ({
                meta: { ...conversation.meta, assignee: await assignAgent(accountId, conversation.id, userId) },
              }))
            }
          >
            Assign to me
          </button>
        )}
        <StatusControl
          accountId={accountId}
          conversation={conversation}
          snoozeOpen={snoozeOpen}
          onSnoozeOpen={setSnoozeOpen}
        />
        <MacrosMenu accountId={accountId} conversationId={conversation.id} />
        <MoreMenu accountId={accountId} conversation={conversation} />
        {error && <span role="alert">{error}</span>}
      </div>
      <div class="action-row details">
        <AssignmentFields accountId={accountId} conversation={conversation} />
        <LabelEditor accountId={accountId} conversation={conversation} />
        <Participants
          accountId={accountId}
          conversationId={conversation.id}
          assigneeId={conversation.meta?.assignee?.id}
        />
      </div>
    </div>
  );
}
