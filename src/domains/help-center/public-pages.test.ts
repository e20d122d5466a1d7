import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';
import { launchChromium } from '../../../test/browser.js';

const server = useTestServer();
const tag = () => randomBytes(4).toString('hex');

const XSS = [
  '# Safe title',
  '<script>window.pwned = "script"</script>',
  '<img src="x" onerror="window.pwned = \'onerror\'">',
  '<svg onload="window.pwned = \'svg\'"></svg>',
  '<a href="javascript:window.pwned=\'href\'">click</a> [md link](javascript:window.pwned=1)',
  '<iframe src="javascript:window.pwned=2"></iframe><style>body{display:none}</style>',
  '**bold** and `<code>`',
].join('\n\n');

let browser: Browser | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function helpCenter(fx: AccountFixture) {
  const slug = `pub-${tag()}`;
  const res = await fx.asAdmin('POST', '/portals', {
    portal: {
      name: 'Acme Help',
      slug,
      header_text: 'Hi <b>there</b>',
      config: { allowed_locales: ['en', 'de', 'fr'], default_locale: 'en', draft_locales: ['fr'] },
    },
  });
  expect(res.status, res.text).toBe(200);
  const cat = await fx.asAdmin('POST', `/portals/${slug}/categories`, {
    category: { name: 'Getting <started>', slug: 'getting-started', locale: 'en', description: 'First steps' },
  });
  expect(cat.status, cat.text).toBe(200);
  const create = async (fields: Record<string, unknown>) => {
    const r = await fx.asAdmin('POST', `/portals/${slug}/articles`, {
      article: { content: 'Body', author_id: fx.admin.id, category_id: cat.body.payload.id, ...fields },
    });
    expect(r.status, r.text).toBe(200);
    return r.body.payload as { id: number; slug: string };
  };
  const published = await create({ title: 'Install the app', slug: 'install', status: 'published', content: XSS });
  const other = await create({
    title: 'Configure webhooks',
    slug: 'webhooks',
    status: 'published',
    content: 'Webhook setup',
  });
  const draft = await create({ title: 'Secret draft', slug: 'draft' });
  return { slug, category: cat.body.payload as { id: number }, published, other, draft };
}

const get = (path: string) => server().request('GET', path);

