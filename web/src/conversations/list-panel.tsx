import { useCallback, useEffect } from 'preact/hooks';
import type { AssigneeType, StatusFilter } from '../api/conversations.js';
import { useStore } from '../lib/store.js';
import { VirtualList } from '../lib/virtual-list.js';
import { ConversationRow } from './conversation-row.js';
import { conversations, loadList, loadMore } from './store.js';

const TABS: { key: AssigneeType; label: string; count: 'mine_count' | 'unassigned_count' | 'all_count' }[] = [
  { key: 'me', label: 'Mine', count: 'mine_count' },
  { key: 'unassigned', label: 'Unassigned', count: 'unassigned_count' },
  { key: 'all', label: 'All', count: 'all_count' },
];
const STATUSES: StatusFilter[] = ['open', 'pending', 'snoozed', 'resolved', 'all'];
const ROW_HEIGHT = 76;

/** Tabs, status filter and the conversation list (paged as it scrolls, only visible rows rendered). */
export function ListPanel({ accountId, userId, openId }: { accountId: number; userId: number; openId?: number }) {
  const state = useStore(conversations);

  useEffect(() => {
    const { assigneeType, status } = conversations.get();
    void loadList({ accountId, userId, assigneeType, status });
  }, [accountId, userId]);

  const choose = (change: { assigneeType?: AssigneeType; status?: StatusFilter }) =>
    void loadList({ accountId, userId, assigneeType: state.assigneeType, status: state.status, ...change });
  const items = state.ids.map((id) => state.byId[id]!).filter(Boolean);
  const onEnd = useCallback(() => void loadMore(), []);

  return (
    <section class="list-panel" aria-label="Conversations">
      <header class="list-header">
        <h1>Conversations</h1>
        <label class="status-filter">
          <span class="visually-hidden">Status</span>
          <select
            value={state.status}
            onChange={(e) => choose({ status: e.currentTarget.value as StatusFilter })}
            aria-label="Status"
          >
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status[0]!.toUpperCase() + status.slice(1)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <div class="tabs" role="tablist" aria-label="Assignee">
        {TABS.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            aria-selected={state.assigneeType === tab.key}
            data-tab={tab.key}
            onClick={() => choose({ assigneeType: tab.key })}
          >
            {tab.label} <span class="count">{state.counts[tab.count]}</span>
          </button>
        ))}
      </div>
      {state.error && <p role="alert">{state.error}</p>}
      <VirtualList
        items={items}
        rowHeight={ROW_HEIGHT}
        label="Conversation list"
        keyOf={(c) => c.id}
        onEndReached={onEnd}
        renderRow={(c) => (
          <ConversationRow
            conversation={c}
            active={c.id === openId}
            href={`/app/accounts/${accountId}/conversations/${c.id}`}
          />
        )}
        footer={
          <p class="list-footer">
            {state.loading ? 'Loading…' : items.length === 0 ? 'No conversations' : state.hasMore ? '' : 'All loaded'}
          </p>
        }
      />
    </section>
  );
}
