import { transactionally } from '../../core/events/bus.js';
import type { Contact } from '../../core/db/schema.js';
import { rowChanges } from '../../core/db/row-changes.js';
import { recordNotFound } from '../../core/errors.js';
import { performerOf, type AccountCtx } from '../../core/http/account-scope.js';
import { contactPushJson } from '../../serializers/message.js';
import { fetchContact } from './service.js';
import { linkCompanyByEmail } from '../companies/link-contact.js';

type MergeField = 'identifier' | 'name' | 'email' | 'phone_number';
const FIELDS: MergeField[] = ['identifier', 'name', 'email', 'phone_number'];

const present = (value: unknown) => value !== null && value !== undefined && value !== '';

/** Deep merge where `base` wins and blanks in it are filled from `other` (compact_blank.deep_merge). */
function mergeAttributes(base: Record<string, unknown>, other: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(other).filter(([, v]) => present(v)));
  for (const [key, value] of Object.entries(base)) {
    if (!present(value)) continue;
    const theirs = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      theirs &&
      typeof theirs === 'object' &&
      !Array.isArray(theirs)
        ? mergeAttributes(value as Record<string, unknown>, theirs as Record<string, unknown>)
        : value;
  }
  return out;
}

/**
 * POST /actions/contact_merge (Chatwoot's ContactMergeAction): the mergee's contact inboxes,
 * notes and labels move to the base contact, its fields fill the base's blanks, and it is
 * deleted — all in one transaction. Its conversations, and the messages it sent, move to the base.
 * The events (the mergee's contact.deleted, contact.merged, and the base's contact.updated, as
 * Chatwoot's `base_contact.update!` dispatches it) and what their listeners write commit in the
 * same transaction.
 */
export async function mergeContacts(ctx: AccountCtx, baseRaw: unknown, mergeeRaw: unknown): Promise<Contact> {
  const found = await fetchContact(ctx, baseRaw);
  const foundMergee = await fetchContact(ctx, mergeeRaw);
  if (found.id === foundMergee.id) return found;
  return transactionally(ctx, async (tx, batch) => {
    // both rows as they are now, locked: the merge and the changes it reports start from them
    const locked = await tx
      .selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', ctx.account.id)
      .where('id', 'in', [found.id, foundMergee.id])
      .orderBy('id')
      .forUpdate()
      .execute();
    const base = locked.find((c) => c.id === found.id);
    const mergee = locked.find((c) => c.id === foundMergee.id);
    if (!base || !mergee) throw recordNotFound();
    await tx.updateTable('contact_inboxes').set({ contact_id: base.id }).where('contact_id', '=', mergee.id).execute();
    await tx.updateTable('notes').set({ contact_id: base.id }).where('contact_id', '=', mergee.id).execute();
    await tx
      .updateTable('conversations')
      .set({ contact_id: base.id })
      .where('account_id', '=', ctx.account.id)
      .where('contact_id', '=', mergee.id)
      .execute();
    await tx
      .updateTable('messages')
      .set({ sender_id: base.id })
      .where('account_id', '=', ctx.account.id)
      .where('sender_type', '=', 'Contact')
      .where('sender_id', '=', mergee.id)
      .execute();
    await tx
      .insertInto('taggings')
      .columns(['account_id', 'taggable_type', 'taggable_id', 'name'])
      .expression((eb) =>
        eb
          .selectFrom('taggings')
          .select([
            eb.val(ctx.account.id).as('account_id'),
            eb.val('Contact').as('taggable_type'),
            eb.val(base.id).as('taggable_id'),
            'name',
          ])
          .where('taggable_type', '=', 'Contact')
          .where('taggable_id', '=', mergee.id),
      )
      .onConflict((oc) => oc.columns(['taggable_type', 'taggable_id', 'name']).doNothing())
      .execute();
    await tx
      .deleteFrom('taggings')
      .where('taggable_type', '=', 'Contact')
      .where('taggable_id', '=', mergee.id)
      .execute();
    // the mergee goes first so its email, phone and identifier are free for the base to take
    await tx.deleteFrom('contacts').where('id', '=', mergee.id).execute();
    const fields = Object.fromEntries(FIELDS.map((f) => [f, present(base[f]) ? base[f] : mergee[f]]));
    const written = await tx
      .updateTable('contacts')
      .set({
        ...fields,
        name: (fields.name as string | null) ?? '',
        additional_attributes: JSON.stringify(
          mergeAttributes(base.additional_attributes, mergee.additional_attributes),
        ),
        custom_attributes: JSON.stringify(mergeAttributes(base.custom_attributes, mergee.custom_attributes)),
        last_activity_at:
          [base.last_activity_at, mergee.last_activity_at]
            .filter(Boolean)
            .map((d) => new Date(d!))
            .sort((a, b) => b.getTime() - a.getTime())[0] ?? null,
        updated_at: new Date(),
      })
      .where('id', '=', base.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // the base may take the mergee's email as its first: its company follows, as on any contact write
    const merged = await linkCompanyByEmail(tx, { previousEmail: base.email, contact: written });
    batch.emit('contact.deleted', {
      accountId: ctx.account.id,
      contactId: mergee.id,
      performer: performerOf(ctx),
      snapshot: contactPushJson(mergee),
    });
    batch.emit('contact.merged', { accountId: ctx.account.id, contactId: merged.id, performer: performerOf(ctx) });
    batch.emit('contact.updated', {
      accountId: ctx.account.id,
      contactId: merged.id,
      performer: performerOf(ctx),
      changes: rowChanges(base, merged),
      loaded: merged,
    });
    return merged;
  });
}
