import { AppError, recordNotFound, validationFailed, type FieldError } from '../../core/errors.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { isBlank } from '../../core/http/values.js';
import { takenAs } from '../../core/db/unique.js';
import type { Portal, PortalConfig } from '../../core/db/schema.js';
import { transactionally } from '../../core/events/bus.js';
import { allowedLocales, defaultLocale, draftLocales, type PortalView } from '../../serializers/portal.js';
import { findPortal, portalView, portalViews } from './portal-queries.js';
import type { PortalFields } from './schemas.js';

/** Portal::CONFIG_JSON_KEYS: what `config` may hold. */
const CONFIG_KEYS = new Set([
  'allowed_locales',
  'default_locale',
  'draft_locales',
  'website_token',
  'social_profiles',
  'layout',
  'locale_translations',
  'popular_content',
  'analytics',
  'visibility',
]);
const COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

export const callerId = (ctx: AccountCtx) => (ctx.actor.kind === 'user' ? ctx.actor.user.id : undefined);

/** Portal#normalize_config: the stored config merged with the given keys, locales normalised. */
function normalizedConfig(persisted: PortalConfig, given: PortalFields['config']): PortalConfig {
  const merged: PortalConfig = { ...persisted, ...given };
  return {
    ...merged,
    allowed_locales: allowedLocales({ config: merged }),
    default_locale: defaultLocale({ config: merged }),
    draft_locales: draftLocales({ config: merged }),
  };
}

const text = (value: string | null | undefined) => (value === undefined ? undefined : isBlank(value) ? null : value);
const flag = (value: boolean | string | undefined) =>
  value === undefined ? undefined : value === true || value === 'true' || value === '1';

