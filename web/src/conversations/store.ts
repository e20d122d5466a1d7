import {
  type AssigneeType,
  conversationCounts,
  getConversation,
  type ListFilter,
  listConversations,
  SORT_ORDERS,
  type StatusFilter,
} from '../api/conversations.js';
import type { Conversation, ConversationCounts, Message } from '../api/types.js';
import { createStore } from '../lib/store.js';
import { clearSelection } from './selection.js';

/** The conversation list of one filter: ids in display order over one map of conversations. */
export interface ListState {
  accountId: number;
  userId: number;
  filter: ListFilter;
  ids: number[];
  byId: Record<number, Conversation>;
  counts: ConversationCounts;
  page: number;
  hasMore: boolean;
  loading: boolean;
  error?: string;
  /** The conversation on screen: its unread badge stays at zero. */
  openId?: number;
}

const PAGE_SIZE = 25;
const FILTER_KEY = 'confab.filter';
const ASSIGNEE_TYPES: AssigneeType[] = ['me', 'unassigned', 'all'];
const STATUSES: StatusFilter[] = ['open', 'pending', 'snoozed', 'resolved', 'all'];

/** The last tab, status and sort order chosen, kept across reloads (inbox, team and label belong to one account: not kept). */
function savedFilter(): ListFilter {
  try {
    const saved = JSON.parse(localStorage.getItem(FILTER_KEY) ?? '{}') as Record<string, unknown>;
    return {
      assigneeType: ASSIGNEE_TYPES.find((t) => t === saved.assigneeType) ?? 'me',
      status: STATUSES.find((s) => s === saved.status) ?? 'open',
      sortBy: SORT_ORDERS.find((s) => s === saved.sortBy),
    };
  } catch {
    return { assigneeType: 'me', status: 'open' };
  }
}

export const conversations = createStore<ListState>({
  accountId: 0,
  userId: 0,
  filter: savedFilter(),
  ids: [],
  byId: {},
  counts: { mine_count: 0, unassigned_count: 0, all_count: 0 },
  page: 0,
  hasMore: false,
  loading: false,
});

let generation = 0;

/** Loads the first page of a filter (a tab, a status, an inbox, a label, or another account). */
export async function loadList(accountId: number, userId: number, filter: ListFilter) {
  const mine = ++generation;
  clearSelection();
  const { assigneeType, status, sortBy } = filter;
  localStorage.setItem(FILTER_KEY, JSON.stringify({ assigneeType, status, sortBy }));
  conversations.set((s) => ({
    ...s,
    accountId,
    userId,
    filter,
    ids: [],
    byId: s.accountId === accountId ? s.byId : {},
    page: 0,
    hasMore: true,
    loading: true,
    error: undefined,
  }));
  await loadPage(mine);
}

/** The next page, when scrolled near the end. */
export async function loadMore() {
  const s = conversations.get();
  if (s.loading || !s.hasMore || !s.accountId) return;
  conversations.set({ ...s, loading: true });
  await loadPage(generation);
}

async function loadPage(mine: number) {
  const s = conversations.get();
  try {
    const page = s.page + 1;
    const data = await listConversations(s.accountId, s.filter, page);
    if (mine !== generation) return;
    conversations.set((now) => {
      const byId = { ...now.byId };
      const ids = [...now.ids];
      for (const conversation of data.payload) {
        if (!ids.includes(conversation.id)) ids.push(conversation.id);
        byId[conversation.id] = conversation;
      }
      const hasMore = data.payload.length >= PAGE_SIZE;
      return { ...now, ids, byId, counts: data.meta, page, hasMore, loading: false };
    });
  } catch (error) {
    if (mine === generation) conversations.set((now) => ({ ...now, loading: false, error: (error as Error).message }));
  }
}

