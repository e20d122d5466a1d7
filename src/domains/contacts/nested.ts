import { randomUUID } from 'node:crypto';
import type { Note } from '../../core/db/schema.js';
import { recordNotFound, unauthorizedAction, validationFailed } from '../../core/errors.js';
import { actorUserId, isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { listAgentViews } from '../agents/queries.js';
import { isInboxMember } from '../inboxes/queries.js';
import { listInboxes } from '../inboxes/service.js';
import type { AgentView } from '../../serializers/agent.js';
import type { InboxView } from '../../serializers/inbox.js';
import { findOrCreateContactInbox } from './queries.js';
import { labelsOf, replaceLabels } from '../labels/taggings.js';
import { contactConversations } from '../conversations/service.js';
import { fetchContact } from './service.js';

// Labels ------------------------------------------------------------------------------------

export async function contactLabels(ctx: AccountCtx, contactId: string): Promise<string[]> {
  return labelsOf(ctx.db, 'Contact', (await fetchContact(ctx, contactId)).id);
}

/** POST /contacts/:id/labels replaces the whole list. */
export async function setContactLabels(ctx: AccountCtx, contactId: string, labels: string[]): Promise<string[]> {
  const contact = await fetchContact(ctx, contactId);
  await ctx.db.transaction().execute((tx) => replaceLabels(tx, ctx.account.id, 'Contact', contact.id, labels));
  return labelsOf(ctx.db, 'Contact', contact.id);
}

// Notes -------------------------------------------------------------------------------------

export interface NoteView { note: Note; author: AgentView | undefined }

async function withAuthors(ctx: AccountCtx, notes: Note[]): Promise<NoteView[]> {
  const ids = [...new Set(notes.map((n) => n.user_id).filter((id): id is number => id !== null))];
  const authors = await listAgentViews(ctx.db, ctx.account.id, ids);
  return notes.map((note) => ({ note, author: authors.find((a) => a.user.id === note.user_id) }));
}

async function fetchNote(ctx: AccountCtx, contactId: string, noteId: string): Promise<Note> {
  const contact = await fetchContact(ctx, contactId);
  const id = parseId(noteId);
  const note = id === undefined ? undefined : await ctx.db.selectFrom('notes').selectAll()
    .where('account_id', '=', ctx.account.id).where('contact_id', '=', contact.id).where('id', '=', id).executeTakeFirst();
  if (!note) throw recordNotFound();
  return note;
}

const contentOf = (content: string | undefined) => {
  if (isBlank(content)) throw validationFailed([{ attribute: 'content', message: "can't be blank" }]);
  return content!;
};

/** Newest first, as Chatwoot's `notes.latest`. */
export async function listNotes(ctx: AccountCtx, contactId: string): Promise<NoteView[]> {
  const contact = await fetchContact(ctx, contactId);
  const notes = await ctx.db.selectFrom('notes').selectAll().where('account_id', '=', ctx.account.id)
    .where('contact_id', '=', contact.id).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return withAuthors(ctx, notes);
}

export async function getNote(ctx: AccountCtx, contactId: string, noteId: string): Promise<NoteView> {
  return (await withAuthors(ctx, [await fetchNote(ctx, contactId, noteId)]))[0]!;
}

export async function createNote(ctx: AccountCtx, contactId: string, content: string | undefined): Promise<NoteView> {
  const contact = await fetchContact(ctx, contactId);
  const note = await ctx.db.insertInto('notes')
    .values({ account_id: ctx.account.id, contact_id: contact.id, user_id: actorUserId(ctx), content: contentOf(content) })
    .returningAll().executeTakeFirstOrThrow();
  return (await withAuthors(ctx, [note]))[0]!;
}

export async function updateNote(ctx: AccountCtx, contactId: string, noteId: string, content: string | undefined): Promise<NoteView> {
  const note = await fetchNote(ctx, contactId, noteId);
  const updated = await ctx.db.updateTable('notes').set({ content: contentOf(content), updated_at: new Date() })
    .where('id', '=', note.id).returningAll().executeTakeFirstOrThrow();
  return (await withAuthors(ctx, [updated]))[0]!;
}

export async function deleteNote(ctx: AccountCtx, contactId: string, noteId: string): Promise<void> {
  const note = await fetchNote(ctx, contactId, noteId);
  await ctx.db.deleteFrom('notes').where('id', '=', note.id).execute();
}

// Contact inboxes -----------------------------------------------------------------------------

/** POST /contacts/:id/contact_inboxes: idempotent; the inbox must be one the caller may see. */
export async function addContactInbox(ctx: AccountCtx, contactId: string, rawInboxId: unknown, sourceId: string | null | undefined) {
  const contact = await fetchContact(ctx, contactId);
  const inboxId = parseId(rawInboxId);
  const inbox = inboxId === undefined ? undefined : await ctx.db.selectFrom('inboxes').selectAll()
    .where('account_id', '=', ctx.account.id).where('id', '=', inboxId).executeTakeFirst();
  if (!inbox) throw recordNotFound();
  if (!isAdministrator(ctx) && !(await isInboxMember(ctx.db, inbox.id, actorUserId(ctx)))) throw unauthorizedAction();
  return { contactInbox: await findOrCreateContactInbox(ctx.db, contact.id, inbox.id, sourceId), inbox };
}

/**
 * GET /contacts/:id/contactable_inboxes: every inbox the caller sees, with the source id a new
 * conversation there would use (an API inbox reuses the contact's last one, else a fresh UUID).
 */
export async function contactableInboxes(ctx: AccountCtx, contactId: string): Promise<Array<{ inbox: InboxView; sourceId: string }>> {
  const contact = await fetchContact(ctx, contactId);
  const inboxes = await listInboxes(ctx);
  const existing = await ctx.db.selectFrom('contact_inboxes').select(['inbox_id', 'source_id'])
    .where('contact_id', '=', contact.id).orderBy('id').execute();
  return inboxes.map((view) => ({
    inbox: view,
    sourceId: existing.filter((row) => row.inbox_id === view.inbox.id).at(-1)?.source_id ?? randomUUID(),
  }));
}

/** GET /contacts/:id/conversations: `{payload: [conversation]}` for the conversations the caller can see. */
export async function listContactConversations(ctx: AccountCtx, contactId: string) {
  return contactConversations(ctx, (await fetchContact(ctx, contactId)).id);
}