/** `parsed_custom_domain` (create only): a URL is reduced to its host. */
function hostOf(domain: string): string {
  if (!/^https?:\/\//i.test(domain)) return domain;
  try {
    return new URL(domain).hostname || domain;
  } catch {
    return domain;
  }
}

/** Portal's validations, as field errors; the columns to write. */
function portalColumns(fields: PortalFields, existing: Portal | undefined) {
  const errors: FieldError[] = [];
  const name = fields.name === undefined ? undefined : (fields.name ?? '');
  const slug = fields.slug === undefined ? undefined : (fields.slug ?? '');
  if ((existing === undefined || name !== undefined) && isBlank(name))
    errors.push({ attribute: 'name', message: "can't be blank" });
  if ((existing === undefined || slug !== undefined) && isBlank(slug))
    errors.push({ attribute: 'slug', message: "can't be blank" });
  if (fields.color && !COLOR.test(fields.color)) errors.push({ attribute: 'color', message: 'is invalid' });
  const config = normalizedConfig(existing?.config ?? {}, fields.config);
  const denied = Object.keys(config).filter((key) => !CONFIG_KEYS.has(key));
  if (denied.length)
    errors.push({ attribute: 'config', message: `in portal on ${denied.join(',')} is not supported.` });
  if (config.draft_locales?.includes(config.default_locale!))
    errors.push({ attribute: 'config', message: 'default locale cannot be drafted.' });
  let customDomain = text(fields.custom_domain);
  if (customDomain && existing === undefined) customDomain = hostOf(customDomain);
  const columns = {
    ...(name !== undefined && { name }),
    ...(slug !== undefined && { slug }),
    ...(fields.color !== undefined && { color: text(fields.color) }),
    ...(customDomain !== undefined && { custom_domain: customDomain }),
    ...(fields.header_text !== undefined && { header_text: fields.header_text }),
    ...(fields.homepage_link !== undefined && { homepage_link: text(fields.homepage_link) }),
    ...(fields.page_title !== undefined && { page_title: fields.page_title }),
    ...(fields.archived !== undefined && { archived: flag(fields.archived)! }),
    config: JSON.stringify(config),
  };
  return { columns, errors };
}

/** The violated unique index's attribute. */
const portalConflict = (error: unknown) =>
  String((error as { constraint?: string }).constraint ?? '').includes('custom_domain') ? 'custom_domain' : 'slug';

/** A blob of this account (POST /upload) as the portal's logo. */
async function logoColumns(ctx: AccountCtx, rawBlobId: string | number | null | undefined) {
  if (rawBlobId === undefined || rawBlobId === null || rawBlobId === '') return {};
  const id = parseId(rawBlobId);
  const blob =
    id === undefined
      ? undefined
      : await ctx.db
          .selectFrom('blobs')
          .select(['id', 'key', 'filename'])
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', id)
          .executeTakeFirst();
  if (!blob) throw validationFailed([{ attribute: 'logo', message: 'must exist' }]);
  return { avatar_blob_id: blob.id, avatar_url: ctx.storage.fileUrl(blob.key, blob.filename) };
}

/** GET /portals: any member (PortalPolicy#index?). */
export async function listPortals(ctx: AccountCtx): Promise<PortalView[]> {
  const portals = await ctx.db
    .selectFrom('portals')
    .selectAll()
    .where('account_id', '=', ctx.account.id)
    .orderBy('id')
    .execute();
  return portalViews(ctx.db, portals);
}

/** GET /portals/:slug: any member; the article counts of one locale with `?locale=`. */
export async function getPortal(ctx: AccountCtx, slug: string, locale?: string): Promise<PortalView> {
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  return portalView(ctx.db, portal, { locale: locale || undefined, userId: callerId(ctx) });
}

export async function createPortal(ctx: AccountCtx, fields: PortalFields, blobId?: string | number | null) {
  requireAdministrator(ctx);
  const { columns, errors } = portalColumns(fields, undefined);
  if (errors.length) throw validationFailed(errors);
  const logo = await logoColumns(ctx, blobId);
  const portal = await takenAs(portalConflict, () =>
    transactionally(ctx, (tx) =>
      tx
        .insertInto('portals')
        .values({ account_id: ctx.account.id, name: columns.name!, slug: columns.slug!, ...columns, ...logo })
        .returningAll()
        .executeTakeFirstOrThrow(),
    ),
  );
  return portalView(ctx.db, portal, { userId: callerId(ctx) });
}

/**
 * PATCH /portals/:slug: administrators. Upstream rescues a failed update and answers 422 with
 * the errors by attribute (`{ error: { slug: ["has already been taken"] } }`).
 */
export async function updatePortal(
  ctx: AccountCtx,
  slug: string,
  fields: PortalFields,
  blobId?: string | number | null,
) {
  requireAdministrator(ctx);
  const existing = await findPortal(ctx.db, ctx.account.id, slug);
  const { columns, errors } = portalColumns(fields, existing);
  const refuse = (list: FieldError[]) => {
    const byAttribute: Record<string, string[]> = {};
    for (const e of list) byAttribute[e.attribute] = [...(byAttribute[e.attribute] ?? []), e.message];
    return new AppError('unprocessable', 422, { error: byAttribute });
  };
  if (errors.length) throw refuse(errors);
  const logo = await logoColumns(ctx, blobId);
  try {
    const portal = await takenAs(portalConflict, () =>
      transactionally(ctx, async (tx) => {
        const row = await tx
          .updateTable('portals')
          .set({ ...columns, ...logo, updated_at: new Date() })
          .where('account_id', '=', ctx.account.id)
          .where('id', '=', existing.id)
          .returningAll()
          .executeTakeFirst();
        if (!row) throw recordNotFound();
        return row;
      }),
    );
    return portalView(ctx.db, portal, { userId: callerId(ctx) });
  } catch (error) {
    const body = (error as AppError).body as { attributes?: string[] } | undefined;
    if (error instanceof AppError && error.code === 'validation_failed' && body?.attributes)
      throw refuse(body.attributes.map((attribute) => ({ attribute, message: 'has already been taken' })));
    throw error;
  }
}

/** DELETE /portals/:slug: administrators; its categories and articles go with it, and its logo. */
export async function deletePortal(ctx: AccountCtx, slug: string): Promise<void> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  const key = await transactionally(ctx, async (tx) => {
    await tx.deleteFrom('portals').where('account_id', '=', ctx.account.id).where('id', '=', portal.id).execute();
    if (portal.avatar_blob_id === null) return undefined;
    const blob = await tx
      .deleteFrom('blobs')
      .where('id', '=', portal.avatar_blob_id)
      .returning('key')
      .executeTakeFirst();
    return blob?.key;
  });
  if (key) await ctx.storage.remove(key).catch(() => undefined);
}

/** PATCH /portals/:slug/archive: administrators; the portal's public pages go away. */
export async function archivePortal(ctx: AccountCtx, slug: string): Promise<void> {
  requireAdministrator(ctx);
  const portal = await findPortal(ctx.db, ctx.account.id, slug);
  await transactionally(ctx, (tx) =>
    tx
      .updateTable('portals')
      .set({ archived: true, updated_at: new Date() })
      .where('account_id', '=', ctx.account.id)
      .where('id', '=', portal.id)
      .execute(),
  );
}

/** The portal a logo route acts on, checked for the caller's role first (as the before_actions run). */
export async function portalForLogo(ctx: AccountCtx, slug: string): Promise<Portal> {
  requireAdministrator(ctx);
  return findPortal(ctx.db, ctx.account.id, slug);
}
