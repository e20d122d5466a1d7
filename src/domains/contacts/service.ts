import { queueAvatarFromUrl } from '../../core/storage/avatars.js';
import { transactionally } from '../../core/events/bus.js';
import type { Contact, ContactInbox, Inbox } from '../../core/db/schema.js';
import type { Db } from '../../core/db/kysely.js';
import { rowChanges } from '../../core/db/row-changes.js';
import { takenAs } from '../../core/db/unique.js';
import { AppError, recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx, type AccountWork } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { compileFilter, type FilterCondition } from '../filters/compile.js';
import { CONTACT_FILTERS } from '../filters/keys.js';
import { containsText } from '../filters/substring.js';
import { filterableAttributes } from '../custom-attributes/service.js';
import { linkCompanyByEmail } from '../companies/link-contact.js';
import { featureEnabled } from '../../core/db/account-features.js';
import type { ContactView } from '../../serializers/contact.js';
import { contactPushJson } from '../../serializers/message.js';
import { performerOf } from '../../core/http/account-scope.js';
import { onlineContacts, presentIds } from '../../core/realtime/presence.js';
import {
  accountContacts,
  CONTACTS_PER_PAGE,
  findContact,
  findOrCreateContactInbox,
  isResolved,
  pageOf,
  resolvedCount,
  SEARCH_DOCUMENT,
  withAnyLabel,
  withContactInboxes,
} from './queries.js';
import { contactErrors, normaliseContactInput, uniqueFieldOf, type ContactInput } from './validate.js';
import type { ContactBody, ListQuery } from './schemas.js';

export interface ContactPage {
  views: ContactView[];
  count: number;
  hasMore?: boolean;
}

/** `include_contact_inboxes`: on unless given as anything but "true" (Chatwoot's reading). */
export const includesInboxes = (raw: string | undefined) => raw === undefined || raw === 'true';

async function render(ctx: AccountCtx, contacts: Contact[], withInboxes: boolean): Promise<ContactView[]> {
  const [views, online] = await Promise.all([
    withInboxes ? withContactInboxes(ctx.db, contacts) : contacts.map((contact) => ({ contact })),
    onlineContacts(
      ctx.db,
      contacts.map((c) => c.id),
    ),
  ]);
  const companies = companiesShown(ctx);
  return views.map((view) => ({ ...view, online: online.has(view.contact.id), companies }));
}

/** `company_id if Current.account&.feature_enabled?('companies')` in the contact partial. */
export const companiesShown = (ctx: AccountCtx) => featureEnabled(ctx.account.features, 'companies');

export async function fetchContact(ctx: AccountCtx, rawId: unknown): Promise<Contact> {
  const id = parseId(rawId);
  const contact = id === undefined ? undefined : await findContact(ctx.db, ctx.account.id, id);
  if (!contact) throw recordNotFound();
  return contact;
}

export async function viewOf(ctx: AccountCtx, contact: Contact, withInboxes = true): Promise<ContactView> {
  return (await render(ctx, [contact], withInboxes))[0]!;
}

/** GET /contacts: resolved contacts, 15 a page, optionally only those with any of `labels`. */
export async function listContacts(ctx: AccountCtx, query: ListQuery): Promise<ContactPage> {
  const labels = query.labels ?? [];
  const scope = withAnyLabel(accountContacts(ctx.db, ctx.account.id).where(isResolved), labels);
  // without labels the count is the account's resolved contacts, which the database keeps counted
  const counted = labels.length === 0 ? () => resolvedCount(ctx.db, ctx.account.id) : undefined;
  const { contacts, count } = await pageOf(scope, query.page ?? 1, query.sort, counted);
  return { views: await render(ctx, contacts, includesInboxes(query.include_contact_inboxes)), count };
}

/** GET /contacts/active: the account's contacts seen on a socket within the presence timeout, 15 a page. */
export async function activeContacts(ctx: AccountCtx, query: ListQuery): Promise<ContactPage> {
  const online = [...(await presentIds(ctx.db, ctx.account.id, 'Contact'))];
  if (online.length === 0) return { views: [], count: 0 };
  const { contacts, count } = await pageOf(
    accountContacts(ctx.db, ctx.account.id).where('contacts.id', 'in', online),
    query.page ?? 1,
    query.sort,
  );
  return { views: await render(ctx, contacts, includesInboxes(query.include_contact_inboxes)), count };
}

/**
 * GET /contacts/search: substring match over name, email, phone and identifier (the trigram index
 * serves it). Like newer Chatwoot it pages with a look-ahead row instead of counting every match.
 */
