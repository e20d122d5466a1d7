import { type AssigneeType, conversationCounts, listConversations, type StatusFilter } from '../api/conversations.js';
import type { Conversation, ConversationCounts, Message } from '../api/types.js';
import { createStore } from '../lib/store.js';

/** The conversation list of one filter: ids in display order over one map of conversations. */
export interface ListState {
  accountId: number;
  userId: number;
  assigneeType: AssigneeType;
  status: StatusFilter;
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
const emptyCounts = { mine_count: 0, unassigned_count: 0, all_count: 0 };

const FILTER_KEY = 'confab.filter';

/** The last tab and status chosen, kept across reloads. */
function savedFilter(): { assigneeType: AssigneeType; status: StatusFilter } {
  try {
    const saved = JSON.parse(localStorage.getItem(FILTER_KEY) ?? '{}') as Record<string, unknown>;
    const assigneeType = ['me', 'unassigned', 'all'].includes(String(saved.assigneeType))
      ? (saved.assigneeType as AssigneeType)
      : 'me';
    const status = ['open', 'pending', 'snoozed', 'resolved', 'all'].includes(String(saved.status))
      ? (saved.status as StatusFilter)
      : 'open';
    return { assigneeType, status };
  } catch {
    return { assigneeType: 'me', status: 'open' };
  }
}

export const conversations = createStore<ListState>({
  accountId: 0,
  userId: 0,
  ...savedFilter(),
  ids: [],
  byId: {},
  counts: emptyCounts,
  page: 0,
  hasMore: false,
  loading: false,
});

let generation = 0;

/** Loads the first page of a filter (a tab, a status or another account), dropping the old list. */
export async function loadList(filter: {
  accountId: number;
  userId: number;
  assigneeType: AssigneeType;
  status: StatusFilter;
}) {
  const mine = ++generation;
  localStorage.setItem(FILTER_KEY, JSON.stringify({ assigneeType: filter.assigneeType, status: filter.status }));
  conversations.set((s) => ({
    ...s,
    ...filter,
    ids: [],
    byId: {},
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
    const data = await listConversations(s.accountId, { assigneeType: s.assigneeType, status: s.status, page });
    if (mine !== generation) return;
    conversations.set((now) => {
      const byId = { ...now.byId };
      const ids = [...now.ids];
      for (const conversation of data.payload) {
        if (!byId[conversation.id]) ids.push(conversation.id);
        byId[conversation.id] = conversation;
      }
      return { ...now, ids, byId, counts: data.meta, page, hasMore: data.payload.length >= PAGE_SIZE, loading: false };
    });
  } catch (error) {
    if (mine === generation)
      conversations.set((now) => ({ ...now, loading: false, error: String((error as Error).message) }));
  }
}

function matches(s: ListState, c: Conversation): boolean {
  if (s.status !== 'all' && c.status !== s.status) return false;
  const assignee = c.meta?.assignee?.id;
  if (s.assigneeType === 'me') return assignee === s.userId;
  if (s.assigneeType === 'unassigned') return !assignee;
  return true;
}

/** A conversation from /cable (created, updated, status or assignee changed). */
export function upsertConversation(incoming: Conversation, options: { toTop?: boolean } = {}) {
  conversations.set((s) => {
    const known = s.byId[incoming.id];
    const merged: Conversation = { ...known, ...incoming, meta: { ...known?.meta, ...incoming.meta } };
    if (s.openId === merged.id) merged.unread_count = 0;
    const byId = { ...s.byId, [merged.id]: merged };
    let ids = s.ids;
    if (!matches(s, merged)) ids = ids.filter((id) => id !== merged.id);
    else if (!known || !ids.includes(merged.id) || options.toTop)
      ids = [merged.id, ...ids.filter((id) => id !== merged.id)];
    return { ...s, byId, ids };
  });
  scheduleCounts();
}

/** A new message: the row shows it, moves up, and counts it unread unless it is on screen. */
export function applyMessage(message: Message) {
  const s = conversations.get();
  const known = s.byId[message.conversation_id];
  if (!known) return scheduleCounts();
  const unread =
    message.message_type === 0 && s.openId !== known.id
      ? known.unread_count + 1
      : s.openId === known.id
        ? 0
        : known.unread_count;
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
    if (!s.accountId) return;
    const counts = await conversationCounts(s.accountId, s.status).catch(() => undefined);
    if (counts) conversations.set((now) => (now.accountId === s.accountId ? { ...now, counts } : now));
  }, 300);
}
