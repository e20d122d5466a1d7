// The help-center article counters (0150_article_counts.sql) against a recount of the articles,
// after every kind of write that adds, removes or moves an article between the counted keys: the
// API's create, update (status, category, locale, author) and delete, a category's deletion (its
// articles lose it), a page view (no key changes), a bulk insert of many rows in one statement,
// and a portal's deletion. The portal's counts the API shows are read from them. The narrow search
// rows (0153_article_search_rows.sql) are checked against the articles after the same writes, and
// their vectors against being stored out of line however the article changes.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const tag = () => randomBytes(4).toString('hex');

type Row = { portal_id: number; locale: string; category_id: number; author_id: number; status: number; n: number };

/** Per key, the kept counters (zero rows dropped) and a recount of the articles; they must match. */
async function expectCounted(portalId: number) {
  const db = server().db;
  const kept = await sql<Row>`select portal_id, locale, category_id, author_id, status, n from article_counts
    where portal_id = ${portalId} and n <> 0 order by 1, 2, 3, 4, 5`.execute(db);
  const recount = await sql<Row>`select portal_id, locale, coalesce(category_id, 0) as category_id,
      coalesce(author_id, 0) as author_id, status, count(*) as n
    from articles where portal_id = ${portalId} group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5`.execute(db);
  expect(kept.rows, 'counters against a recount').toEqual(recount.rows);
  await expectSearchRows(portalId);
}

/** The search rows of the portal's articles: each article's copied columns and stripped vector. */
async function expectSearchRows(portalId: number) {
  const db = server().db;
  const columns = sql`account_id, portal_id, category_id, author_id, status, position, locale, updated_at`;
  const kept = await sql`select article_id as id, ${columns}, vector::text as vector from article_search_rows
    where portal_id = ${portalId} order by 1`.execute(db);
  const copied = await sql`select id, ${columns}, strip(search_vector)::text as vector from articles
    where portal_id = ${portalId} order by 1`.execute(db);
  expect(kept.rows, 'search rows against the articles').toEqual(copied.rows);
}

