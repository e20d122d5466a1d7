import { useCallback, useEffect } from 'preact/hooks';
import type { AssigneeType, ListFilter } from '../api/conversations.js';
import { navigate } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { VirtualList } from '../lib/virtual-list.js';
import { useShortcut } from '../shortcuts/registry.js';
import { BulkBar } from './bulk-bar.js';
import { ConversationRow } from './conversation-row.js';
import { ListFilters } from './list-filters.js';
import { selection, toggleSelected } from './selection.js';
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
  const selected = useStore(selection);

  useEffect(() => {
    // another account: same tab, status and order, no inbox, team, label or saved filter (those are the old account's)
    const { assigneeType, status, sortBy } = conversations.get().filter;
    void loadList(accountId, userId, { assigneeType, status, sortBy });
  }, [accountId, userId]);

  const choose = (change: Partial<ListFilter>) => void loadList(accountId, userId, { ...state.filter, ...change });
  const items = state.ids.map((id) => state.byId[id]!).filter(Boolean);
  const onEnd = useCallback(() => void loadMore(), []);

  const step = (by: number) => {
    if (!state.ids.length) return;
    const at = openId === undefined ? -1 : state.ids.indexOf(openId);
    const next = state.ids[Math.min(state.ids.length - 1, Math.max(0, at + by))];
    if (next !== undefined && next !== openId) navigate(`/accounts/${accountId}/conversations/${next}`);
  };
  useShortcut('next', () => step(1));
  useShortcut('prev', () => step(-1));
  useShortcut('next-tab', () => {
    const at = TABS.findIndex((tab) => tab.key === state.filter.assigneeType);
    choose({ assigneeType: TABS[(at + 1) % TABS.length]!.key, saved: undefined });
  });

  return (
    <section class="list-panel" aria-label="Conversations">
      <header class="list-header">
        <h1>Conversations</h1>
        <ListFilters accountId={accountId} userId={userId} filter={state.filter} onChange={choose} />
      </header>
      <div class="tabs" role="tablist" aria-label="Assignee">
        {TABS.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            aria-selected={state.filter.assigneeType === tab.key}
            data-tab={tab.key}
            onClick={() => choose({ assigneeType: tab.key, saved: undefined })}
          >
            {tab.label} <span class="count">{state.counts[tab.count]}</span>
          </button>
        ))}
      </div>
      <BulkBar accountId={accountId} visibleIds={state.ids} />
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
            selected={selected.has(c.id)}
            onSelect={(on) => toggleSelected(c.id, on)}
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
