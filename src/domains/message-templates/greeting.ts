import type { Db } from '../../core/db/kysely.js';

/**
 * The conversation's records a greeting may name (`conversation.send(association)`) and the text
 * attributes each may show. Chatwoot calls any method; here only plain text columns, so a greeting
 * can never reveal a token or a password digest.
 */
const FIELDS = {
  contact: { table: 'contacts', key: 'contact_id', attributes: ['name', 'email', 'phone_number', 'identifier'] },
  inbox: { table: 'inboxes', key: 'inbox_id', attributes: ['name', 'business_name'] },
  account: { table: 'accounts', key: 'account_id', attributes: ['name'] },
  assignee: { table: 'users', key: 'assignee_id', attributes: ['name', 'display_name', 'email'] },
  team: { table: 'teams', key: 'team_id', attributes: ['name'] },
} as const;

type Association = keyof typeof FIELDS;

/** The first `{{association.attribute}}` of a line, as Chatwoot's `/\{\{.*?\}\}/` finds it. */
const PLACEHOLDER = /\{\{.*?\}\}/;

async function placeholderValue(tx: Db, conversationId: number, path: string): Promise<string | null> {
  const [association, attribute] = path.split('.');
  const field = FIELDS[association as Association];
  if (!field || !attribute || !(field.attributes as readonly string[]).includes(attribute)) return null;
  const conversation = await tx
    .selectFrom('conversations')
    .select(field.key)
    .where('id', '=', conversationId)
    .executeTakeFirst();
  const id = conversation?.[field.key as keyof typeof conversation] as number | null | undefined;
  if (id == null) return null;
  const row = (await tx.selectFrom(field.table).selectAll().where('id', '=', id).executeTakeFirst()) as
    | Record<string, unknown>
    | undefined;
  const value = row?.[attribute];
  return typeof value === 'string' ? value : null;
}

/**
 * MessageTemplates::Template::Greeting's content: every `{{…}}` is replaced by the value of the
 * first one (`{{contact.name}}` → the contact's name). Null when that value is missing or not text:
 * Chatwoot's gsub then raises, the error is swallowed and no greeting is sent.
 */
export async function greetingContent(tx: Db, conversationId: number, template: string): Promise<string | null> {
  const first = template.match(PLACEHOLDER);
  if (!first) return template;
  const value = await placeholderValue(tx, conversationId, first[0].slice(2, -2));
  if (value === null) return null;
  return template.replace(new RegExp(PLACEHOLDER.source, 'g'), () => value);
}
