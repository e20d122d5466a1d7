// The inboxes a contact is reached through (contact_inboxes) or could be (contactable_inboxes).
import { randomUUID } from 'node:crypto';
import { recordNotFound, unauthorizedAction } from '../../core/errors.js';
import { actorUserId, isAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import type { ContactView } from '../../serializers/contact.js';
import type { InboxView } from '../../serializers/inbox.js';
import { isInboxMember } from '../inboxes/queries.js';
import { listInboxes } from '../inboxes/service.js';
import { findOrCreateContactInbox } from './queries.js';
import { fetchContact, viewOf } from './service.js';

/** POST /contacts/:id/contact_inboxes: idempotent; the inbox must be one the caller may see. */
export async function addContactInbox(
  ctx: AccountCtx,
  contactId: string,
  rawInboxId: unknown,
  sourceId: string | null | undefined,
) {
  const contact = await fetchContact(ctx, contactId);
  const inboxId = parseId(rawInboxId);
  const inbox =
    inboxId === undefined
      ? undefined
      : await ctx.db
          .selectFrom('inboxes')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', inboxId)
          .executeTakeFirst();
  if (!inbox) throw recordNotFound();
  if (!isAdministrator(ctx) && !(await isInboxMember(ctx.db, inbox.id, actorUserId(ctx)))) throw unauthorizedAction();
  return { contactInbox: await findOrCreateContactInbox(ctx.db, contact.id, inbox.id, sourceId), inbox };
}

/**
 * GET /contacts/:id/contactable_inboxes: every inbox the caller sees, with the source id a new
 * conversation there would use (an API inbox reuses the contact's last one, else a fresh UUID).
 */
export async function contactableInboxes(
  ctx: AccountCtx,
  contactId: string,
): Promise<Array<{ inbox: InboxView; sourceId: string }>> {
  const contact = await fetchContact(ctx, contactId);
  const inboxes = await listInboxes(ctx);
  const existing = await ctx.db
    .selectFrom('contact_inboxes')
    .select(['inbox_id', 'source_id'])
    .where('contact_id', '=', contact.id)
    .orderBy('id')
    .execute();
  return inboxes.map((view) => ({
    inbox: view,
    sourceId: existing.filter((row) => row.inbox_id === view.inbox.id).at(-1)?.source_id ?? randomUUID(),
  }));
}

/**
 * POST /contact_inboxes/filter, as Chatwoot's ContactInboxesController#filter: the inbox is
 * `Current.account.inboxes.find(inbox_id)` (404 with the error body when missing, unknown or
 * another account's) and must be one the caller may see (401); then the contact reached there
 * through `source_id`, with all its contact inboxes, or undefined (Chatwoot's bare `head :not_found`).
 */
export async function filterContactInbox(
  ctx: AccountCtx,
  rawInboxId: unknown,
  rawSourceId: string | number | null | undefined,
): Promise<ContactView | undefined> {
  const inboxId = parseId(rawInboxId);
  const inbox =
    inboxId === undefined
      ? undefined
      : await ctx.db
          .selectFrom('inboxes')
          .select('id')
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', inboxId)
          .executeTakeFirst();
  if (!inbox) throw recordNotFound();
  if (!isAdministrator(ctx) && !(await isInboxMember(ctx.db, inbox.id, actorUserId(ctx)))) throw unauthorizedAction();
  // `where(source_id: nil)` matches no row: source_id is never null
  if (rawSourceId === undefined || rawSourceId === null) return undefined;
  const contact = await ctx.db
    .selectFrom('contact_inboxes')
    .innerJoin('contacts', 'contacts.id', 'contact_inboxes.contact_id')
    .selectAll('contacts')
    .where('contact_inboxes.inbox_id', '=', inbox.id)
    .where('contact_inboxes.source_id', '=', String(rawSourceId))
    .where('contacts.account_id', '=', ctx.account.id)
    .orderBy('contact_inboxes.id')
    .executeTakeFirst();
  return contact ? viewOf(ctx, contact, true) : undefined;
}