export async function searchContacts(ctx: AccountCtx, query: ListQuery & { q?: string }): Promise<ContactPage> {
  const q = query.q?.trim();
  if (!q) throw new AppError('unprocessable', 422, { error: 'Specify search string with parameter q' });
  const page = query.page ?? 1;
  const rows = await accountContacts(ctx.db, ctx.account.id)
    .where(containsText(SEARCH_DOCUMENT, q))
    .orderBy('contacts.id')
    .limit(CONTACTS_PER_PAGE + 1)
    .offset((page - 1) * CONTACTS_PER_PAGE)
    .execute();
  const contacts = rows.slice(0, CONTACTS_PER_PAGE);
  return {
    views: await render(ctx, contacts, includesInboxes(query.include_contact_inboxes)),
    count: contacts.length,
    hasMore: rows.length > CONTACTS_PER_PAGE,
  };
}

/** POST /contacts/filter: Chatwoot's filter payload over resolved contacts. */
export async function filterContacts(
  ctx: AccountCtx,
  payload: FilterCondition[],
  query: ListQuery,
): Promise<ContactPage> {
  const customs = await filterableAttributes(ctx.db, ctx.account.id, CONTACT_FILTERS.attributeModel);
  const condition = compileFilter(CONTACT_FILTERS, payload, customs);
  const scope = accountContacts(ctx.db, ctx.account.id).where(isResolved).where(condition);
  const { contacts, count } = await pageOf(scope, query.page ?? 1, query.sort);
  return { views: await render(ctx, contacts, includesInboxes(query.include_contact_inboxes)), count };
}

/** Unique per account: email (case-insensitively, stored lowercase), phone number, identifier. */
async function uniquenessErrors(
  db: Db,
  accountId: number,
  input: ContactInput,
  exceptId?: number,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  for (const field of ['email', 'phone_number', 'identifier'] as const) {
    const value = input[field];
    if (!value) continue;
    let query = db.selectFrom('contacts').select('id').where('account_id', '=', accountId).where(field, '=', value);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    if (await query.executeTakeFirst()) errors.push({ attribute: field, message: 'has already been taken' });
  }
  return errors;
}

async function validate(ctx: AccountCtx, input: ContactInput, exceptId?: number) {
  const errors = contactErrors(input);
  if (errors.length) throw validationFailed(errors);
  const taken = await uniquenessErrors(ctx.db, ctx.account.id, input, exceptId);
  if (taken.length) throw validationFailed(taken);
}

/** Chatwoot's SyncAttributes: a visitor with an email, phone or identifier becomes a lead. */
const contactTypeFor = (current: number, contact: ContactInput) =>
  current === 0 && (contact.email || contact.phone_number || contact.identifier) ? 1 : current;

export interface CreatedContact {
  contact: Contact;
  contactInbox?: { contactInbox: ContactInbox; inbox: Inbox };
}

/**
 * POST /contacts: the contact and, with inbox_id, its contact inbox, in one transaction with its
 * contact.created (Contact#dispatch_create_event) and the deliveries that event causes.
 */