/** Whether a changed conversation belongs in the list on screen (a saved filter's rules stay on the server). */
function matches(s: ListState, c: Conversation): boolean {
  const { filter } = s;
  if (filter.saved) return s.ids.includes(c.id);
  if (filter.teamId && c.meta?.team?.id !== filter.teamId) return false;
  if (filter.status !== 'all' && c.status !== filter.status) return false;
  if (filter.inboxId && c.inbox_id !== filter.inboxId) return false;
  if (filter.label && !c.labels?.includes(filter.label)) return false;
  const assignee = c.meta?.assignee?.id;
  if (filter.assigneeType === 'me') return assignee === s.userId;
  if (filter.assigneeType === 'unassigned') return !assignee;
  return true;
}

/** A conversation from /cable (created, updated, status or assignee changed) or an action. */
export function upsertConversation(incoming: Conversation, options: { toTop?: boolean } = {}) {
  conversations.set((s) => {
    const known = s.byId[incoming.id];
    const merged: Conversation = { ...known, ...incoming, meta: { ...known?.meta, ...incoming.meta } };
    if (s.openId === merged.id) merged.unread_count = 0;
    const byId = { ...s.byId, [merged.id]: merged };
    let ids = s.ids;
    // the newest activity goes first only in the default order; in another order a row stays where it is
    const toTop = options.toTop && (s.filter.sortBy ?? 'last_activity_at_desc') === 'last_activity_at_desc';
    if (!matches(s, merged)) ids = ids.filter((id) => id !== merged.id);
    else if (!ids.includes(merged.id) || toTop) ids = [merged.id, ...ids.filter((id) => id !== merged.id)];
    return { ...s, byId, ids };
  });
  scheduleCounts();
}

const fetching = new Set<number>();

/** A new message: the row shows it, moves up, and counts it unread unless it is on screen. */
export function applyMessage(message: Message) {
  const s = conversations.get();
  const known = s.byId[message.conversation_id];
  if (!known) {
    // a conversation not loaded yet (further down the list, or just created): read it once
    if (!s.accountId || fetching.has(message.conversation_id)) return;
    fetching.add(message.conversation_id);
    getConversation(s.accountId, message.conversation_id)
      .then((c) => {
        if (conversations.get().accountId === s.accountId) upsertConversation(c, { toTop: true });
      })
      .catch(() => undefined)
      .finally(() => fetching.delete(message.conversation_id));
    return;
  }
  // a read of the conversation that raced the broadcast (the list, a conversation.updated) may
  // already count this message, or a later one (ids only grow): counted again, one incoming
  // message showed "2 unread"
  const shown = [...(known.messages ?? []), known.last_non_activity_message].map((m) => m?.id ?? 0);
  if (shown.some((id) => id > message.id)) return;
  const counted = shown.includes(message.id);
  const open = s.openId === known.id;
  const unread = open ? 0 : known.unread_count + (message.message_type === 0 && !counted ? 1 : 0);
  upsertConversation(
    {
      ...known,
      messages: [message],
      last_non_activity_message: message.message_type === 2 ? known.last_non_activity_message : message,
      timestamp: message.created_at,
      unread_count: unread,
    },
    { toTop: true },
  );
}

export function setOpenConversation(id: number | undefined) {
  conversations.set((s) => {
    const known = id === undefined ? undefined : s.byId[id];
    const byId = known ? { ...s.byId, [known.id]: { ...known, unread_count: 0 } } : s.byId;
    return { ...s, openId: id, byId };
  });
}

let countsTimer: ReturnType<typeof setTimeout> | undefined;

/** The tab counts, read again shortly after a change (several events make one request). */
function scheduleCounts() {
  clearTimeout(countsTimer);
  countsTimer = setTimeout(async () => {
    const s = conversations.get();
    if (!s.accountId || s.filter.saved) return;
    const counts = await conversationCounts(s.accountId, s.filter).catch(() => undefined);
    if (counts)
      conversations.set((now) => (now.accountId === s.accountId && now.filter === s.filter ? { ...now, counts } : now));
  }, 300);
}
