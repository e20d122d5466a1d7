import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const tag = () => randomBytes(4).toString('hex');
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function portal(fx: AccountFixture, fields: Record<string, unknown> = {}) {
  const slug = `hc-${tag()}`;
  const res = await fx.asAdmin('POST', '/portals', {
    portal: { name: 'Help', slug, config: { allowed_locales: ['en', 'de'], default_locale: 'en' }, ...fields },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: number; slug: string };
}

async function category(fx: AccountFixture, slug: string, fields: Record<string, unknown> = {}) {
  const res = await fx.asAdmin('POST', `/portals/${slug}/categories`, {
    category: { name: 'Billing', slug: `cat-${tag()}`, locale: 'en', ...fields },
  });
  expect(res.status, res.text).toBe(200);
  return res.body.payload as { id: number; slug: string; locale: string };
}

async function article(fx: AccountFixture, slug: string, fields: Record<string, unknown> = {}) {
  const res = await fx.asAdmin('POST', `/portals/${slug}/articles`, {
    article: { title: 'Reset your password', content: 'Open **settings**.', author_id: fx.admin.id, ...fields },
  });
  expect(res.status, res.text).toBe(200);
  return res.body.payload as { id: number; slug: string; position: number; status: string; locale: string };
}

const count = async (table: 'portals' | 'categories' | 'articles', accountId: number) =>
  Number(
    (
      await server()
        .db.selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .where('account_id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('portals', () => {
  it('creates a portal in the _portal shape, lists and shows it to agents, with counts by locale', async () => {
    const fx = await buildAccountFixture(server());
    const slug = `docs-${tag()}`;
    const res = await fx.asAdmin('POST', '/portals', {
      portal: {
        name: 'Docs',
        slug,
        color: '#123abc',
        custom_domain: `https://docs-${slug}.example.com/path`,
        header_text: 'How can we help?',
        homepage_link: 'https://example.com',
        page_title: 'Docs',
        config: { allowed_locales: ['en', 'fr'], default_locale: 'en' },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'color',
      'custom_domain',
      'header_text',
      'homepage_link',
      'name',
      'page_title',
      'slug',
      'archived',
      'account_id',
      'config',
      'meta',
    ]);
    expect(res.body).toMatchObject({
      color: '#123abc',
      custom_domain: `docs-${slug}.example.com`,
      archived: false,
      account_id: fx.account.id,
      config: {
        allowed_locales: [
          { code: 'en', articles_count: 0, categories_count: 0, draft: false },
          { code: 'fr', articles_count: 0, categories_count: 0, draft: false },
        ],
        default_locale: 'en',
      },
      meta: { all_articles_count: 0, published_count: 0, draft_articles_count: 0, categories_count: 0 },
    });
    const cat = await category(fx, slug, { locale: 'fr' });
    await article(fx, slug, { category_id: cat.id, status: 'published' });
    await article(fx, slug, { title: 'Draft one' });

    const list = await fx.asAgent('GET', '/portals');
    expect(list.status, list.text).toBe(200);
    expect(list.body.meta).toEqual({ current_page: 1, portals_count: 1 });
    expect(list.body.payload[0].config.allowed_locales).toEqual([
      { code: 'en', articles_count: 1, categories_count: 0, draft: false },
      { code: 'fr', articles_count: 1, categories_count: 1, draft: false },
    ]);
    expect(list.body.payload[0].meta.all_articles_count).toBeNull();

    const show = await fx.asAgent('GET', `/portals/${slug}`);
    expect(show.status, show.text).toBe(200);
    expect(show.body.meta).toEqual({
      all_articles_count: 2,
      archived_articles_count: 0,
      published_count: 1,
      draft_articles_count: 1,
      mine_articles_count: 0,
      categories_count: 1,
      default_locale: 'en',
    });
    const fr = await fx.asAdmin('GET', `/portals/${slug}?locale=fr`);
    expect(fr.body.meta).toMatchObject({ all_articles_count: 1, published_count: 1, mine_articles_count: 1 });
  });

  it('refuses agents writes, duplicate slugs (422 with Chatwoot messages) and bad colors, writing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const taken = await portal(other);
    const agent = await fx.asAgent('POST', '/portals', { portal: { name: 'X', slug: `x-${tag()}` } });
    expect(agent.status).toBe(401);
    expect(agent.body).toEqual({ error: 'You are not authorized to do this action' });

    const dup = await fx.asAdmin('POST', '/portals', { portal: { name: 'Copy', slug: taken.slug } });
    expect(dup.status, dup.text).toBe(422);
    expect(dup.body).toEqual({ message: 'Slug has already been taken', attributes: ['slug'] });
    const blank = await fx.asAdmin('POST', '/portals', { portal: { name: '', slug: '', color: 'red' } });
    expect(blank.status).toBe(422);
    expect(blank.body.message).toBe("Name can't be blank, Slug can't be blank, Color is invalid");
    const config = await fx.asAdmin('POST', '/portals', {
      portal: { name: 'C', slug: `c-${tag()}`, config: { evil: true } },
    });
    expect(config.status).toBe(422);
    expect(config.body.message).toBe('Config in portal on evil is not supported.');
    expect(await count('portals', fx.account.id)).toBe(0);

    const mine = await portal(fx);
    const clash = await fx.asAdmin('PATCH', `/portals/${mine.slug}`, { portal: { slug: taken.slug } });
    expect(clash.status, clash.text).toBe(422);
    expect(clash.body).toEqual({ error: { slug: ['has already been taken'] } });
    const renamed = await fx.asAdmin('PATCH', `/portals/${mine.slug}`, { portal: { name: 'Renamed', archived: true } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Renamed', slug: mine.slug, archived: true });
    expect((await fx.asAgent('PATCH', `/portals/${mine.slug}`, { portal: { name: 'No' } })).status).toBe(401);
  });

  it("answers 404 for another account's portal, categories and articles, whatever the role", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = await portal(other);
    const theirCategory = await category(other, theirs.slug);
    const theirArticle = await article(other, theirs.slug);
    for (const [method, path, body] of [
      ['GET', `/portals/${theirs.slug}`],
      ['PATCH', `/portals/${theirs.slug}`, { portal: { name: 'Mine now' } }],
      ['DELETE', `/portals/${theirs.slug}`],
      ['PATCH', `/portals/${theirs.slug}/archive`],
      ['DELETE', `/portals/${theirs.slug}/logo`],
      ['GET', `/portals/${theirs.slug}/categories`],
      ['PATCH', `/portals/${theirs.slug}/categories/${theirCategory.id}`, { category: { name: 'x' } }],
      ['GET', `/portals/${theirs.slug}/articles`],
      ['GET', `/portals/${theirs.slug}/articles/${theirArticle.id}`],
      ['DELETE', `/portals/${theirs.slug}/articles/${theirArticle.id}`],
      ['GET', '/portals/no-such-portal'],
    ] as const) {
      const res = await fx.asAdmin(method, path, body);
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
      expect(res.body).toEqual({ error: 'Resource could not be found' });
    }
    // ids of another portal's rows, through one's own portal
    const mine = await portal(fx);
    expect((await fx.asAdmin('GET', `/portals/${mine.slug}/articles/${theirArticle.id}`)).status).toBe(404);
    expect((await fx.asAdmin('GET', `/portals/${mine.slug}/categories/${theirCategory.id}`)).status).toBe(404);
    const cross = await fx.asAdmin('POST', `/portals/${mine.slug}/articles`, {
      article: { title: 'T', content: 'C', author_id: fx.admin.id, category_id: theirCategory.id },
    });
    expect(cross.status).toBe(422);
    expect(cross.body.message).toBe('Category must exist');
    const outsider = await fx.asAdmin('POST', `/portals/${mine.slug}/articles`, {
      article: { title: 'T', content: 'C', author_id: other.admin.id },
    });
    expect(outsider.body.message).toBe('Author must exist');
    const reorder = await fx.asAdmin('POST', `/portals/${mine.slug}/articles/reorder`, {
      positions_hash: { [theirArticle.id]: 999 },
    });
    expect(reorder.status).toBe(200);
    const row = await server()
      .db.selectFrom('articles')
      .select('position')
      .where('id', '=', theirArticle.id)
      .executeTakeFirstOrThrow();
    expect(row.position).toBe(theirArticle.position);
  });

  it('archives, deletes, and takes a multipart logo that DELETE …/logo removes', async () => {
    const fx = await buildAccountFixture(server());
    const form = new FormData();
    const slug = `logo-${tag()}`;
    form.append('portal[name]', 'With logo');
    form.append('portal[slug]', slug);
    form.append('portal[config]', JSON.stringify({ allowed_locales: ['en'] }));
    form.append('logo', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'logo.png');
    const res = await fetch(new URL(`/api/v1/accounts/${fx.account.id}/portals`, server().url), {
      method: 'POST',
      headers: { api_access_token: fx.admin.access_token },
      body: form,
    });
    const body = (await res.json()) as { logo?: { file_url: string; file_type: string; filename: string } };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.logo).toMatchObject({ file_type: 'image/png', filename: 'logo.png' });
    const file = await fetch(body.logo!.file_url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);

    expect((await fx.asAgent('DELETE', `/portals/${slug}/logo`)).status).toBe(401);
    expect((await fx.asAdmin('DELETE', `/portals/${slug}/logo`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/portals/${slug}`)).body).not.toHaveProperty('logo');

    expect((await fx.asAdmin('PATCH', `/portals/${slug}/archive`)).status).toBe(200);
    expect((await fx.asAdmin('GET', `/portals/${slug}`)).body.archived).toBe(true);
    await article(fx, slug);
    expect((await fx.asAgent('DELETE', `/portals/${slug}`)).status).toBe(401);
    expect((await fx.asAdmin('DELETE', `/portals/${slug}`)).status).toBe(200);
    expect(await count('portals', fx.account.id)).toBe(0);
    expect(await count('articles', fx.account.id)).toBe(0);
  });
});

describe('categories', () => {
  it('creates categories with parent and related ones, lists them by position, reorders and deletes', async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const parent = await category(fx, slug, { name: 'Parent', position: 5 });
    const related = await category(fx, slug, { name: 'Related', position: 1 });
    const res = await fx.asAdmin('POST', `/portals/${slug}/categories`, {
      category: {
        name: 'Child',
        slug: 'child',
        locale: 'de',
        description: 'Kind',
        position: 3,
        icon: '📦',
        parent_category_id: parent.id,
        related_category_ids: [related.id],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.payload).toEqual({
      id: expect.any(Number),
      name: 'Child',
      slug: 'child',
      locale: 'de',
      description: 'Kind',
      position: 3,
      account_id: fx.account.id,
      icon: '📦',
      related_categories: [expect.objectContaining({ id: related.id, name: 'Related' })],
      parent_category: expect.objectContaining({ id: parent.id, name: 'Parent' }),
      meta: { articles_count: 0 },
    });
    const list = await fx.asAgent('GET', `/portals/${slug}/categories`);
    expect(list.status).toBe(200);
    expect(list.body.payload.map((c: { name: string }) => c.name)).toEqual(['Related', 'Child', 'Parent']);
    expect(list.body.meta).toEqual({ current_page: 1, categories_count: 3 });
    const de = await fx.asAgent('GET', `/portals/${slug}/categories?locale=de`);
    expect(de.body.payload.map((c: { name: string }) => c.name)).toEqual(['Child']);

    const reorder = await fx.asAdmin('POST', `/portals/${slug}/categories/reorder`, {
      positions_hash: { [parent.id]: 0 },
    });
    expect(reorder.status).toBe(200);
    const again = await fx.asAgent('GET', `/portals/${slug}/categories`);
    expect(again.body.payload[0].name).toBe('Parent');
    expect((await fx.asAgent('POST', `/portals/${slug}/categories/reorder`, { positions_hash: {} })).status).toBe(401);
    expect((await fx.asAgent('GET', `/portals/${slug}/categories/${parent.id}`)).status).toBe(401);

    const withArticle = await article(fx, slug, { category_id: parent.id });
    expect((await fx.asAdmin('DELETE', `/portals/${slug}/categories/${parent.id}`)).status).toBe(200);
    const orphan = await fx.asAdmin('GET', `/portals/${slug}/articles/${withArticle.id}`);
    expect(orphan.body.payload.category).toEqual({ id: null, name: null, slug: null, locale: null });
  });

  it('refuses a locale the portal does not allow and a slug taken in that locale', async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const bad = await fx.asAdmin('POST', `/portals/${slug}/categories`, {
      category: { name: 'X', slug: 'x', locale: 'ja' },
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({
      message: `Locale ja of category is not part of portal's ["en", "de"].`,
      attributes: ['locale'],
    });
    await category(fx, slug, { slug: 'same', locale: 'en' });
    await category(fx, slug, { slug: 'same', locale: 'de' });
    const dup = await fx.asAdmin('POST', `/portals/${slug}/categories`, {
      category: { name: 'Again', slug: 'same', locale: 'en' },
    });
    expect(dup.status).toBe(422);
    expect(dup.body).toEqual({ message: 'Locale should be unique in the category and portal', attributes: ['locale'] });
    expect(await count('categories', fx.account.id)).toBe(2);
    expect(
      (await fx.asAgent('POST', `/portals/${slug}/categories`, { category: { name: 'A', slug: 'a' } })).status,
    ).toBe(401);
  });
});

describe('articles', () => {
  it('creates drafts with a generated slug, the category locale and the next position, in the _article shape', async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const de = await category(fx, slug, { locale: 'de' });
    const first = await article(fx, slug, { title: 'Erste Schritte', category_id: de.id, meta: { tags: ['a'] } });
    expect(first).toMatchObject({ status: 'draft', locale: 'de', position: 10 });
    expect(first.slug).toMatch(/^\d+-erste-schritte$/);
    const second = await article(fx, slug, { title: 'Zweite', category_id: de.id, associated_article_id: first.id });
    expect(second.position).toBe(20);
    const third = await article(fx, slug, { title: 'Dritte', associated_article_id: second.id });
    const show = await fx.asAdmin('GET', `/portals/${slug}/articles/${first.id}`);
    expect(show.status, show.text).toBe(200);
    expect(Object.keys(show.body.payload)).toEqual([
      'id',
      'slug',
      'title',
      'content',
      'description',
      'status',
      'position',
      'account_id',
      'updated_at',
      'meta',
      'locale',
      'associated_article_id',
      'category',
      'views',
      'author',
      'associated_articles',
    ]);
    expect(show.body.payload).toMatchObject({
      meta: { tags: ['a'] },
      category: { id: de.id, name: 'Billing', slug: de.slug, locale: 'de' },
      author: { id: fx.admin.id, role: 'administrator' },
      views: 0,
    });
    // associations always point at the root article
    expect(show.body.payload.associated_articles.map((a: { id: number }) => a.id)).toEqual([second.id, third.id]);
    expect(show.body.payload.associated_articles[0].portal.slug).toBe(slug);
    const thirdShow = await fx.asAdmin('GET', `/portals/${slug}/articles/${third.id}`);
    expect(thirdShow.body.payload).toMatchObject({ associated_article_id: first.id, root_article: { id: first.id } });

    const updated = await fx.asAdmin('PATCH', `/portals/${slug}/articles/${first.id}`, {
      article: { status: 'published', title: 'Neu' },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.payload).toMatchObject({ status: 'published', title: 'Neu', slug: first.slug });
    const clash = await fx.asAdmin('PATCH', `/portals/${slug}/articles/${third.id}`, { article: { slug: first.slug } });
    expect(clash.status).toBe(422);
    expect(clash.body).toEqual({ message: 'Slug has already been taken', attributes: ['slug'] });
    const blank = await fx.asAdmin('POST', `/portals/${slug}/articles`, { article: { title: ' ', content: '' } });
    expect(blank.status).toBe(422);
    expect(blank.body.message).toBe("Title can't be blank, Content can't be blank, Author must exist");
    const badStatus = await fx.asAdmin('POST', `/portals/${slug}/articles`, {
      article: { title: 'x', content: 'y', author_id: fx.admin.id, status: 'live' },
    });
    expect(badStatus.status).toBe(422);
    expect((await fx.asAgent('GET', `/portals/${slug}/articles/${first.id}`)).status).toBe(401);
    expect((await fx.asAgent('DELETE', `/portals/${slug}/articles/${first.id}`)).status).toBe(401);
    expect((await fx.asAdmin('DELETE', `/portals/${slug}/articles/${second.id}`)).status).toBe(200);
    expect(await count('articles', fx.account.id)).toBe(2);
  });

  it("lists with Chatwoot's filters and the counts of every filter but status and author", async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const billing = await category(fx, slug, { slug: 'billing' });
    const a = await article(fx, slug, { title: 'Invoices explained', category_id: billing.id, status: 'published' });
    const b = await article(fx, slug, { title: 'Refunds', category_id: billing.id, author_id: fx.agent.id });
    await article(fx, slug, { title: 'Archived thing', status: 'archived' });
    await article(fx, slug, {
      title: 'Wie man Rechnungen bezahlt',
      content: 'Rechnungen werden bezahlt',
      locale: 'de',
    });

    const all = await fx.asAgent('GET', `/portals/${slug}/articles`);
    expect(all.status, all.text).toBe(200);
    expect(all.body.meta).toEqual({
      current_page: 1,
      articles_count: 4,
      all_articles_count: 4,
      archived_articles_count: 1,
      published_count: 1,
      draft_articles_count: 2,
      mine_articles_count: 1,
    });
    const titles = (res: { body: { payload: Array<{ title: string }> } }) => res.body.payload.map((x) => x.title);
    const cat = await fx.asAgent('GET', `/portals/${slug}/articles?category_slug=billing`);
    expect(titles(cat)).toEqual(['Invoices explained', 'Refunds']);
    expect(cat.body.meta.all_articles_count).toBe(2);
    const published = await fx.asAgent('GET', `/portals/${slug}/articles?category_slug=billing&status=published`);
    expect(titles(published)).toEqual(['Invoices explained']);
    expect(published.body.meta.all_articles_count).toBe(2);
    const byAuthor = await fx.asAgent('GET', `/portals/${slug}/articles?author_id=${fx.agent.id}`);
    expect(titles(byAuthor)).toEqual(['Refunds']);
    const german = await fx.asAgent('GET', `/portals/${slug}/articles?locale=de`);
    expect(titles(german)).toEqual(['Wie man Rechnungen bezahlt']);
    // full text with the locale's dictionary: German stemming finds "Rechnung" in "Rechnungen"
    const stemmed = await fx.asAgent('GET', `/portals/${slug}/articles?locale=de&query=Rechnung`);
    expect(titles(stemmed)).toEqual(['Wie man Rechnungen bezahlt']);
    const prefix = await fx.asAgent('GET', `/portals/${slug}/articles?query=invoi`);
    expect(titles(prefix)).toEqual(['Invoices explained']);
    expect(prefix.body.meta.all_articles_count).toBe(1);
    const nothing = await fx.asAgent('GET', `/portals/${slug}/articles?query=${encodeURIComponent("'&|!:*")}`);
    expect(nothing.status).toBe(200);
    expect(nothing.body.payload).toEqual([]);
    const page2 = await fx.asAgent('GET', `/portals/${slug}/articles?page=2`);
    expect(page2.body.payload).toEqual([]);
    expect(page2.body.meta.current_page).toBe(2);

    const reorder = await fx.asAdmin('POST', `/portals/${slug}/articles/reorder`, {
      positions_hash: { [a.id]: 30, [b.id]: 5 },
    });
    expect(reorder.status).toBe(200);
    expect(titles(await fx.asAgent('GET', `/portals/${slug}/articles?category_slug=billing`))).toEqual([
      'Refunds',
      'Invoices explained',
    ]);
    expect((await fx.asAgent('POST', `/portals/${slug}/articles/reorder`, { positions_hash: {} })).status).toBe(401);
  });
});

describe('search', () => {
  it('ranks the articles index search by matches in the title, then the description, then the rest in list order, with exact counts', async () => {
    const fx = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const titles = (res: { body: { payload: Array<{ title: string }> } }) => res.body.payload.map((x) => x.title);
    await article(fx, slug, { title: 'Often', content: 'refund refund refund refund', status: 'published' });
    await article(fx, slug, { title: 'Refund policy', content: 'When we pay back' });
    await article(fx, slug, { title: 'Described', description: 'All about refunds', content: 'Text' });
    await article(fx, slug, { title: 'Once', content: 'A refund, once', status: 'archived' });
    await article(fx, slug, { title: 'Unrelated', content: 'Nothing here' });
    const res = await fx.asAgent('GET', `/portals/${slug}/articles?query=refund`);
    expect(res.status, res.text).toBe(200);
    // the title outranks the description; matches in the content alone follow, the latest updated first
    expect(titles(res)).toEqual(['Refund policy', 'Described', 'Once', 'Often']);
    expect(res.body.meta).toMatchObject({
      all_articles_count: 4,
      draft_articles_count: 2,
      published_count: 1,
      archived_articles_count: 1,
    });
    const drafts = await fx.asAgent('GET', `/portals/${slug}/articles?query=refund&status=draft`);
    expect(titles(drafts)).toEqual(['Refund policy', 'Described']);
    expect(drafts.body.meta.all_articles_count).toBe(4);
  });

  it("finds the account's published articles by ranked full text in GET /search/articles and GET /search, never another account's", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const theirs = await portal(other);
    const published = { status: 'published' };
    await article(other, theirs.slug, { title: 'Webhook retries', content: 'retries', ...published });
    await article(fx, slug, { title: 'Billing', content: 'Webhooks are mentioned in the body only', ...published });
    await article(fx, slug, { title: 'Webhook signatures', content: 'How we sign each webhook', ...published });
    await article(fx, slug, { title: 'Unrelated', content: 'Nothing here', ...published });
    // SearchService#filter_articles searches `articles.published`: drafts and archived ones are not found
    await article(fx, slug, { title: 'Webhook draft', content: 'webhook' });
    await article(fx, slug, { title: 'Webhook archived', content: 'webhook', status: 'archived' });
    const res = await fx.asAgent('GET', '/search/articles?q=webhook');
    expect(res.status, res.text).toBe(200);
    expect(res.body.payload.articles.map((a: { title: string }) => a.title)).toEqual(['Webhook signatures', 'Billing']);
    expect(res.body.payload.articles[0]).toEqual({
      id: expect.any(Number),
      title: 'Webhook signatures',
      locale: 'en',
      content: 'How we sign each webhook',
      slug: expect.any(String),
      portal_slug: slug,
      account_id: fx.account.id,
      category_name: null,
      status: 'published',
      updated_at: expect.any(Number),
    });
    const all = await fx.asAgent('GET', '/search?q=signatures');
    expect(all.status, all.text).toBe(200);
    expect(all.body.payload.articles.map((a: { title: string }) => a.title)).toEqual(['Webhook signatures']);
    expect((await fx.asAgent('GET', '/search/articles?q=draft')).body.payload.articles).toEqual([]);
    expect((await fx.asAgent('GET', '/search?q=archived')).body.payload.articles).toEqual([]);
    expect((await fx.asAgent('GET', '/search/articles?q=retries')).body.payload.articles).toEqual([]);
    expect(
      (await fx.asAgent('GET', `/search/articles?q=${encodeURIComponent('!:*&|')}`)).body.payload.articles,
    ).toEqual([]);
  });

  it('finds the articles with every word of a search as a prefix, in each locale, through edits and in every search', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const { slug } = await portal(fx);
    const theirs = await portal(other);
    const published = { status: 'published' };
    const titles = (res: { body: { payload: Array<{ title: string }> } }) => res.body.payload.map((x) => x.title);
    const search = async (query: string, locale?: string) =>
      titles(
        await fx.asAgent(
          'GET',
          `/portals/${slug}/articles?query=${encodeURIComponent(query)}${locale ? `&locale=${locale}` : ''}`,
        ),
      ).sort();
    await article(other, theirs.slug, { title: 'Ledger of invoices', content: 'ledger', ...published });
    await article(fx, slug, {
      title: 'Invoice settings',
      content: 'Change the billing address in the ledgerbook',
      ...published,
    });
    const history = await article(fx, slug, { title: 'Invoice history', content: 'Past payments', ...published });
    await article(fx, slug, {
      title: 'Rechnungen bezahlen',
      content: 'Die Rechnung per Überweisung bezahlen',
      locale: 'de',
      ...published,
    });
    // seventy words under one prefix: more than a search spells out, so GIN's own prefix match answers
    const many = Array.from({ length: 70 }, (_, i) => `zq${String.fromCharCode(97 + (i % 26))}${'abc'[i % 3]}x${i}`);
    await article(fx, slug, { title: 'Invoice codes', content: many.join(' '), ...published });
    await article(fx, slug, { title: 'Spare codes', content: many.slice(0, 3).join(' '), ...published });

    expect(await search('invoi bill')).toEqual(['Invoice settings']);
    expect(await search('INVOICE hist')).toEqual(['Invoice history']);
    // the broad word checked row by row on the other word's matches; alone, GIN's prefix match
    expect(await search('invoi zq')).toEqual(['Invoice codes']);
    expect(await search('zq invoi')).toEqual(['Invoice codes']);
    expect(await search('zq')).toEqual(['Invoice codes', 'Spare codes']);
    expect(await search('zq spare')).toEqual(['Spare codes']);
    expect(await search('zq hist')).toEqual([]);
    expect(await search('invoi ledg')).toEqual(['Invoice settings']);
    // German stems, with the locale and across the portal's locales; "die" is a German stop word
    expect(await search('Rechnung bezahl', 'de')).toEqual(['Rechnungen bezahlen']);
    expect(await search('rechnung bezahl')).toEqual(['Rechnungen bezahlen']);
    expect(await search('die rechnung', 'de')).toEqual(['Rechnungen bezahlen']);
    expect(await search('rechnung invoi')).toEqual([]);

    // a word an edit or a new article brings in is found at once (beside the one the account had
    // under the same prefix), and the words an edit took out no longer are
    const edit = await fx.asAdmin('PATCH', `/portals/${slug}/articles/${history.id}`, {
      article: { content: 'The quarterly ledger' },
    });
    expect(edit.status, edit.text).toBe(200);
    await article(fx, slug, { title: 'Invoice archive', content: 'One ledgerline a year', ...published });
    expect(await search('invoi ledg')).toEqual(['Invoice archive', 'Invoice history', 'Invoice settings']);
    expect(await search('invoi payment')).toEqual([]);

    const global = await fx.asAgent('GET', `/search/articles?q=${encodeURIComponent('quarter invoice')}`);
    expect(global.body.payload.articles.map((a: { title: string }) => a.title)).toEqual(['Invoice history']);
    const pub = await server().request('GET', `/hc/${slug}/en/articles.json?query=${encodeURIComponent('invoi bill')}`);
    expect(pub.status, pub.text).toBe(200);
    expect(pub.body.payload.map((a: { title: string }) => a.title)).toEqual(['Invoice settings']);
    const broad = await server().request('GET', `/hc/${slug}/en/articles.json?query=${encodeURIComponent('spare zq')}`);
    expect(broad.body.payload.map((a: { title: string }) => a.title)).toEqual(['Spare codes']);
    const globalBroad = await fx.asAgent('GET', `/search/articles?q=${encodeURIComponent('zq codes')}`);
    expect(globalBroad.body.payload.articles.map((a: { title: string }) => a.title).sort()).toEqual([
      'Invoice codes',
      'Spare codes',
    ]);
  });
});
