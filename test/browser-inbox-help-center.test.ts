import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccountFixture, buildAccountFixture, buildInbox } from './factories.js';
import { axeViolations } from './axe.js';
import { PIXEL, useInboxBrowser } from './inbox-kit.js';

// The help-center screens of the agent inbox (/app/accounts/:id/portals…) and the reply box's
// article picker in Chromium, against the real server: what the page does is read back through the
// Application API and the public /hc pages, as another client would see it.

const { server, openTab, signInWithPassword, createContact } = useInboxBrowser();

let fx: AccountFixture;
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fx.asAdmin(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
};
let portalCount = 0;
/** A portal with one category, made through the API. */
async function buildPortal(name = 'Docs') {
  portalCount += 1;
  const slug = `docs-${portalCount}-${Date.now().toString(36)}`;
  await api('POST', '/portals', { name, slug, config: { allowed_locales: ['en'], default_locale: 'en' } });
  const category = (
    await api('POST', `/portals/${slug}/categories`, { name: 'Billing', slug: 'billing', locale: 'en' })
  ).payload;
  const article = (fields: Record<string, unknown>) =>
    api('POST', `/portals/${slug}/articles`, {
      content: 'Some text',
      author_id: fx.admin.id,
      category_id: category.id,
      ...fields,
    }).then((b) => b.payload as { id: number; slug: string; status: string });
  return { slug, category, article };
}

beforeAll(async () => {
  fx = await buildAccountFixture(server());
});

/** Signed in as the administrator (or `email`), on a path under /app/accounts/:id. */
async function openAt(path: string, options: { email?: string; bypassCSP?: boolean } = {}) {
  const opened = await openTab(options.bypassCSP ? { bypassCSP: true } : {});
  await signInWithPassword(opened.tab, options.email ?? fx.admin.email);
  await opened.tab.goto(`${server().url}/app/accounts/${fx.account.id}${path}`);
  return opened;
}

/** The titles of the listed articles, sorted. */
const rowTitles = (tab: Page) =>
  tab.$$eval('tr[data-article] td:first-child', (cells) =>
    cells.map((c) => c.firstChild?.textContent ?? '').sort((a, b) => a.localeCompare(b)),
  );

/** The count each status tab shows. */
const tabCounts = async (tab: Page) =>
  Object.fromEntries(
    await tab.$$eval('.hc-tabs a[data-tab]', (links) =>
      links.map((a) => [a.getAttribute('data-tab'), a.querySelector('.hc-count')?.textContent]),
    ),
  );

