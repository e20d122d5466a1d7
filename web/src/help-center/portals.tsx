import { createPortal, type Portal, publicPortalUrl } from '../api/help-center.js';
import { navigate } from '../lib/router.js';
import { SimpleForm, text, textOrNull } from '../settings/form.js';
import { failReadably } from './errors.js';
import { helpCenterPath } from './route.js';

/** The account's portals (ListAllPortals), and a new portal for administrators (NewPortal). */
export function PortalsScreen({
  accountId,
  administrator,
  portals,
  reload,
}: {
  accountId: number;
  administrator: boolean;
  portals: Portal[] | undefined;
  reload(): void;
}) {
  return (
    <section class="settings-section hc-section" aria-labelledby="hc-title">
      <h2 id="hc-title">Portals</h2>
      {!portals ? (
        <p role="status">Loading…</p>
      ) : portals.length === 0 ? (
        <p>No portal yet.{administrator ? ' Create one below.' : ''}</p>
      ) : (
        <table class="settings-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Locales</th>
              <th scope="col">Categories</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {portals.map((portal) => (
              <tr key={portal.id} data-portal={portal.slug}>
                <td>
                  <span class="hc-swatch" style={{ background: portal.color }} aria-hidden="true" />
                  <a href={`/app${helpCenterPath.articles(accountId, portal.slug, portal.config.default_locale)}`}>
                    {portal.name}
                  </a>
                  {portal.archived && <span class="hc-badge">archived</span>}
                </td>
                <td>{portal.slug}</td>
                <td>
                  {portal.config.allowed_locales
                    .map((l) => (l.code === portal.config.default_locale ? `${l.code} (default)` : l.code))
                    .join(', ')}
                </td>
                <td>{portal.meta.categories_count}</td>
                <td class="hc-actions">
                  <a href={`/app${helpCenterPath.settings(accountId, portal.slug)}`}>
                    Settings<span class="visually-hidden"> of {portal.name}</span>
                  </a>
                  {!portal.archived && (
                    <a href={publicPortalUrl(portal.slug)} target="_blank" rel="noopener noreferrer">
                      Public page<span class="visually-hidden"> of {portal.name}</span>
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {administrator && (
        <>
          <h3>New portal</h3>
          <SimpleForm
            name="Create portal"
            submitLabel="Create portal"
            fields={[
              { name: 'name', label: 'Name', required: true },
              { name: 'slug', label: 'Slug', required: true, hint: 'The public address: /hc/<slug>' },
              { name: 'custom_domain', label: 'Custom domain' },
              { name: 'default_locale', label: 'Default locale', required: true, initial: 'en' },
            ]}
            onSubmit={async (values) => {
              const locale = text(values.default_locale);
              const portal = await createPortal(accountId, {
                name: text(values.name),
                slug: text(values.slug),
                custom_domain: textOrNull(values.custom_domain),
                config: { allowed_locales: [locale], default_locale: locale },
              }).catch(failReadably);
              reload();
              navigate(helpCenterPath.settings(accountId, portal.slug));
            }}
          />
        </>
      )}
    </section>
  );
}
