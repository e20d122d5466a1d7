// Notes on a contact: /contacts/:contact_id/notes.
import type { Note } from '../../core/db/schema.js';
import { recordNotFound, validationFailed } from '../../core/errors.js';
import { actorUserId, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import type { AgentView } from '../../serializers/agent.js';
import { listAgentViews } from '../agents/queries.js';
import { fetchContact } from './service.js';

export interface NoteView {
  note: Note;
  author: AgentView | undefined;
}

async function withAuthors(ctx: AccountCtx, notes: Note[]): Promise<NoteView[]> {
  const ids = [...new Set(notes.map((n) => n.user_id).filter((id): id is number => id !== null))];
  const authors = await listAgentViews(ctx.db, ctx.account.id, ids);
  return notes.map((note) => ({ note, author: authors.find((a) => a.user.id === note.user_id) }));
}

async function fetchNote(ctx: AccountCtx, contactId: string, noteId: string): Promise<Note> {
  const contact = await fetchContact(ctx, contactId);
  const id = parseId(noteId);
  const note =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('notes')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('contact_id', '=', contact.id)
          .where('id', '=', id)
          .executeTakeFirst();
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
  const notes = await ctx.db
    .selectFrom('notes')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('contact_id', '=', contact.id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return withAuthors(ctx, notes);
}

export async function getNote(ctx: AccountCtx, contactId: string, noteId: string): Promise<NoteView> {
  return (await withAuthors(ctx, [await fetchNote(ctx, contactId, noteId)]))[0]!;
}

export async function createNote(ctx: AccountCtx, contactId: string, content: string | undefined): Promise<NoteView> {
  const contact = await fetchContact(ctx, contactId);
  const note = await ctx.db
    .insertInto('notes')
    .values({
      account_id: ctx.account.id,
      contact_id: contact.id,
      user_id: actorUserId(ctx),
      content: contentOf(content),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return (await withAuthors(ctx, [note]))[0]!;
}

export async function updateNote(
  ctx: AccountCtx,
  contactId: string,
  noteId: string,
  content: string | undefined,
): Promise<NoteView> {
  const note = await fetchNote(ctx, contactId, noteId);
  const updated = await ctx.db
    .updateTable('notes')
    .set({ content: contentOf(content), updated_at: new Date() })
    .where('id', '=', note.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return (await withAuthors(ctx, [updated]))[0]!;
}

export async function deleteNote(ctx: AccountCtx, contactId: string, noteId: string): Promise<void> {
  const note = await fetchNote(ctx, contactId, noteId);
  await ctx.db.deleteFrom('notes').where('id', '=', note.id).execute();
}
