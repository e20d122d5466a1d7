-- Companies (Chatwoot 4.x, enterprise/app/controllers/api/v1/accounts/companies_controller.rb and
-- app/models/company.rb) and the contact's company (contacts.company_id, nullified when the company
-- is deleted: `has_many :contacts, dependent: :nullify`).
create table companies (
  id                    bigserial primary key,
  account_id            bigint not null references accounts (id) on delete cascade,
  name                  text not null,
  -- unique per account when present (index_companies_on_account_and_domain)
  domain                text,
  description           text,
  avatar_url            text,
  custom_attributes     jsonb not null default '{}'::jsonb,
  additional_attributes jsonb not null default '{}'::jsonb,
  last_activity_at      timestamptz,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);
create unique index companies_account_domain_key on companies (account_id, domain) where domain is not null;
create index companies_account_name_idx on companies (account_id, name, id);
create index companies_account_created_idx on companies (account_id, created_at, id);

alter table contacts add column company_id bigint references companies (id) on delete set null;
-- contacts_count is counted from here (no counter to drift), and deleting a company finds its contacts
create index contacts_company_id_idx on contacts (company_id) where company_id is not null;
