import { useState } from 'preact/hooks';
import {
  archivePortal,
  deletePortal,
  type Portal,
  publicPortalUrl,
  removePortalLogo,
  updatePortal,
  uploadPortalLogo,
} from '../api/help-center.js';
import { navigate } from '../lib/router.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import { SimpleForm, text, textOrNull } from '../settings/form.js';
import { errorText, failReadably } from './errors.js';
import { helpCenterPath } from './route.js';

/** A portal's settings (EditPortalBasic, EditPortalCustomization, EditPortalLocales): administrators change them. */
export function PortalSettings({
  accountId,
  administrator,
  portal,
  reload,
}: {
  accountId: number;
  administrator: boolean;
  portal: Portal;
  reload(): void;
}) {
  const save = (input: Parameters<typeof updatePortal>[2]) =>
    updatePortal(accountId, portal.slug, input).catch(failReadably);
  return (
    <section class="settings-section hc-section" aria-labelledby="hc-title">
      <h2 id="hc-title">{portal.name}: settings</h2>
      <p>
        {portal.archived ? (
          <span class="hc-badge">archived: its public pages are off</span>
        ) : (
          <a href={publicPortalUrl(portal.slug)} target="_blank" rel="noopener noreferrer">
            Open the public page
          </a>
        )}
      </p>
      {!administrator ? (
        <p>Only administrators can change a portal.</p>
      ) : (
        <>
          <SimpleForm
            key={`${portal.slug}-${portal.name}`}
            name="Portal settings"
            submitLabel="Save"
            keep
            done="Saved."
            fields={[
              { name: 'name', label: 'Name', required: true, initial: portal.name },
              { name: 'slug', label: 'Slug', required: true, initial: portal.slug },
              { name: 'custom_domain', label: 'Custom domain', initial: portal.custom_domain ?? '' },
              { name: 'color', label: 'Colour', type: 'color', initial: portal.color },
              { name: 'header_text', label: 'Header text', initial: portal.header_text ?? '' },
              { name: 'page_title', label: 'Page title', initial: portal.page_title ?? '' },
              { name: 'homepage_link', label: 'Homepage link', type: 'url', initial: portal.homepage_link ?? '' },
            ]}
            onSubmit={async (values) => {
              const updated = await save({
                name: text(values.name),
                slug: text(values.slug),
                custom_domain: textOrNull(values.custom_domain),
                color: textOrNull(values.color),
                header_text: textOrNull(values.header_text),
                page_title: textOrNull(values.page_title),
                homepage_link: textOrNull(values.homepage_link),
              });
              reload();
              if (updated.slug !== portal.slug)
                navigate(helpCenterPath.settings(accountId, updated.slug), { replace: true });
            }}
          />
          <Locales portal={portal} save={save} reload={reload} />
          <Logo accountId={accountId} portal={portal} reload={reload} />
          <h3>Archive or delete</h3>
          <p class="hc-actions">
            {portal.archived ? (
              <button type="button" onClick={() => void save({ archived: false }).then(reload, () => undefined)}>
                Unarchive portal
              </button>
            ) : (
              <ConfirmButton
                label="Archive portal"
                confirmLabel="Confirm archive"
                onConfirm={() => archivePortal(accountId, portal.slug).then(reload, failReadably)}
              />
            )}
            <ConfirmButton
              label="Delete portal"
              confirmLabel="Confirm delete"
              onConfirm={async () => {
                await deletePortal(accountId, portal.slug).catch(failReadably);
                reload();
                navigate(helpCenterPath.portals(accountId));
              }}
            />
          </p>
        </>
      )}
    </section>
  );
}

/** The portal's locales, one of them the default (Portal config `allowed_locales`, `default_locale`). */
function Locales({
  portal,
  save,
  reload,
}: {
  portal: Portal;
  save(input: Parameters<typeof updatePortal>[2]): Promise<Portal>;
  reload(): void;
}) {
  const codes = portal.config.allowed_locales.map((l) => l.code);
  const fallback = portal.config.default_locale;
  const [error, setError] = useState('');
  const change = (allowed: string[], defaultLocale = fallback) => {
    setError('');
    save({ config: { allowed_locales: allowed, default_locale: defaultLocale } }).then(reload, (e: Error) =>
      setError(e.message),
    );
  };
  return (
    <>
      <h3>Locales</h3>
      <ul class="hc-locales" aria-label="Locales">
        {portal.config.allowed_locales.map((l) => (
          <li key={l.code} data-locale={l.code}>
            <strong>{l.code}</strong>
            {l.code === fallback ? (
              <span class="hc-badge">default</span>
            ) : (
              <>
                <button type="button" onClick={() => change(codes, l.code)}>
                  Make {l.code} the default
                </button>
                <button type="button" onClick={() => change(codes.filter((c) => c !== l.code))}>
                  Remove {l.code}
                </button>
              </>
            )}
            <span class="muted">
              {l.articles_count} articles, {l.categories_count} categories
            </span>
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
      <SimpleForm
        name="Add locale"
        submitLabel="Add locale"
        fields={[{ name: 'code', label: 'Locale code', required: true, hint: 'e.g. en, fr, pt_BR' }]}
        onSubmit={async (values) => {
          const code = text(values.code);
          if (codes.includes(code)) throw new Error(`${code} is already a locale of this portal`);
          await save({ config: { allowed_locales: [...codes, code], default_locale: fallback } });
          reload();
        }}
      />
    </>
  );
}

/** The logo: a multipart upload, or its removal. */
function Logo({ accountId, portal, reload }: { accountId: number; portal: Portal; reload(): void }) {
  const [error, setError] = useState('');
  const run = (work: Promise<unknown>) => {
    setError('');
    work.then(reload, (e) => setError(errorText(e)));
  };
  return (
    <>
      <h3>Logo</h3>
      {portal.logo ? (
        <p class="hc-logo">
          <img src={portal.logo.file_url} alt={`Logo of ${portal.name}`} />
          <button type="button" onClick={() => run(removePortalLogo(accountId, portal.slug))}>
            Remove logo
          </button>
        </p>
      ) : (
        <p class="muted">No logo.</p>
      )}
      <label class="hc-file">
        Upload logo
        <input
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          onChange={(e) => {
            const file = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (file) run(uploadPortalLogo(accountId, portal.slug, file));
          }}
        />
      </label>
      {error && <p role="alert">{error}</p>}
    </>
  );
}