describe('the public help center', () => {
  it('serves the portal home as HTML and JSON, redirects /hc/:slug, and hides archived portals and draft locales', async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await helpCenter(fx);
    const redirect = await fetch(new URL(`/hc/${slug}`, server().url), { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(`/hc/${slug}/en`);

    const home = await get(`/hc/${slug}/en`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(home.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(home.text).toContain('Install the app');
    expect(home.text).toContain('Getting &lt;started&gt;');
    expect(home.text).toContain('Hi &lt;b&gt;there&lt;/b&gt;');
    expect(home.text).not.toContain('Secret draft');

    const json = await get(`/hc/${slug}/en.json`);
    expect(json.status, json.text).toBe(200);
    expect(json.body).toEqual({
      custom_domain: null,
      header_text: 'Hi <b>there</b>',
      homepage_link: null,
      name: 'Acme Help',
      page_title: null,
      slug,
      categories: [
        {
          name: 'Getting <started>',
          slug: 'getting-started',
          locale: 'en',
          description: 'First steps',
          position: null,
          related_categories: [],
          meta: { articles_count: 2 },
        },
      ],
      meta: { articles_count: 2, categories_count: 1, default_locale: 'en' },
    });
    expect((await get(`/hc/${slug}/de`)).status).toBe(200);
    expect((await get(`/hc/${slug}/fr`)).status).toBe(404); // a draft locale
    expect((await get(`/hc/${slug}/ja.json`)).body).toEqual({ error: 'Resource could not be found' });
    expect((await get('/hc/no-such-portal/en')).status).toBe(404);

    expect((await fx.asAdmin('PATCH', `/portals/${slug}/archive`)).status).toBe(200);
    for (const path of [
      `/hc/${slug}`,
      `/hc/${slug}/en`,
      `/hc/${slug}/articles/install`,
      `/hc/${slug}/en/articles.json`,
    ])
      expect((await get(path)).status, path).toBe(404);
  });

  it('renders published articles with sanitized Markdown, counts views, and never shows drafts', async () => {
    const fx = await buildAccountFixture(server());
    const { slug, published, draft } = await helpCenter(fx);
    const page = await get(`/hc/${slug}/articles/${published.slug}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Safe title</h1>');
    expect(page.text).toContain('<strong>bold</strong>');
    expect(page.text).toContain('&lt;code&gt;');
    // the payloads may survive as text, never as markup
    for (const markup of [/<script/i, /\son\w+=/i, /(href|src)="?javascript:/i, /<iframe/i, /<svg/i, /display:none/])
      expect(page.text, String(markup)).not.toMatch(markup);

    expect((await get(`/hc/${slug}/articles/${draft.slug}`)).status).toBe(404);
    expect((await get(`/hc/${slug}/articles/${draft.slug}.json`)).status).toBe(404);
    expect((await get(`/hc/${slug}/articles/${draft.slug}.png`)).status).toBe(404);

    const pixel = await fetch(new URL(`/hc/${slug}/articles/${published.slug}.png`, server().url));
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/png');
    const json = await get(`/hc/${slug}/articles/${published.slug}.json`);
    expect(json.status, json.text).toBe(200);
    expect(json.body).toMatchObject({
      id: published.id,
      title: 'Install the app',
      status: 'published',
      slug: 'install',
      views: 2,
      link: `hc/${slug}/articles/install`,
      portal: { slug, meta: { articles_count: 2 } },
      author: { name: expect.any(String) },
    });
    expect(json.body.author).not.toHaveProperty('email');

    // in a real browser: nothing from the article runs
    const tab = await browser!.newPage();
    const dialogs: string[] = [];
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      await tab.goto(new URL(`/hc/${slug}/articles/${published.slug}`, server().url).toString());
      await tab.click('text=click').catch(() => undefined);
      const state = await tab.evaluate(() => ({
        pwned: (window as unknown as { pwned?: unknown }).pwned ?? null,
        scripts: document.querySelectorAll('script, iframe, svg').length,
        handlers: [...document.querySelectorAll('*')].filter((el) =>
          [...el.attributes].some((a) => a.name.startsWith('on')),
        ).length,
        headings: [...document.querySelectorAll('article h1')].map((h) => h.textContent),
      }));
      expect(state).toEqual({ pwned: null, scripts: 0, handlers: 0, headings: ['Install the app', 'Safe title'] });
      expect(dialogs).toEqual([]);
    } finally {
      await tab.close();
    }
    const row = await server()
      .db.selectFrom('articles')
      .select('views')
      .where('id', '=', published.id)
      .executeTakeFirstOrThrow();
    expect(row.views).toBe(3);
  });

  it('lists, searches and pages published articles, categories and the sitemap', async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await helpCenter(fx);
    const list = await get(`/hc/${slug}/en/articles.json`);
    expect(list.status, list.text).toBe(200);
    expect(list.body.payload.map((a: { title: string }) => a.title)).toEqual(['Install the app', 'Configure webhooks']);
    expect(list.body.meta).toEqual({ articles_count: 2 });
    const search = await get(`/hc/${slug}/en/articles.json?query=webhook`);
    expect(search.body.payload.map((a: { title: string }) => a.title)).toEqual(['Configure webhooks']);
    const draftSearch = await get(`/hc/${slug}/en/articles.json?query=secret`);
    expect(draftSearch.body.payload).toEqual([]);
    const html = await get(`/hc/${slug}/en/articles?query=${encodeURIComponent('webhook <>')}`);
    expect(html.status).toBe(200);
    expect(html.text).toContain('Search results for “webhook &lt;&gt;”');
    expect(html.text).toContain('Configure webhooks');
    expect((await get(`/hc/${slug}/en/articles.json?per_page=1&page=2`)).body.payload).toHaveLength(1);
    expect((await get(`/hc/${slug}/en/articles.json?per_page=1000`)).status).toBe(422);

    const categories = await get(`/hc/${slug}/en/categories.json`);
    expect(categories.body.payload.map((c: { slug: string }) => c.slug)).toEqual(['getting-started']);
    const category = await get(`/hc/${slug}/en/categories/getting-started`);
    expect(category.status).toBe(200);
    expect(category.text).toContain('Configure webhooks');
    expect((await get(`/hc/${slug}/en/categories/getting-started.json`)).body.meta).toEqual({ articles_count: 2 });
    const inCategory = await get(`/hc/${slug}/en/categories/getting-started/articles.json`);
    expect(inCategory.body.payload).toHaveLength(2);
    expect((await get(`/hc/${slug}/en/categories/nope`)).status).toBe(404);
    expect((await get(`/hc/${slug}/de/categories/getting-started`)).status).toBe(404);

    const sitemap = await get(`/hc/${slug}/sitemap.xml`);
    expect(sitemap.status).toBe(200);
    expect(sitemap.headers.get('content-type')).toContain('application/xml');
    expect(sitemap.text).toContain(`/hc/${slug}/articles/install</loc>`);
    expect(sitemap.text).toContain(`/hc/${slug}/articles/webhooks</loc>`);
    expect(sitemap.text).not.toContain('/articles/draft');
  });
});
