// A contact's labels: GET and POST /contacts/:contact_id/labels.
import type { AccountCtx } from '../../core/http/account-scope.js';
import { labelsOf, replaceLabels } from '../labels/taggings.js';
import { fetchContact } from './service.js';

export async function contactLabels(ctx: AccountCtx, contactId: string): Promise<string[]> {
  return labelsOf(ctx.db, 'Contact', (await fetchContact(ctx, contactId)).id);
}

/** POST /contacts/:id/labels replaces the whole list. */
export async function setContactLabels(ctx: AccountCtx, contactId: string, labels: string[]): Promise<string[]> {
  const contact = await fetchContact(ctx, contactId);
  await ctx.db
    .transaction()
    .execute((tx) =>
      replaceLabels(tx, { accountId: ctx.account.id, taggableType: 'Contact', taggableId: contact.id, labels }),
    );
  return labelsOf(ctx.db, 'Contact', contact.id);
}
