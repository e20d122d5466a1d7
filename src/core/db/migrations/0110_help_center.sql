-- The help center (Chatwoot's portals, categories and articles: app/models/{portal,category,article}.rb).

-- The PostgreSQL text search configuration for a Chatwoot locale code ('en', 'pt_BR', 'de-AT'):
-- the language's stemming dictionary where PostgreSQL (12 and later) ships one, else 'simple'
-- (no stemming, no stop words: Chinese, Japanese, Korean, Czech, Polish, …). Immutable, so the
-- articles' search vector can be a generated column and the index serves every locale at once.
create function help_center_ts_config(locale text) returns regconfig
language sql immutable parallel safe as $$
  select case lower(split_part(replace(coalesce(locale, ''), '-', '_'), '_', 1))
    when 'ar' then 'arabic'::regconfig
    when 'da' then 'danish'::regconfig
    when 'nl' then 'dutch'::regconfig
    when 'en' then 'english'::regconfig
    when 'fi' then 'finnish'::regconfig
    when 'fr' then 'french'::regconfig
    when 'de' then 'german'::regconfig
    when 'el' then 'greek'::regconfig
    when 'hu' then 'hungarian'::regconfig
    when 'id' then 'indonesian'::regconfig
    when 'ga' then 'irish'::regconfig
    when 'it' then 'italian'::regconfig
    when 'lt' then 'lithuanian'::regconfig
    when 'ne' then 'nepali'::regconfig
    when 'no' then 'norwegian'::regconfig
    when 'nb' then 'norwegian'::regconfig
    when 'nn' then 'norwegian'::regconfig
    when 'pt' then 'portuguese'::regconfig
    when 'ro' then 'romanian'::regconfig
    when 'ru' then 'russian'::regconfig
    when 'es' then 'spanish'::regconfig
    when 'sv' then 'swedish'::regconfig
    when 'ta' then 'tamil'::regconfig
    when 'tr' then 'turkish'::regconfig
    else 'simple'::regconfig
  end
$$;

create table portals (
  id             bigserial primary key,
  account_id     bigint not null references accounts (id) on delete cascade,
  name           text not null,
  -- unique across the installation: the public pages live at /hc/:slug (index_portals_on_slug)
  slug           text not null unique,
  custom_domain  text unique,
  color          text,
  header_text    text,
  homepage_link  text,
  page_title     text,
  -- allowed_locales, default_locale, draft_locales, … (Portal::CONFIG_JSON_KEYS)
  config         jsonb not null default '{"allowed_locales": ["en"], "default_locale": "en"}'::jsonb,
  archived       boolean not null default false,
  -- the logo (`has_one_attached :logo`), kept as the avatar machinery keeps an image: the blob, its URL
  avatar_url     text,
  avatar_blob_id bigint references blobs (id) on delete set null,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index portals_account_idx on portals (account_id, id);

create table categories (
  id                     bigserial primary key,
  account_id             bigint not null references accounts (id) on delete cascade,
  portal_id              bigint not null references portals (id) on delete cascade,
  name                   text not null,
  slug                   text not null,
  locale                 text not null default 'en',
  description            text,
  position               integer,
  icon                   text,
  -- sub_categories and associated_categories are nullified when their parent or root goes
  parent_category_id     bigint references categories (id) on delete set null,
  associated_category_id bigint references categories (id) on delete set null,
  created_at             timestamptz not null default now(),
  updated_at             timestamptz not null default now()
);
-- index_categories_on_slug_and_locale_and_portal_id
create unique index categories_portal_slug_locale_key on categories (portal_id, slug, locale);
create index categories_portal_position_idx on categories (portal_id, locale, position);
create index categories_parent_idx on categories (parent_category_id) where parent_category_id is not null;

-- Category#related_categories (the related_categories join table)
create table related_categories (
  category_id         bigint not null references categories (id) on delete cascade,
  related_category_id bigint not null references categories (id) on delete cascade,
  primary key (category_id, related_category_id)
);
create index related_categories_related_idx on related_categories (related_category_id);

create table articles (
  id                    bigserial primary key,
  account_id            bigint not null references accounts (id) on delete cascade,
  portal_id             bigint not null references portals (id) on delete cascade,
  -- `has_many :articles, dependent: :nullify` on Category
  category_id           bigint references categories (id) on delete set null,
  author_id             bigint references users (id) on delete set null,
  associated_article_id bigint references articles (id) on delete set null,
  title                 text not null,
  slug                  text not null,
  content               text,
  description           text,
  -- draft 0, published 1, archived 2 (Article.status)
  status                smallint not null default 0,
  position              integer,
  locale                text not null default 'en',
  meta                  jsonb not null default '{}'::jsonb,
  views                 integer not null default 0,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  -- ranked full-text search: the title weighs most, then the description, then the content; each
  -- article is parsed with its own locale's dictionary, and searched with the same one
  search_vector         tsvector generated always as (
    setweight(to_tsvector(help_center_ts_config(locale), coalesce(title, '')), 'A') ||
    setweight(to_tsvector(help_center_ts_config(locale), coalesce(description, '')), 'B') ||
    setweight(to_tsvector(help_center_ts_config(locale), coalesce(content, '')), 'C')
  ) stored
);
-- the public page of an article is /hc/:portal_slug/articles/:article_slug
create unique index articles_portal_slug_key on articles (portal_id, slug);
create index articles_portal_updated_idx on articles (portal_id, updated_at desc, id);
create index articles_category_position_idx on articles (category_id, position, id) where category_id is not null;
create index articles_account_idx on articles (account_id, portal_id);
create index articles_author_idx on articles (author_id) where author_id is not null;
create index articles_associated_idx on articles (associated_article_id) where associated_article_id is not null;
create index articles_search_idx on articles using gin (search_vector) with (fastupdate = off);
