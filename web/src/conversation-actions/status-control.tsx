import { type Status, toggleStatus } from '../api/conversation-actions.js';
import type { Conversation } from '../api/types.js';
import { Menu } from '../lib/menu.js';
import { snoozedLabel } from './snooze.js';
import { SnoozeChoices } from './snooze-choices.js';
import { useAction } from './use-action.js';

/**
 * Resolve (or Reopen), and beside it the other statuses: pending and the snooze presets, as
 * Chatwoot's resolve button with its dropdown.
 */
export function StatusControl({
  accountId,
  conversation,
  snoozeOpen,
  onSnoozeOpen,
}: {
  accountId: number;
  conversation: Conversation;
  snoozeOpen: boolean;
  onSnoozeOpen(open: boolean): void;
}) {
  const { busy, error, run } = useAction(conversation.id);
  const set = (status: Status, snoozedUntil?: number | null) =>
    run(async () => {
      const result = await toggleStatus(accountId, conversation.id, status, snoozedUntil);
      return { status: result.current_status, snoozed_until: result.snoozed_until };
    });
  const isOpen = conversation.status === 'open';
  return (
    <div class="status-control">
      <span class={`status status-${conversation.status}`} data-status={conversation.status}>
        {conversation.status === 'snoozed' ? snoozedLabel(conversation.snoozed_until) : conversation.status}
      </span>
      <button
        type="button"
        class="primary"
        data-action="toggle-status"
        disabled={busy}
        onClick={() => set(isOpen ? 'resolved' : 'open')}
      >
        {isOpen ? 'Resolve' : 'Reopen'}
      </button>
      <Menu label="More status options" buttonLabel="▾" open={snoozeOpen} onOpenChange={onSnoozeOpen}>
        {(close) => (
          <>
            {conversation.status !== 'pending' && (
              <button
                type="button"
                data-status-option="pending"
                onClick={() => {
                  close();
                  void set('pending');
                }}
              >
                Mark as pending
              </button>
            )}
            <SnoozeChoices
              idPrefix={`conversation-${conversation.id}`}
              onPick={(until) => {
                close();
                void set('snoozed', until);
              }}
            />
          </>
        )}
      </Menu>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
