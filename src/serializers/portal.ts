// Mirrors app/views/api/v1/accounts/portals/_portal.json.jbuilder (with api/v1/models/_portal_config):
// the portal, its locales with their article and category counts, its logo, and the article counts
// of `meta` (nil in the index, where upstream renders the partial without articles).
import { Type, type Static } from 'typebox';
import type { Blob, Portal } from '../core/db/schema.js';
import { NullableInteger, NullableString } from '../core/http/schemas.js';

/** Portal::DEFAULT_COLOR, what `portal.color` answers when none is stored. */
export const DEFAULT_PORTAL_COLOR = '#1f93ff';

const LocaleSchema = Type.Object({
  code: Type.String(),
  articles_count: Type.Integer(),
  categories_count: Type.Integer(),
  draft: Type.Boolean(),
});

const LogoSchema = Type.Object({
  id: Type.Integer(),
  portal_id: Type.Integer(),
  file_type: Type.String(),
  account_id: Type.Integer(),
  file_url: Type.String(),
  blob_id: Type.Integer(),
  filename: Type.String(),
});

export const PortalSchema = Type.Object(
  {
    id: Type.Integer(),
    color: Type.String(),
    custom_domain: NullableString(),
    header_text: NullableString(),
    homepage_link: NullableString(),
    name: Type.String(),
    page_title: NullableString(),
    slug: Type.String(),
    archived: Type.Boolean(),
    account_id: Type.Integer(),
    config: Type.Object({
      allowed_locales: Type.Array(LocaleSchema),
      default_locale: Type.String(),
      draft_locales: Type.Array(Type.String()),
    }),
    logo: Type.Optional(LogoSchema),
    meta: Type.Object({
      all_articles_count: NullableInteger(),
      archived_articles_count: NullableInteger(),
      published_count: NullableInteger(),
      draft_articles_count: NullableInteger(),
      mine_articles_count: Type.Optional(Type.Integer()),
      categories_count: Type.Integer(),
      default_locale: Type.String(),
    }),
  },
  { title: 'Portal' },
);
export type PortalJson = Static<typeof PortalSchema>;

/** Article counts by status (of the portal, or of one of its locales). */
export interface ArticleCounts {
  all: number;
  archived: number;
  published: number;
  draft: number;
  /** The caller's own articles; absent when there is no caller or no article. */
  mine?: number;
}

export interface PortalView {
  portal: Portal;
  logo: Blob | null;
  logoUrl: string | null;
  locales: Array<{ code: string; articles_count: number; categories_count: number; draft: boolean }>;
  categoriesCount: number;
  /** null in the index (upstream passes no articles there). */
  counts: ArticleCounts | null;
}

/** Portal#allowed_locale_codes: the configured locales, else the default locale, else 'en'. */
export function allowedLocales(portal: Pick<Portal, 'config'>): string[] {
  const listed = [...new Set((portal.config.allowed_locales ?? []).filter((code) => typeof code === 'string' && code))];
  return listed.length ? listed : [portal.config.default_locale || 'en'];
}

/** Portal#default_locale. */
export function defaultLocale(portal: Pick<Portal, 'config'>): string {
  return portal.config.default_locale || allowedLocales(portal)[0] || 'en';
}

/** Portal#draft_locale_codes: allowed locales the portal keeps unpublished. */
export function draftLocales(portal: Pick<Portal, 'config'>): string[] {
  const drafted = new Set(portal.config.draft_locales ?? []);
  return allowedLocales(portal).filter((code) => drafted.has(code));
}

export function portalJson(view: PortalView): PortalJson {
  const { portal, logo, counts } = view;
  const locale = defaultLocale(portal);
  return {
    id: portal.id,
    color: portal.color || DEFAULT_PORTAL_COLOR,
    custom_domain: portal.custom_domain,
    header_text: portal.header_text,
    homepage_link: portal.homepage_link,
    name: portal.name,
    page_title: portal.page_title,
    slug: portal.slug,
    archived: portal.archived,
    account_id: portal.account_id,
    config: { allowed_locales: view.locales, default_locale: locale, draft_locales: draftLocales(portal) },
    ...(logo &&
      view.logoUrl && {
        logo: {
          id: logo.id,
          portal_id: portal.id,
          file_type: logo.content_type,
          account_id: portal.account_id,
          file_url: view.logoUrl,
          blob_id: logo.id,
          filename: logo.filename,
        },
      }),
    meta: {
      all_articles_count: counts?.all ?? null,
      archived_articles_count: counts?.archived ?? null,
      published_count: counts?.published ?? null,
      draft_articles_count: counts?.draft ?? null,
      ...(counts?.mine !== undefined && { mine_articles_count: counts.mine }),
      categories_count: view.categoriesCount,
      default_locale: locale,
    },
  };
}
