// The help center's paths under /app, as Chatwoot's helpcenter.routes.js lays them out:
//   /accounts/:account/portals                                  the portals
//   /accounts/:account/portals/:portal/settings                 a portal's settings
//   /accounts/:account/portals/:portal/:locale/categories       its categories in one locale
//   /accounts/:account/portals/:portal/:locale/articles[/:tab]  its articles (tab: mine, draft, published, archived)
//   /accounts/:account/portals/:portal/:locale/articles/new     a new article
//   /accounts/:account/portals/:portal/:locale/articles/edit/:id
// Kept apart from the screens so that the shell can match a path without loading them.

export const ARTICLE_TABS = ['all', 'mine', 'draft', 'published', 'archived'] as const;
export type ArticleTab = (typeof ARTICLE_TABS)[number];

export type HelpCenterRoute =
  | { account: string; screen: 'portals' }
  | { account: string; screen: 'settings'; portal: string }
  | { account: string; screen: 'categories'; portal: string; locale: string }
  | { account: string; screen: 'articles'; portal: string; locale: string; tab: ArticleTab }
  | { account: string; screen: 'article'; portal: string; locale: string; id?: number };

const decode = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

const isTab = (value: string): value is ArticleTab => (ARTICLE_TABS as readonly string[]).includes(value);

/** The help-center screen a path names, or undefined. */
export function matchHelpCenter(path: string): HelpCenterRoute | undefined {
  const parts = path.replace(/\/+$/, '').split('/').slice(1).map(decode);
  const [accounts, account, portals, portal, locale, screen, ...rest] = parts;
  if (accounts !== 'accounts' || !account || portals !== 'portals') return undefined;
  if (portal === undefined) return { account, screen: 'portals' };
  if (locale === 'settings' && screen === undefined) return { account, screen: 'settings', portal };
  if (!locale) return undefined;
  if (screen === 'categories' && rest.length === 0) return { account, screen: 'categories', portal, locale };
  if (screen !== 'articles') return undefined;
  const [first, second, ...extra] = rest;
  if (extra.length) return undefined;
  if (first === undefined) return { account, screen: 'articles', portal, locale, tab: 'all' };
  if (first === 'new' && second === undefined) return { account, screen: 'article', portal, locale };
  if (first === 'edit' && second && /^\d+$/.test(second))
    return { account, screen: 'article', portal, locale, id: Number(second) };
  if (isTab(first) && second === undefined) return { account, screen: 'articles', portal, locale, tab: first };
  return undefined;
}

const part = encodeURIComponent;

/** Paths (under /app) of the help-center screens. */
export const helpCenterPath = {
  portals: (account: number) => `/accounts/${account}/portals`,
  settings: (account: number, portal: string) => `/accounts/${account}/portals/${part(portal)}/settings`,
  categories: (account: number, portal: string, locale: string) =>
    `/accounts/${account}/portals/${part(portal)}/${part(locale)}/categories`,
  articles: (account: number, portal: string, locale: string, tab: ArticleTab = 'all') =>
    `/accounts/${account}/portals/${part(portal)}/${part(locale)}/articles${tab === 'all' ? '' : `/${tab}`}`,
  newArticle: (account: number, portal: string, locale: string) =>
    `/accounts/${account}/portals/${part(portal)}/${part(locale)}/articles/new`,
  article: (account: number, portal: string, locale: string, id: number) =>
    `/accounts/${account}/portals/${part(portal)}/${part(locale)}/articles/edit/${id}`,
};
