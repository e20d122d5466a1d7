import { listPortals, type Portal } from '../api/help-center.js';
import { navigate } from '../lib/router.js';
import { useLoad } from '../settings/use-load.js';
import { ArticleEditor } from './article-editor.js';
import { ArticlesScreen } from './articles.js';
import { CategoriesScreen } from './categories.js';
import type { HelpCenterProps } from './entry.js';
import { PortalSettings } from './portal-settings.js';
import { PortalsScreen } from './portals.js';
import { helpCenterPath, type HelpCenterRoute } from './route.js';
import './help-center.css';

/**
 * /accounts/:account/portals…: the help center (Chatwoot's helpcenter routes). The portal and
 * locale switchers and the section links sit above every screen of a portal.
 */
export function HelpCenterPage({ accountId, userId, administrator, route }: HelpCenterProps) {
  const portals = useLoad(() => listPortals(accountId), [accountId]);
  const slug = route.screen === 'portals' ? undefined : route.portal;
  const portal = portals.data?.find((p) => p.slug === slug);
  return (
    <main class="hc-page">
      <h1>Help center</h1>
      {portals.error && <p role="alert">{portals.error}</p>}
      {slug && portals.data && !portal && <p role="alert">No portal "{slug}" in this account.</p>}
      {portal && <PortalBar accountId={accountId} portal={portal} portals={portals.data ?? []} route={route} />}
      {route.screen === 'portals' ? (
        <PortalsScreen
          accountId={accountId}
          administrator={administrator}
          portals={portals.data}
          reload={portals.reload}
        />
      ) : (
        portal && <Screen {...{ accountId, userId, administrator, route, portal }} reload={portals.reload} />
      )}
    </main>
  );
}

function Screen({
  accountId,
  userId,
  administrator,
  route,
  portal,
  reload,
}: Omit<HelpCenterProps, 'route'> & {
  route: Exclude<HelpCenterRoute, { screen: 'portals' }>;
  portal: Portal;
  reload(): void;
}) {
  switch (route.screen) {
    case 'settings':
      return <PortalSettings key={portal.id} {...{ accountId, administrator, portal, reload }} />;
    case 'categories':
      return <CategoriesScreen {...{ accountId, administrator, portal }} locale={route.locale} />;
    case 'articles':
      return <ArticlesScreen {...{ accountId, userId, administrator, portal }} locale={route.locale} tab={route.tab} />;
    case 'article':
      return (
        <ArticleEditor
          key={route.id ?? 'new'}
          {...{ accountId, userId, administrator, portal }}
          locale={route.locale}
          id={route.id}
        />
      );
  }
}

/** The portal switcher, its locales and its sections. */
function PortalBar({
  accountId,
  portal,
  portals,
  route,
}: {
  accountId: number;
  portal: Portal;
  portals: Portal[];
  route: HelpCenterRoute;
}) {
  const locale = 'locale' in route ? route.locale : portal.config.default_locale;
  const codes = portal.config.allowed_locales.map((l) => l.code);
  const here = (section: 'articles' | 'categories' | 'settings') =>
    route.screen === section || (section === 'articles' && route.screen === 'article') ? 'page' : undefined;
  return (
    <nav class="hc-bar" aria-label="Portal">
      <label>
        Portal
        <select
          value={portal.slug}
          onChange={(e) => {
            const next = portals.find((p) => p.slug === e.currentTarget.value);
            if (next) navigate(helpCenterPath.articles(accountId, next.slug, next.config.default_locale));
          }}
        >
          {portals.map((p) => (
            <option key={p.id} value={p.slug}>
              {p.name}
              {p.archived ? ' (archived)' : ''}
            </option>
          ))}
        </select>
      </label>
      {route.screen !== 'settings' && (
        <label>
          Locale
          <select
            value={locale}
            onChange={(e) => {
              const next = e.currentTarget.value;
              const path =
                route.screen === 'categories'
                  ? helpCenterPath.categories(accountId, portal.slug, next)
                  : helpCenterPath.articles(accountId, portal.slug, next);
              navigate(path);
            }}
          >
            {(codes.includes(locale) ? codes : [locale, ...codes]).map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </label>
      )}
      <ul>
        <li>
          <a href={`/app${helpCenterPath.articles(accountId, portal.slug, locale)}`} aria-current={here('articles')}>
            Articles
          </a>
        </li>
        <li>
          <a
            href={`/app${helpCenterPath.categories(accountId, portal.slug, locale)}`}
            aria-current={here('categories')}
          >
            Categories
          </a>
        </li>
        <li>
          <a href={`/app${helpCenterPath.settings(accountId, portal.slug)}`} aria-current={here('settings')}>
            Settings
          </a>
        </li>
        <li>
          <a href={`/app${helpCenterPath.portals(accountId)}`}>All portals</a>
        </li>
      </ul>
    </nav>
  );
}