export async function createContact(ctx: AccountCtx, body: ContactBody): Promise<CreatedContact> {
  const input = normaliseContactInput(body);
  await validate(ctx, input);
  const inboxId = body.inbox_id === undefined || body.inbox_id === null ? undefined : (parseId(body.inbox_id) ?? 0);
  // the pre-check can lose a race; the unique indexes answer the same way
  return takenAs(uniqueFieldOf, () =>
    transactionally(ctx, async (tx, batch) => {
      const inbox =
        inboxId === undefined
          ? undefined
          : await tx
              .selectFrom('inboxes')
              .selectAll()
              .where('account_id', '=', ctx.account.id)
              .where('id', '=', inboxId)
              .executeTakeFirst();
      if (inboxId !== undefined && !inbox) throw recordNotFound();
      const inserted = await tx
        .insertInto('contacts')
        .values({
          account_id: ctx.account.id,
          name: input.name ?? '',
          email: input.email ?? null,
          phone_number: input.phone_number ?? null,
          identifier: input.identifier ?? null,
          blocked: body.blocked ?? false,
          contact_type: contactTypeFor(0, input),
          additional_attributes: JSON.stringify(body.additional_attributes ?? {}),
          custom_attributes: JSON.stringify(body.custom_attributes ?? {}),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      // Enterprise::Concerns::Contact#associate_company_from_email, in this write's transaction
      const contact = await linkCompanyByEmail(tx, { previousEmail: null, contact: inserted });
      // Chatwoot fetches avatar_url in a job and attaches the image; the URL itself is not shown
      await queueAvatarFromUrl(tx, { owner: 'contacts', id: contact.id, accountId: ctx.account.id }, body.avatar_url);
      batch.emit('contact.created', { accountId: ctx.account.id, contactId: contact.id, performer: performerOf(ctx) });
      if (!inbox) return { contact };
      return {
        contact,
        contactInbox: { contactInbox: await findOrCreateContactInbox(tx, contact.id, inbox.id, body.source_id), inbox },
      };
    }),
  );
}

/**
 * PATCH /contacts/:id: attributes given are set; custom and additional attributes are merged. The
 * row is read again under a lock in the transaction, so the merge and the changes contact_updated
 * reports are against the row as it was just before this write.
 */
export async function updateContact(ctx: AccountCtx, rawId: string, body: ContactBody): Promise<Contact> {
  const found = await fetchContact(ctx, rawId);
  const input = normaliseContactInput(body);
  await validate(ctx, input, found.id);
  return takenAs(uniqueFieldOf, () =>
    transactionally(ctx, async (tx, batch) => {
      const current = await tx
        .selectFrom('contacts')
        .selectAll()
        .where('account_id', '=', ctx.account.id)
        .where('id', '=', found.id)
        .forUpdate()
        .executeTakeFirst();
      if (!current) throw recordNotFound();
      const written = await tx
        .updateTable('contacts')
        .set({
          ...(input.name !== undefined && { name: input.name ?? '' }),
          ...(input.email !== undefined && { email: input.email }),
          ...(input.phone_number !== undefined && { phone_number: input.phone_number }),
          ...(input.identifier !== undefined && { identifier: input.identifier }),
          ...(body.blocked !== undefined && { blocked: body.blocked }),
          ...(body.custom_attributes !== undefined && {
            custom_attributes: JSON.stringify({ ...current.custom_attributes, ...body.custom_attributes }),
          }),
          ...(body.additional_attributes !== undefined && {
            additional_attributes: JSON.stringify({ ...current.additional_attributes, ...body.additional_attributes }),
          }),
          contact_type: contactTypeFor(current.contact_type, { ...current, ...input }),
          updated_at: new Date(),
        })
        .where('id', '=', current.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const updated = await linkCompanyByEmail(tx, { previousEmail: current.email, contact: written });
      await queueAvatarFromUrl(tx, { owner: 'contacts', id: current.id, accountId: ctx.account.id }, body.avatar_url);
      // Contact#dispatch_update_event: realtime contact.updated, and contact_updated webhooks when something changed
      batch.emit('contact.updated', {
        accountId: ctx.account.id,
        contactId: updated.id,
        performer: performerOf(ctx),
        changes: rowChanges(current, updated),
        loaded: updated,
      });
      return updated;
    }),
  );
}

/** DELETE /contacts/:id (administrators): the contact with its inboxes, notes and labels. */
export async function deleteContact(ctx: AccountCtx, rawId: string): Promise<void> {
  const contact = await fetchContact(ctx, rawId);
  requireAdministrator(ctx);
  if ((await onlineContacts(ctx.db, [contact.id])).has(contact.id)) {
    throw new AppError('unprocessable', 422, { message: `${contact.name} is Online, please try again later` });
  }
  await transactionally(ctx, (tx, batch) => removeContact({ ctx, tx, batch }, { contact }));
}

/** Deletes a contact with its labels (and, by the foreign keys, its inboxes, notes and conversations). */
export async function removeContact({ ctx, tx, batch }: AccountWork, { contact }: { contact: Contact }): Promise<void> {
  await tx
    .deleteFrom('taggings')
    .where('taggable_type', '=', 'Contact')
    .where('taggable_id', '=', contact.id)
    .execute();
  const gone = await tx
    .deleteFrom('contacts')
    .where('id', '=', contact.id)
    .where('account_id', '=', ctx.account.id)
    .returning('id')
    .executeTakeFirst();
  // deleted meanwhile (a bulk deletion retried, two requests at once): nothing to announce
  if (!gone) return;
  // the row is gone once listeners run: its push data travels with the event
  batch.emit('contact.deleted', {
    accountId: ctx.account.id,
    contactId: contact.id,
    performer: performerOf(ctx),
    snapshot: contactPushJson(contact),
  });
}

/** POST /contacts/:id/destroy_custom_attributes: drops the named keys. */
export async function dropCustomAttributes(ctx: AccountCtx, rawId: string, keys: string[]): Promise<Contact> {
  const contact = await fetchContact(ctx, rawId);
  const remaining = Object.fromEntries(
    Object.entries(contact.custom_attributes).filter(([key]) => !keys.includes(key)),
  );
  return ctx.db
    .updateTable('contacts')
    .set({ custom_attributes: JSON.stringify(remaining), updated_at: new Date() })
    .where('id', '=', contact.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
