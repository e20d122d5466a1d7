import type { Inbox, Webhook, WebhookDelivery } from '../../core/db/schema.js';
import { takenAs } from '../../core/db/unique.js';
import { recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { generateSecureToken } from '../../core/tokens/secure-token.js';
import { queueDelivery } from './receivers.js';
import type { WebhookFields } from './schemas.js';
import { parseWebhookUrl } from '../../core/webhooks/ssrf-guard.js';

/** Webhook::ALLOWED_WEBHOOK_EVENTS (app/models/webhook.rb). */
export const ALLOWED_WEBHOOK_EVENTS = [
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
  'inbox_created',
  'inbox_updated',
  'conversation_typing_on',
  'conversation_typing_off',
] as const;
/** The subscriptions column's default in Chatwoot's schema. */
const DEFAULT_SUBSCRIPTIONS = [
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'message_created',
  'message_updated',
  'webwidget_triggered',
];

async function fetchWebhook(ctx: AccountCtx, rawId: string): Promise<Webhook> {
  const id = parseId(rawId);
  const webhook =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('webhooks')
          .selectAll()
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!webhook) throw recordNotFound();
  return webhook;
}

async function inboxOf(ctx: AccountCtx, id: number | null): Promise<Inbox | undefined> {
  if (id === null) return undefined;
  return ctx.db
    .selectFrom('inboxes')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface WebhookWithInbox {
  webhook: Webhook;
  inbox: Inbox | undefined;
}

/** Validates as the model does: http(s) url, non-empty subscriptions ⊆ allowed, inbox of the account. */
async function columnsOf(ctx: AccountCtx, fields: WebhookFields, current?: Webhook) {
  const errors: FieldError[] = [];
  const url = fields.url ?? current?.url;
  if (!url?.trim()) errors.push({ attribute: 'url', message: "can't be blank" });
  else {
    try {
      parseWebhookUrl(url);
    } catch {
      errors.push({ attribute: 'url', message: 'is invalid' });
    }
  }
  const subscriptions = fields.subscriptions ?? current?.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  if (
    subscriptions.length === 0 ||
    subscriptions.some((s) => !(ALLOWED_WEBHOOK_EVENTS as readonly string[]).includes(s))
  ) {
    errors.push({ attribute: 'subscriptions', message: 'Invalid events' });
  }
  let inboxId = current?.inbox_id ?? null;
  if (fields.inbox_id !== undefined) {
    // JSON null may arrive coerced to 0 or ''; all mean account-wide
    inboxId = !fields.inbox_id ? null : (parseId(fields.inbox_id) ?? -1);
    if (inboxId !== null && !(await inboxOf(ctx, inboxId))) errors.push({ attribute: 'inbox', message: 'must exist' });
  }
  if (errors.length) throw validationFailed(errors);
  return {
    url: url!.trim(),
    subscriptions: JSON.stringify([...new Set(subscriptions)]),
    inbox_id: inboxId,
    webhook_type: inboxId === null ? 0 : 1,
    ...(fields.name !== undefined ? { name: fields.name } : {}),
  };
}

const withInbox = async (ctx: AccountCtx, webhook: Webhook): Promise<WebhookWithInbox> => ({
  webhook,
  inbox: await inboxOf(ctx, webhook.inbox_id),
});

export async function listWebhooks(ctx: AccountCtx): Promise<WebhookWithInbox[]> {
  requireAdministrator(ctx);
  const webhooks = await ctx.db
    .selectFrom('webhooks')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .orderBy('id')
    .execute();
  const inboxIds = [...new Set(webhooks.map((w) => w.inbox_id).filter((id): id is number => id !== null))];
  const inboxes = inboxIds.length
    ? await ctx.db.selectFrom('inboxes').selectAll().where('id', 'in', inboxIds).execute()
    : [];
  return webhooks.map((webhook) => ({ webhook, inbox: inboxes.find((i) => i.id === webhook.inbox_id) }));
}

export async function createWebhook(ctx: AccountCtx, fields: WebhookFields): Promise<WebhookWithInbox> {
  requireAdministrator(ctx);
  const columns = await columnsOf(ctx, fields);
  const webhook = await takenAs('url', () =>
    ctx.db
      .insertInto('webhooks')
      .values({ account_id: ctx.account.id, secret: generateSecureToken(32), ...columns })
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return withInbox(ctx, webhook);
}

export async function updateWebhook(ctx: AccountCtx, rawId: string, fields: WebhookFields): Promise<WebhookWithInbox> {
  requireAdministrator(ctx);
  const current = await fetchWebhook(ctx, rawId);
  const columns = await columnsOf(ctx, fields, current);
  const webhook = await takenAs('url', () =>
    ctx.db
      .updateTable('webhooks')
      .set({ ...columns, updated_at: new Date() })
      .where('id', '=', current.id)
      .returningAll()
      .executeTakeFirstOrThrow(),
  );
  return withInbox(ctx, webhook);
}

export async function deleteWebhook(ctx: AccountCtx, rawId: string): Promise<void> {
  requireAdministrator(ctx);
  const webhook = await fetchWebhook(ctx, rawId);
  await ctx.db.deleteFrom('webhooks').where('id', '=', webhook.id).execute();
}

/** A new signing secret; deliveries still pending are signed with it from their next try. */
export async function rotateWebhookSecret(ctx: AccountCtx, rawId: string): Promise<WebhookWithInbox> {
  requireAdministrator(ctx);
  const current = await fetchWebhook(ctx, rawId);
  const webhook = await ctx.db
    .updateTable('webhooks')
    .set({ secret: generateSecureToken(32), updated_at: new Date() })
    .where('id', '=', current.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return withInbox(ctx, webhook);
}

/** The webhook's deliveries, newest first, 50 a page. */
export async function listDeliveries(ctx: AccountCtx, rawId: string, page = 1): Promise<WebhookDelivery[]> {
  requireAdministrator(ctx);
  const webhook = await fetchWebhook(ctx, rawId);
  return ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('webhook_id', '=', webhook.id)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(50)
    .offset((Math.max(1, page) - 1) * 50)
    .execute();
}

/** Sends a delivery's body again, as a new delivery (its own id and tries) that points back at the original. */
export async function redeliver(ctx: AccountCtx, rawId: string, deliveryId: string): Promise<WebhookDelivery> {
  requireAdministrator(ctx);
  const webhook = await fetchWebhook(ctx, rawId);
  if (!/^[0-9a-f-]{36}$/i.test(deliveryId)) throw recordNotFound();
  const original = await ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .where('webhook_id', '=', webhook.id)
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!original) throw recordNotFound();
  return ctx.db.transaction().execute(async (tx) => {
    const id = await queueDelivery(tx, {
      accountId: ctx.account.id,
      receiver: { kind: 'account_webhook', url: webhook.url, webhookId: webhook.id },
      event: original.event,
      payload: original.payload,
      messageId: original.message_id,
      redeliveryOf: original.id,
    });
    return tx.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  });
}