describe('the help center in Chromium', () => {
  it('creates a portal, a category and an article, publishes it and the public page shows it', async () => {
    const { tab, problems, close } = await openAt('/conversations');
    try {
      await tab.click('.sidebar a:has-text("Help center")');
      await tab.waitForSelector('#hc-title:has-text("Portals")');
      const slug = `guides-${Date.now().toString(36)}`;
      await tab.fill('form[aria-label="Create portal"] input[name=name]', 'Guides');
      await tab.fill('form[aria-label="Create portal"] input[name=slug]', slug);
      await tab.click('form[aria-label="Create portal"] button[type=submit]');
      await tab.waitForURL(new RegExp(`/portals/${slug}/settings$`));
      expect(await api('GET', `/portals/${slug}`)).toMatchObject({
        name: 'Guides',
        slug,
        config: { default_locale: 'en', allowed_locales: [{ code: 'en' }] },
      });

      // settings: header text, page title, homepage link, colour
      const settings = 'form[aria-label="Portal settings"]';
      await tab.fill(`${settings} input[name=header_text]`, 'How can we help?');
      await tab.fill(`${settings} input[name=page_title]`, 'Guides | Acme');
      await tab.fill(`${settings} input[name=homepage_link]`, 'https://acme.example.com');
      await tab.fill(`${settings} input[name=color]`, '#aa3300');
      await tab.click(`${settings} button[type=submit]`);
      await tab.waitForSelector(`${settings} [role=status]:has-text("Saved.")`);
      expect(await api('GET', `/portals/${slug}`)).toMatchObject({
        header_text: 'How can we help?',
        page_title: 'Guides | Acme',
        homepage_link: 'https://acme.example.com',
        color: '#aa3300',
      });

      // a second locale, made the default
      await tab.fill('form[aria-label="Add locale"] input[name=code]', 'fr');
      await tab.click('form[aria-label="Add locale"] button[type=submit]');
      await tab.waitForSelector('.hc-locales li[data-locale=fr]');
      await tab.click('button:has-text("Make fr the default")');
      await tab.waitForSelector('.hc-locales li[data-locale=fr] .hc-badge:has-text("default")');
      expect((await api('GET', `/portals/${slug}`)).config).toMatchObject({
        default_locale: 'fr',
        allowed_locales: [{ code: 'en' }, { code: 'fr' }],
      });
      await tab.click('button:has-text("Make en the default")');
      await tab.waitForSelector('.hc-locales li[data-locale=en] .hc-badge:has-text("default")');

      // categories in en
      await tab.click('.hc-bar a:has-text("Categories")');
      await tab.waitForURL(new RegExp(`/portals/${slug}/en/categories$`));
      for (const [name, categorySlug] of [
        ['Getting started', 'getting-started'],
        ['Billing', 'billing'],
      ]) {
        await tab.fill('form[aria-label="Create category"] input[name=name]', name!);
        await tab.fill('form[aria-label="Create category"] input[name=slug]', categorySlug!);
        await tab.click('form[aria-label="Create category"] button[type=submit]');
        await tab.waitForSelector(`tr[data-category=${categorySlug}]`);
      }
      const categories = async () =>
        (await api('GET', `/portals/${slug}/categories?locale=en`)).payload.map((c: { slug: string }) => c.slug);
      expect(await categories()).toEqual(['getting-started', 'billing']);
      await tab.click('button[aria-label="Move Billing up"]');
      await expect.poll(categories).toEqual(['billing', 'getting-started']);
      await tab.click('button[aria-label="Edit Getting started"]');
      await tab.fill('form[aria-label="Edit category Getting started"] input[name=name]', 'First steps');
      await tab.click('form[aria-label="Edit category Getting started"] button[type=submit]');
      await tab.waitForSelector('tr[data-category=getting-started] a:has-text("First steps")');

      // an article: saved as a draft, then published
      await tab.click('.hc-bar a:has-text("Articles")');
      await tab.click('a:has-text("New article")');
      await tab.waitForURL(/\/articles\/new$/);
      await tab.fill('form[aria-label=Article] input[name=title]', 'Paying by card');
      await tab.fill('form[aria-label=Article] textarea[name=description]', 'Cards we take');
      await tab.selectOption('form[aria-label=Article] select[name=category]', { label: 'Billing' });
      await tab.fill('form[aria-label=Article] textarea[name=content]', '## Cards\n\nWe take **Visa** and Mastercard.');
      await tab.click('form[aria-label=Article] button:has-text("Save draft")');
      await tab.waitForURL(/\/articles\/edit\/\d+$/);
      const articleId = Number(tab.url().split('/').pop());
      const stored = (await api('GET', `/portals/${slug}/articles/${articleId}`)).payload;
      expect(stored).toMatchObject({
        title: 'Paying by card',
        description: 'Cards we take',
        status: 'draft',
        locale: 'en',
        content: '## Cards\n\nWe take **Visa** and Mastercard.',
        category: { slug: 'billing' },
        author: { id: fx.admin.id },
      });
      // not public while a draft
      expect((await server().request('GET', `/hc/${slug}/articles/${stored.slug}`)).status).toBe(404);

      await tab.click('form[aria-label=Article] button:has-text("Publish")');
      await tab.waitForSelector('.hc-editor .hc-status:has-text("published")');
      expect((await api('GET', `/portals/${slug}/articles/${articleId}`)).payload.status).toBe('published');
      const [publicTab] = await Promise.all([
        tab.context().waitForEvent('page'),
        tab.click('a:has-text("View the public page")'),
      ]);
      await publicTab.waitForLoadState();
      expect(publicTab.url()).toBe(`${server().url}/hc/${slug}/articles/${stored.slug}`);
      expect(await publicTab.textContent('body')).toContain('Paying by card');
      expect(await publicTab.innerHTML('body')).toContain('<strong>Visa</strong>');
      await publicTab.close();

      // the public page of the portal is linked from its settings too
      await tab.click('.hc-bar a:has-text("Settings")');
      expect(await tab.getAttribute('a:has-text("Open the public page")', 'href')).toBe(`${server().url}/hc/${slug}`);
      expect(problems.filter((p) => !p.startsWith('404 GET'))).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it("refuses a portal with a taken slug with the server's message, and creates nothing", async () => {
    const taken = await buildPortal();
    const before = (await api('GET', '/portals')).payload.length;
    const { tab, problems, close } = await openAt('/portals');
    try {
      await tab.fill('form[aria-label="Create portal"] input[name=name]', 'Twin');
      await tab.fill('form[aria-label="Create portal"] input[name=slug]', taken.slug);
      await tab.click('form[aria-label="Create portal"] button[type=submit]');
      const alert = await tab.waitForSelector('form[aria-label="Create portal"] [role=alert]');
      expect(await alert.textContent()).toMatch(/slug.*already been taken/i);
      expect(tab.url()).toMatch(/\/portals$/);
      expect((await api('GET', '/portals')).payload).toHaveLength(before);
      // the refused request is the only problem (the browser logs it once more as a console error)
      expect(problems.filter((p) => !p.includes('status of 422'))).toEqual([
        expect.stringMatching(/^422 POST .*\/portals$/),
      ]);
    } finally {
      await close();
    }
  });

  it("shows each status tab's count from meta, and they change as an article is published or archived", async () => {
    const portal = await buildPortal();
    await portal.article({ title: 'Draft one' });
    await portal.article({ title: 'Draft two' });
    await portal.article({ title: 'Live one', status: 'published' });
    await portal.article({ title: 'Old one', status: 'archived' });
    await portal.article({ title: 'By the agent', author_id: fx.agent.id, status: 'published' });
    const { tab, problems, close } = await openAt(`/portals/${portal.slug}/en/articles`);
    try {
      await tab.waitForSelector('tr[data-article]');
      expect(await tabCounts(tab)).toEqual({ all: '5', mine: '4', draft: '2', published: '2', archived: '1' });

      await tab.click('.hc-tabs a[data-tab=draft]');
      await tab.waitForURL(/\/articles\/draft$/);
      await tab.waitForSelector('tr[data-article]:has-text("Draft one")');
      expect(await tab.$$eval('tr[data-article] td:first-child a', (a) => a.map((x) => x.textContent).sort())).toEqual([
        'Draft one',
        'Draft two',
      ]);

      // publish one from its editor: the counts follow
      await tab.click('a:has-text("Draft one")');
      // the editor fills its draft after the form shows: a save before then would send an empty one
      await expect.poll(() => tab.inputValue('form[aria-label=Article] input[name=title]')).toBe('Draft one');
      await tab.click('form[aria-label=Article] button:has-text("Publish")');
      await tab.waitForSelector('.hc-editor .hc-status:has-text("published")');
      await tab.click('a:has-text("Back to articles")');
      await expect
        .poll(() => tabCounts(tab))
        .toEqual({ all: '5', mine: '4', draft: '1', published: '3', archived: '1' });

      // archive one, and it moves tabs
      await tab.click('a:has-text("Live one")');
      // the editor fills its draft after the form shows: a save before then would send an empty one
      await expect.poll(() => tab.inputValue('form[aria-label=Article] input[name=title]')).toBe('Live one');
      await tab.click('form[aria-label=Article] button:has-text("Archive")');
      await tab.waitForSelector('.hc-editor .hc-status:has-text("archived")');
      await tab.click('a:has-text("Back to articles")');
      await expect
        .poll(() => tabCounts(tab))
        .toEqual({ all: '5', mine: '4', draft: '1', published: '2', archived: '2' });
      await tab.click('.hc-tabs a[data-tab=archived]');
      await expect.poll(() => rowTitles(tab)).toEqual(['Live one', 'Old one']);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('filters articles by category and text, pages through them, reorders within a category and deletes', async () => {
    const portal = await buildPortal();
    const other = (
      await api('POST', `/portals/${portal.slug}/categories`, { name: 'Other', slug: 'other', locale: 'en' })
    ).payload;
    const ids: number[] = [];
    for (let n = 1; n <= 26; n++) ids.push((await portal.article({ title: `Filler ${n}`, category_id: other.id })).id);
    const first = await portal.article({ title: 'Refund policy', content: 'Refunds within thirty days' });
    const second = await portal.article({ title: 'Invoices', content: 'Where invoices live' });
    const { tab, problems, close } = await openAt(`/portals/${portal.slug}/en/articles`);
    try {
      await tab.waitForSelector('tr[data-article]');
      expect(await tab.$$eval('tr[data-article]', (rows) => rows.length)).toBe(25);
      await tab.click('a:has-text("Next page")');
      await tab.waitForURL(/\?page=2$/);
      await tab.waitForSelector('.hc-pages:has-text("Page 2 of 2")');
      await expect.poll(() => rowTitles(tab)).toEqual(['Filler 1', 'Filler 2', 'Filler 3']);

      // the category filter: Billing holds the two articles, in their positions
      await tab.selectOption('select[name=category]', 'billing');
      await tab.waitForURL(/\?category=billing$/);
      const titles = () => tab.$$eval('tr[data-article] td:first-child a', (a) => a.map((x) => x.textContent));
      await expect.poll(titles).toEqual(['Refund policy', 'Invoices']);
      expect(await tabCounts(tab)).toMatchObject({ all: '2' });
      await tab.click('button[aria-label="Move Invoices up"]');
      await expect.poll(titles).toEqual(['Invoices', 'Refund policy']);
      const positions = async () =>
        (await api('GET', `/portals/${portal.slug}/articles?category_slug=billing`)).payload.map(
          (a: { id: number }) => a.id,
        );
      await expect.poll(positions).toEqual([second.id, first.id]);
      // what the list shows after its reload is what the server stored
      await tab.waitForLoadState('networkidle');
      expect(await titles()).toEqual(['Invoices', 'Refund policy']);

      // full-text search within the category
      await tab.fill('input[name=query]', 'refunds');
      await tab.click('form[aria-label="Filter articles"] button[type=submit]');
      await tab.waitForURL(/query=refunds/);
      await expect.poll(titles).toEqual(['Refund policy']);

      // delete it from its editor
      await tab.click('a:has-text("Refund policy")');
      await tab.click('button:has-text("Delete article")');
      await tab.click('button:has-text("Confirm delete")');
      await tab.waitForURL(new RegExp(`/portals/${portal.slug}/en/articles$`));
      expect((await fx.asAdmin('GET', `/portals/${portal.slug}/articles/${first.id}`)).status).toBe(404);

      // deleting a category
      await tab.click('.hc-bar a:has-text("Categories")');
      await tab.click('button[aria-label="Delete Other"]');
      await tab.click('button[aria-label="Confirm delete Other"]');
      await tab.waitForSelector('tr[data-category=other]', { state: 'detached' });
      expect(
        (await api('GET', `/portals/${portal.slug}/categories`)).payload.map((c: { slug: string }) => c.slug),
      ).toEqual(['billing']);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  it("never runs an article's <script>, onerror or javascript: link in the editor's preview", async () => {
    const portal = await buildPortal();
    const hostile = [
      '# Hello <em>there</em>',
      '<script>window.hcRan = "script"</script>',
      '<img src="/hc-preview-missing.png" alt="broken" onerror="window.hcRan = \'onerror\'">',
      '<a href="javascript:window.hcRan=\'link\'" id="hc-js-link">click</a>',
      '<svg><animate onbegin="window.hcRan = \'svg\'" attributeName="x" dur="1s"/></svg>',
      '**still bold**',
    ].join('\n\n');
    const article = await portal.article({ title: 'Hostile', content: hostile });
    // the page's CSP would stop inline handlers on its own: without it, only the sanitiser stands
    const { tab, close } = await openAt(`/portals/${portal.slug}/en/articles/edit/${article.id}`, { bypassCSP: true });
    try {
      await tab.waitForSelector('form[aria-label=Article] textarea[name=content]');
      await expect.poll(() => tab.inputValue('textarea[name=content]')).toBe(hostile);
      await tab.click('button:has-text("Preview")');
      await tab.waitForSelector('.hc-preview strong:has-text("still bold")');
      expect(await tab.textContent('.hc-preview h1')).toBe('Hello there');
      const preview = await tab.innerHTML('.hc-preview');
      expect(preview).not.toMatch(/<script|onerror|onbegin|javascript:/i);
      expect(await tab.$$eval('.hc-preview img', (imgs) => imgs.map((i) => i.getAttribute('alt')))).toEqual(['broken']);
      await tab.click('#hc-js-link').catch(() => undefined);
      // the control: in this context an inline handler does run, so the sanitiser is what stopped them
      await tab.evaluate(() => {
        const probe = document.createElement('div');
        probe.innerHTML = '<img src="/hc-probe-missing.png" onerror="window.hcControl = 1">';
        document.body.append(probe);
      });
      await tab.waitForFunction(() => (window as unknown as { hcControl?: number }).hcControl === 1);
      expect(await tab.evaluate(() => (window as unknown as { hcRan?: string }).hcRan)).toBeUndefined();
    } finally {
      await close();
    }
  });

  it('uploads and removes the logo, archives the portal, and an agent reads without the write controls', async () => {
    const portal = await buildPortal('Handbook');
    const { tab, problems, close } = await openAt(`/portals/${portal.slug}/settings`);
    try {
      await tab.setInputFiles('label:has-text("Upload logo") input[type=file]', {
        name: 'logo.png',
        mimeType: 'image/png',
        buffer: PIXEL,
      });
      await tab.waitForSelector('img[alt="Logo of Handbook"]');
      expect((await api('GET', `/portals/${portal.slug}`)).logo).toMatchObject({ filename: 'logo.png' });
      await tab.click('button:has-text("Remove logo")');
      await tab.waitForSelector('img[alt="Logo of Handbook"]', { state: 'detached' });
      expect((await api('GET', `/portals/${portal.slug}`)).logo).toBeUndefined();

      expect((await server().request('GET', `/hc/${portal.slug}/en`)).status).toBe(200);
      await tab.click('button:text-is("Archive portal")');
      await tab.click('button:has-text("Confirm archive")');
      await tab.waitForSelector('button:has-text("Unarchive portal")');
      expect((await api('GET', `/portals/${portal.slug}`)).archived).toBe(true);
      expect((await server().request('GET', `/hc/${portal.slug}/en`)).status).toBe(404);
      await tab.click('button:has-text("Unarchive portal")');
      await tab.waitForSelector('button:text-is("Archive portal")');
      expect((await api('GET', `/portals/${portal.slug}`)).archived).toBe(false);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }

    await portal.article({ title: 'Agents read this', status: 'published' });
    const agent = await openAt(`/portals/${portal.slug}/en/articles`, { email: fx.agent.email });
    try {
      await agent.tab.waitForSelector('tr[data-article]:has-text("Agents read this")');
      expect(await agent.tab.$$('a:has-text("New article")')).toHaveLength(0);
      expect(await agent.tab.$$('tr[data-article] a')).toHaveLength(0);
      await agent.tab.click('.hc-bar a:has-text("Categories")');
      await agent.tab.waitForSelector('tr[data-category=billing]');
      expect(await agent.tab.$$('form[aria-label="Create category"]')).toHaveLength(0);
      expect(agent.problems).toEqual([]);
    } finally {
      await agent.close();
    }
  }, 60_000);

  it("inserts a published article's public link into the reply, and the contact receives it", async () => {
    const portal = await buildPortal();
    const live = await portal.article({ title: 'Resetting your password', status: 'published' });
    await portal.article({ title: 'Resetting a draft', status: 'draft' });
    const inbox = await buildInbox(fx);
    const contact = await createContact(inbox.inbox_identifier, 'Reader');
    await contact.say('I forgot my password');
    const { tab, problems, close } = await openAt(`/conversations/${contact.conversationId}`);
    try {
      await tab.waitForSelector('#reply-text');
      await tab.fill('#reply-text', 'Hi! ');
      await tab.click('button.insert-article');
      await tab.waitForSelector('[role=dialog][aria-label="Insert an article"]');
      await tab.keyboard.type('resetting');
      await tab.waitForSelector(`.article-picker li[data-article="${live.id}"]`);
      await expect
        .poll(() => tab.$$eval('.article-picker li strong', (s) => s.map((x) => x.textContent)))
        .toEqual(['Resetting your password']);
      await tab.click(`.article-picker li[data-article="${live.id}"] button:has-text("Insert")`);
      await tab.waitForSelector('.article-picker', { state: 'detached' });
      const url = `${server().url}/hc/${portal.slug}/articles/${live.slug}`;
      expect(await tab.inputValue('#reply-text')).toBe(`Hi! Read more: ${url}`);
      await tab.press('#reply-text', 'Enter');
      await expect
        .poll(async () => (await contact.messages()).map((m) => m.content))
        .toContain(`Hi! Read more: ${url}`);
      // the link is the article's public page
      const page = await server().request('GET', new URL(url).pathname);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Resetting your password');

      // Escape closes the picker without inserting
      await tab.click('button.insert-article');
      // pressed in the picker's field (focused first), not wherever focus is while it opens
      await tab.press('.article-picker input', 'Escape');
      await tab.waitForSelector('.article-picker', { state: 'detached' });
      expect(await tab.inputValue('#reply-text')).toBe('');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('has no serious or critical axe-core violations on the portals, articles, editor and categories screens', async () => {
    const portal = await buildPortal();
    const article = await portal.article({ title: 'Accessible', status: 'published' });
    const { tab, close } = await openAt('/portals', { bypassCSP: true });
    try {
      const pages: Record<string, unknown> = {};
      await tab.waitForSelector(`tr[data-portal="${portal.slug}"]`);
      pages.portals = await axeViolations(tab);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/portals/${portal.slug}/en/articles`);
      await tab.waitForSelector('tr[data-article]');
      pages.articles = await axeViolations(tab);
      await tab.goto(
        `${server().url}/app/accounts/${fx.account.id}/portals/${portal.slug}/en/articles/edit/${article.id}`,
      );
      await tab.waitForSelector('textarea[name=content]');
      pages.editor = await axeViolations(tab);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/portals/${portal.slug}/en/categories`);
      await tab.waitForSelector('tr[data-category]');
      pages.categories = await axeViolations(tab);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/portals/${portal.slug}/settings`);
      await tab.waitForSelector('form[aria-label="Portal settings"]');
      pages.settings = await axeViolations(tab);
      expect(pages).toEqual({ portals: [], articles: [], editor: [], categories: [], settings: [] });
    } finally {
      await close();
    }
  }, 60_000);
});

describe('an account without the help center', () => {
  it('shows no help-center entry, no article picker, and no screens', async () => {
    const res = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
      token: fx.platformToken,
      body: { features: { help_center: false } },
    });
    expect(res.status).toBe(200);
    expect((await fx.asAdmin('GET', '')).body.features.help_center).toBeUndefined();
    const inbox = await buildInbox(fx);
    const contact = await createContact(inbox.inbox_identifier, 'No help center');
    await contact.say('Hello');
    const { tab, close } = await openAt(`/conversations/${contact.conversationId}`);
    try {
      await tab.waitForSelector('#reply-text');
      await tab.waitForSelector('.sidebar a:has-text("Contacts")');
      // the features are read with the first screen: by the time the reply box is there they are known
      await tab.waitForLoadState('networkidle');
      expect(await tab.$$('.sidebar a:has-text("Help center")')).toHaveLength(0);
      expect(await tab.$$('button.insert-article')).toHaveLength(0);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/portals`);
      await tab.waitForSelector('text=This account does not have the help center.');
      expect(await tab.$$('form[aria-label="Create portal"]')).toHaveLength(0);
    } finally {
      await close();
      await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
        token: fx.platformToken,
        body: { features: { help_center: true } },
      });
    }
  });
});
