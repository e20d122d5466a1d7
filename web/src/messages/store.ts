import { listMessages, retryMessage, sendMessage } from '../api/messages.js';
import type { Message } from '../api/types.js';
import { createStore } from '../lib/store.js';

/** The open conversation's messages, oldest first; pending replies carry an echo_id until the server's copy arrives. */
export interface ThreadState {
  accountId: number;
  conversationId: number;
  items: Message[];
  loading: boolean;
  loadingOlder: boolean;
  hasOlder: boolean;
  error?: string;
}

const PAGE_SIZE = 20;

export const thread = createStore<ThreadState>({
  accountId: 0,
  conversationId: 0,
  items: [],
  loading: false,
  loadingOlder: false,
  hasOlder: false,
});

export async function openThread(accountId: number, conversationId: number) {
  thread.set({ accountId, conversationId, items: [], loading: true, loadingOlder: false, hasOlder: false });
  try {
    const page = await listMessages(accountId, conversationId);
    if (!isCurrent(accountId, conversationId)) return;
    // a message that came over /cable while the page loaded is kept
    thread.set((s) => ({ ...s, items: merge(page, s.items), loading: false, hasOlder: page.length >= PAGE_SIZE }));
  } catch (error) {
    if (isCurrent(accountId, conversationId))
      thread.set((s) => ({ ...s, loading: false, error: (error as Error).message }));
  }
}

/** The 20 messages before the oldest shown (`before=`), when scrolled to the top. */
export async function loadOlder() {
  const s = thread.get();
  const oldest = s.items.find((m) => m.id > 0);
  if (s.loading || s.loadingOlder || !s.hasOlder || !oldest) return;
  thread.set({ ...s, loadingOlder: true });
  try {
    const page = await listMessages(s.accountId, s.conversationId, oldest.id);
    if (!isCurrent(s.accountId, s.conversationId)) return;
    thread.set((now) => ({
      ...now,
      items: merge(page, now.items),
      loadingOlder: false,
      hasOlder: page.length >= PAGE_SIZE,
    }));
  } catch (error) {
    thread.set((now) => ({ ...now, loadingOlder: false, error: (error as Error).message }));
  }
}

const isCurrent = (accountId: number, conversationId: number) =>
  thread.get().accountId === accountId && thread.get().conversationId === conversationId;

/** Older page + current list: by id, the server's copy winning, pending replies last. */
function merge(older: Message[], current: Message[]): Message[] {
  const ids = new Set(current.map((m) => m.id));
  return [...older.filter((m) => !ids.has(m.id)), ...current];
}

/** A message from /cable or a response: replaces its pending copy (same echo_id) or itself, or is appended. */
export function receiveMessage(message: Message) {
  thread.set((s) => {
    if (message.conversation_id !== s.conversationId) return s;
    const index = s.items.findIndex((m) => m.id === message.id || (message.echo_id && m.echo_id === message.echo_id));
    if (index >= 0) {
      const items = [...s.items];
      items[index] = { ...message, echo_id: message.echo_id ?? items[index]!.echo_id };
      return { ...s, items };
    }
    const pending = s.items.filter((m) => m.id < 0);
    const stored = s.items.filter((m) => m.id > 0);
    return { ...s, items: [...stored, message, ...pending] };
  });
}

let localIds = 0;

/** A random id (crypto.randomUUID needs a secure context; a dashboard on plain http has none). */
const newEchoId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

/** The files of replies not yet stored, by echo_id, so a failed one can be sent again with them. */
const pendingFiles = new Map<string, File[]>();

/** Sends a reply or private note at once on screen; the server's message replaces it (echo_id). */
export async function sendReply(content: string, isPrivate: boolean, files: File[] = [], echoId = newEchoId()) {
  const s = thread.get();
  const pending: Message = {
    id: -++localIds,
    content,
    conversation_id: s.conversationId,
    message_type: 1,
    private: isPrivate,
    created_at: Math.floor(Date.now() / 1000),
    status: 'progress',
    echo_id: echoId,
    attachments: files.map((file, index) => ({
      id: -(index + 1),
      file_type: file.type.startsWith('image/') ? 'image' : 'file',
      data_url: URL.createObjectURL(file),
    })),
  };
  if (files.length) pendingFiles.set(echoId, files);
  thread.set((now) => ({ ...now, items: [...now.items.filter((m) => m.echo_id !== echoId), pending] }));
  try {
    const stored = await sendMessage(s.accountId, s.conversationId, {
      content,
      private: isPrivate,
      echo_id: echoId,
      files,
    });
    pendingFiles.delete(echoId);
    receiveMessage({ ...stored, echo_id: echoId });
    for (const attachment of pending.attachments ?? []) URL.revokeObjectURL(attachment.data_url);
  } catch {
    thread.set((now) => ({
      ...now,
      items: now.items.map((m) => (m.echo_id === echoId && m.id < 0 ? { ...m, status: 'failed' } : m)),
    }));
  }
}

/**
 * Sends a failed reply again: one that never reached the server goes again with its echo_id (so a
 * request that did arrive is not stored twice); one the channel failed to deliver is retried there.
 */
export async function retryReply(message: Message) {
  if (message.id < 0) {
    if (message.echo_id)
      void sendReply(message.content ?? '', message.private, pendingFiles.get(message.echo_id), message.echo_id);
    return;
  }
  const s = thread.get();
  try {
    receiveMessage(await retryMessage(s.accountId, s.conversationId, message.id));
  } catch (error) {
    thread.set((now) => ({ ...now, error: (error as Error).message }));
  }
}
