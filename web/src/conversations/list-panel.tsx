import { useCallback, useEffect } from 'preact/hooks';
import type { AssigneeType, ListFilter } from '../api/conversations.js';
import { useStore } from '../lib/store.js';
import { VirtualList } from '../lib/virtual-list.js';
import { ConversationRow } from './conversation-row.js';
import { ListFilters } from './list-filters.js';
import { conversations, loadList, loadMore } from './store.js';

const TABS: { key: AssigneeType; label: string; count: 'mine_count' | 'unassigned_count' | 'all_count' }[] = [
  { key: 'me', label: 'Mine', count: 'mine_count' },
  { key: 'unassigned', label: 'Unassigned', count: 'unassigned_count' },
  { key: 'all', label: 'All', count: 'all_count' },
];
const ROW_HEIGHT = 76;

/** Tabs, filters and the conversation list (paged as it scrolls, only visible rows rendered). */
export function ListPanel({ accountId, userId, openId }: { accountId: number; userId: number; openId?: number }) {
  const state = useStore(conversations);

  useEffect(() => {
    // another account: same tab and status, no inbox or label (those are the old account's)
    const { assigneeType, status } = conversations.get().filter;
    void loadList(accountId, userId, { assigneeType, status });
  }, [accountId, userId]);

  const choose = (change: Partial<ListFilter>) => void loadList(accountId, userId, { ...state.filter, ...change });
  const items = state.ids.map((id) => state.byId[id]!).filter(Boolean);
  const onEnd = useCallback(() => void loadMore(), []);

  return (
    <section class="list-panel" aria-label="Conversations">
      <header class="list-header">
        <h1>Conversations</h1>
        <ListFilters accountId={accountId} filter={state.filter} onChange={choose} />
      </header>
      <div class="tabs" role="tablist" aria-label="Assignee">
        {TABS.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            aria-selected={state.filter.assigneeType === tab.key}
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