async function portal(fx: AccountFixture) {
  const res = await fx.asAdmin('POST', '/portals', {
    portal: { name: 'Help', slug: `hc-${tag()}`, config: { allowed_locales: ['en', 'de'], default_locale: 'en' } },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as { id: number; slug: string };
}

describe('article counters', () => {
  it('equal a recount after creates, updates, deletes, category deletes, views, bulk inserts and portal deletes', async () => {
    const fx = await buildAccountFixture(server());
    const { id: portalId, slug } = await portal(fx);
    const other = await portal(fx);
    const categories = [];
    for (const locale of ['en', 'de']) {
      const res = await fx.asAdmin('POST', `/portals/${slug}/categories`, {
        category: { name: `Cat ${locale}`, slug: `cat-${tag()}`, locale },
      });
      expect(res.status, res.text).toBe(200);
      categories.push(res.body.payload as { id: number });
    }
    const create = async (fields: Record<string, unknown>) => {
      const res = await fx.asAdmin('POST', `/portals/${slug}/articles`, {
        article: { title: `Article ${tag()}`, content: 'Body', author_id: fx.admin.id, ...fields },
      });
      expect(res.status, res.text).toBe(200);
      return res.body.payload as { id: number; slug: string };
    };
    const update = async (id: number, fields: Record<string, unknown>) => {
      const res = await fx.asAdmin('PATCH', `/portals/${slug}/articles/${id}`, { article: fields });
      expect(res.status, res.text).toBe(200);
    };
    await expectCounted(portalId);

    const a = await create({ status: 'published', category_id: categories[0]!.id });
    const b = await create({ category_id: categories[1]!.id });
    const c = await create({ status: 'archived' });
    await create({ author_id: fx.agent.id, status: 'published' });
    await expectCounted(portalId);

    await update(a.id, { status: 'archived' });
    await update(b.id, { category_id: categories[0]!.id, status: 'published' });
    await update(c.id, { locale: 'de', author_id: fx.agent.id });
    await update(a.id, { title: 'Only the title' });
    await expectCounted(portalId);

    // a page view changes no key: the counters are left alone
    const views = await server().request('GET', `/hc/${slug}/articles/${b.slug}`);
    expect(views.status, views.text).toBe(200);
    await expectCounted(portalId);

    // the category's articles keep their place in the counts, under no category
    expect((await fx.asAdmin('DELETE', `/portals/${slug}/categories/${categories[0]!.id}`)).status).toBe(200);
    await expectCounted(portalId);

    expect((await fx.asAdmin('DELETE', `/portals/${slug}/articles/${c.id}`)).status).toBe(200);
    await expectCounted(portalId);

    // one statement of many rows, as an import (and the bench's seed) writes them
    await sql`insert into articles (account_id, portal_id, category_id, author_id, title, slug, status, locale)
      select ${fx.account.id}, ${portalId}, case when g % 3 = 0 then ${categories[1]!.id}::bigint end,
             case when g % 2 = 0 then ${fx.admin.id}::bigint end, 'Bulk ' || g, 'bulk-' || g, g % 3, case when g % 4 = 0 then 'de' else 'en' end
        from generate_series(1, 50) g`.execute(server().db);
    await expectCounted(portalId);
    await sql`delete from articles where portal_id = ${portalId} and slug like 'bulk-%' and status = 1`.execute(
      server().db,
    );
    await expectCounted(portalId);

    const recounted = await sql<{ status: number; locale: string; mine: boolean; n: number }>`
      select status, locale, author_id = ${fx.admin.id} as mine, count(*)::int as n
        from articles where portal_id = ${portalId} group by 1, 2, 3`.execute(server().db);
    const sum = (keep: (r: { status: number; locale: string; mine: boolean }) => boolean) =>
      recounted.rows.filter(keep).reduce((total, r) => total + r.n, 0);
    const show = await fx.asAgent('GET', `/portals/${slug}?locale=en`);
    expect(show.status, show.text).toBe(200);
    const en = (r: { locale: string }) => r.locale === 'en';
    expect(show.body.meta).toMatchObject({
      all_articles_count: sum(en),
      draft_articles_count: sum((r) => en(r) && r.status === 0),
      published_count: sum((r) => en(r) && r.status === 1),
      archived_articles_count: sum((r) => en(r) && r.status === 2),
    });
    const list = await fx.asAgent('GET', '/portals');
    const listed = list.body.payload.find((p: { slug: string }) => p.slug === slug);
    expect(listed.config.allowed_locales).toEqual([
      { code: 'en', articles_count: sum(en), categories_count: 0, draft: false },
      { code: 'de', articles_count: sum((r) => r.locale === 'de'), categories_count: 1, draft: false },
    ]);
    const mine = await fx.asAdmin('GET', `/portals/${slug}/articles`);
    expect(mine.body.meta).toMatchObject({
      all_articles_count: sum(() => true),
      mine_articles_count: sum((r) => r.mine),
    });
    const home = await server().request('GET', `/hc/${slug}/en.json`);
    expect(home.body.meta.articles_count).toBe(sum((r) => r.status === 1));

    // a portal's deletion takes its counters; another portal's stay
    await create({ status: 'published' });
    expect((await fx.asAdmin('DELETE', `/portals/${slug}`)).status).toBe(200);
    const left = await sql<{
      n: number;
    }>`select count(*)::int as n from article_counts where portal_id = ${portalId}`.execute(server().db);
    expect(left.rows[0]!.n).toBe(0);
    await expectCounted(other.id);
    const orphans = await sql<{ n: number }>`select count(*)::int as n from article_search_rows r
      where not exists (select 1 from articles a where a.id = r.article_id)`.execute(server().db);
    expect(orphans.rows[0]!.n).toBe(0);
  });

  it('keep the search rows narrow: vectors out of line after inserts and after every kind of update', async () => {
    const fx = await buildAccountFixture(server());
    const { id: portalId } = await portal(fx);
    const db = server().db;
    // 200 articles of ~1 kB of words each: inline, their rows would fill ~25 pages
    const text = sql`(select string_agg(md5((g * 100 + k)::text), ' ') from generate_series(1, 25) k)`;
    await sql`insert into articles (account_id, portal_id, title, slug, content, locale)
      select ${fx.account.id}, ${portalId}, 'Wide ' || g, 'wide-' || g, ${text}, 'en'
        from generate_series(1, 200) g`.execute(db);
    const pages = async () => {
      const { rows } = await sql<{ pages: number }>`select count(distinct (ctid::text::point)[0])::int as pages
        from article_search_rows where portal_id = ${portalId}`.execute(db);
      return rows[0]!.pages;
    };
    // ~125 bytes a row: 200 rows on a few pages (26 with the vectors inline)
    expect(await pages()).toBeLessThanOrEqual(8);
    await sql`update articles set content = content || ' changed' where portal_id = ${portalId}`.execute(db);
    await sql`update articles set status = 1 where portal_id = ${portalId}`.execute(db);
    await sql`vacuum article_search_rows`.execute(db);
    expect(await pages()).toBeLessThanOrEqual(8);
    await expectSearchRows(portalId);
  });
});
