import { randomInt, randomUUID } from 'node:crypto';
import { queueAvatarFromUrl } from '../core/storage/avatars.js';
import type { Db } from '../core/db/kysely.js';
import type { Contact, ContactInbox } from '../core/db/schema.js';
import { rowChanges } from '../core/db/row-changes.js';
import { transactionally, type EventBus } from '../core/events/bus.js';
import type { Storage } from '../core/storage/storage.js';
import { hmacFailed, notFound, validationFailed, type FieldError } from '../core/errors.js';
import { isBlank } from '../core/http/values.js';
import { contactErrors, normaliseContactInput, uniqueFieldOf } from '../domains/contacts/validate.js';
import { generateSecureToken } from '../core/tokens/secure-token.js';
import { contactRecordJson, publicContactInboxJson } from '../serializers/public-contact.js';
import { publicInboxJson } from '../serializers/public-inbox.js';
import { linkCompanyByEmail } from '../domains/companies/link-contact.js';
import { identifierHashMatches, sameIdentifier } from './hmac.js';
import { findContactScope, findInboxScope, type ContactScope, type PublicChannel } from './queries.js';
import type { LiveMessages } from './live-message.js';
import type { ContactBody, HmacParams } from './schemas.js';

/** What every Client API service receives: no account, no actor — the path is the credential. */
export interface PublicCtx {
  db: Db;
  bus: EventBus;
  storage: Storage;
  /** Contacts' plain text messages, several to a statement under load; absent when the fast paths are off. */
  liveMessages: LiveMessages | undefined;
}

const INVALID_HASH = 'HMAC failed: Invalid Identifier Hash Provided';
const IDENTIFIER_CONFLICT = 'HMAC failed: Identifier does not match contact';

const text = (value: string | number | null | undefined) =>
  value === undefined || value === null ? undefined : String(value);

/**
 * ContactsController#process_hmac: nothing to check when no identifier_hash is given and the
 * inbox does not make it mandatory; otherwise the hash must be the identifier's. Returns the
 * identifier that was proven, if any.
 */
function checkHmac(channel: PublicChannel, params: HmacParams): string | undefined {
  const hash = text(params.identifier_hash);
  if (isBlank(hash) && !channel.hmac_mandatory) return undefined;
  const identifier = text(params.identifier) ?? '';
  if (!identifierHashMatches(channel.hmac_token, identifier, hash ?? '')) throw hmacFailed(INVALID_HASH);
  return identifier;
}

/**
 * A proven identifier must be the contact's own (newer Chatwoot's hmac_identifier_conflict?), so a
 * valid pair cannot be replayed against another contact; only a match grants hmac_verified.
 */
function verifiedFor(contact: Contact, proven: string | undefined): boolean {
  if (proven === undefined) return false;
  const own = contact.identifier ?? '';
  if (own !== '' && !sameIdentifier(own, proven)) throw hmacFailed(IDENTIFIER_CONFLICT);
  return own !== '' && proven !== '';
}

async function markVerified(ctx: PublicCtx, contactInbox: ContactInbox): Promise<ContactInbox> {
  if (contactInbox.hmac_verified) return contactInbox;
  return ctx.db
    .updateTable('contact_inboxes')
    .set({ hmac_verified: true, updated_at: new Date() })
    .where('id', '=', contactInbox.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Haikunator.haikunate(1000), the name Chatwoot gives a contact created without one. */
const ADJECTIVES = [
  'autumn',
  'hidden',
  'bitter',
  'misty',
  'silent',
  'empty',
  'dry',
  'dark',
  'summer',
  'icy',
  'delicate',
  'quiet',
  'white',
  'cool',
  'spring',
  'winter',
  'patient',
  'twilight',
  'dawn',
  'crimson',
  'wispy',
  'weathered',
  'blue',
  'billowing',
  'broken',
  'cold',
  'damp',
  'falling',
  'frosty',
  'green',
  'long',
  'late',
  'lingering',
  'bold',
  'little',
  'morning',
  'muddy',
  'old',
  'red',
  'rough',
  'still',
  'small',
  'sparkling',
  'shy',
  'wandering',
  'withered',
  'wild',
  'black',
  'young',
  'holy',
  'solitary',
  'fragrant',
  'aged',
  'snowy',
  'proud',
  'floral',
  'restless',
  'divine',
  'polished',
  'ancient',
  'purple',
  'lively',
  'nameless',
];
const NOUNS = [
  'waterfall',
  'river',
  'breeze',
  'moon',
  'rain',
  'wind',
  'sea',
  'morning',
  'snow',
  'lake',
  'sunset',
  'pine',
  'shadow',
  'leaf',
  'dawn',
  'glitter',
  'forest',
  'hill',
  'cloud',
  'meadow',
  'sun',
  'glade',
  'bird',
  'brook',
  'butterfly',
  'bush',
  'dew',
  'dust',
  'field',
  'fire',
  'flower',
  'firefly',
  'feather',
  'grass',
  'haze',
  'mountain',
  'night',
  'pond',
  'darkness',
  'snowflake',
  'silence',
  'sound',
  'sky',
  'shape',
  'surf',
  'thunder',
  'violet',
  'water',
  'wildflower',
  'wave',
  'resonance',
  'wood',
  'dream',
  'cherry',
  'tree',
  'fog',
  'frost',
  'voice',
  'paper',
  'frog',
  'smoke',
  'star',
];
const haikunate = () =>
  `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;

/** Only web addresses become the contact's avatar (Chatwoot fetches the image from it). */
const avatarFrom = (raw: string | null | undefined) =>
  raw && /^https?:\/\/\S+$/i.test(raw) && raw.length <= 2048 ? raw : undefined;

function validContactInput(body: ContactBody) {
  const input = normaliseContactInput({
    name: body.name === undefined ? undefined : body.name === null ? null : String(body.name),
    email: text(body.email),
    phone_number: text(body.phone_number),
    identifier: text(body.identifier),
  });
  const errors: FieldError[] = contactErrors(input);
  if (errors.length) throw validationFailed(errors);
  return input;
}

/** ContactInboxWithContactBuilder#find_contact: by identifier, then email, then phone number. */
async function findExistingContact(
  db: Db,
  accountId: number,
  input: { identifier?: string | null; email?: string | null; phone_number?: string | null },
) {
  for (const field of ['identifier', 'email', 'phone_number'] as const) {
    const value = input[field];
    if (!value) continue;
    const found = await db
      .selectFrom('contacts')
      .selectAll()
      .where('account_id', '=', accountId)
      .where(field, '=', value)
      .executeTakeFirst();
    if (found) return found;
  }
  return undefined;
}

/**
 * POST /public/api/v1/inboxes/:inbox_identifier/contacts. A source_id already known in the inbox
 * returns its contact inbox unchanged; otherwise the contact found by identifier, email or phone
 * number (or a new one) gets a new contact inbox with a random UUID source_id. A proven identifier
 * that matches the contact verifies the new contact inbox at once. A new contact publishes
 * contact.created, as every Contact create does in Chatwoot.
 */
export async function createContact(ctx: PublicCtx, inboxIdentifier: string, body: ContactBody) {
  const { inbox, channel } = await findInboxScope(ctx.db, inboxIdentifier);
  const proven = checkHmac(channel, body);
  const input = validContactInput(body);
  const sourceId = text(body.source_id)?.trim() || randomUUID();
  const attempt = () =>
    transactionally(ctx, async (tx, batch) => {
      const existing = await tx
        .selectFrom('contact_inboxes')
        .selectAll()
        .where('inbox_id', '=', inbox.id)
        .where('source_id', '=', sourceId)
        .executeTakeFirst();
      if (existing) {
        const contact = await tx
          .selectFrom('contacts')
          .selectAll()
          .where('id', '=', existing.contact_id)
          .executeTakeFirstOrThrow();
        const verified = verifiedFor(contact, proven);
        return { contactInbox: verified ? await markVerified({ ...ctx, db: tx }, existing) : existing, contact };
      }
      let contact = await findExistingContact(tx, inbox.account_id, input);
      if (!contact) {
        const inserted = await tx
          .insertInto('contacts')
          .values({
            account_id: inbox.account_id,
            name: input.name ?? haikunate(),
            email: input.email ?? null,
            phone_number: input.phone_number ?? null,
            identifier: input.identifier ?? null,
            // SyncAttributes: a visitor with an email, phone number or identifier is a lead
            contact_type: input.email || input.phone_number || input.identifier ? 1 : 0,
            custom_attributes: JSON.stringify(body.custom_attributes ?? {}),
            additional_attributes: '{}',
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        // Enterprise::Concerns::Contact#associate_company_from_email, in this write's transaction
        contact = await linkCompanyByEmail(tx, { previousEmail: null, contact: inserted });
        // ContactInboxWithContactBuilder: the avatar is fetched in a job, not shown as the URL
        const target = { owner: 'contacts', id: contact.id, accountId: inbox.account_id } as const;
        await queueAvatarFromUrl(tx, target, avatarFrom(body.avatar_url));
        // Contact#dispatch_create_event fires on every create, the Client API's too: agents' realtime
        // contact.created and contact_created webhooks (no Current.user here: the contact performs it)
        batch.emit('contact.created', {
          accountId: contact.account_id,
          contactId: contact.id,
          performer: { type: 'Contact', id: contact.id },
        });
      }
      const contactInbox = await tx
        .insertInto('contact_inboxes')
        .values({
          contact_id: contact.id,
          inbox_id: inbox.id,
          source_id: sourceId,
          pubsub_token: generateSecureToken(),
          hmac_verified: verifiedFor(contact, proven),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return { contactInbox, contact };
    });
  let result: Awaited<ReturnType<typeof attempt>>;
  try {
    result = await attempt();
  } catch (error) {
    // another request created the same contact or source_id first: the builder's rescue and retry
    if ((error as { code?: string }).code !== '23505') throw error;
    result = await attempt();
  }
  return publicContactInboxJson(result.contactInbox, result.contact);
}

async function contactScope(
  ctx: PublicCtx,
  inboxIdentifier: string,
  contactIdentifier: string,
  params: HmacParams,
): Promise<ContactScope> {
  const scope = await findContactScope(ctx.db, inboxIdentifier, contactIdentifier);
  const proven = checkHmac(scope.channel, params);
  if (verifiedFor(scope.contact, proven)) scope.contactInbox = await markVerified(ctx, scope.contactInbox);
  return scope;
}

/** GET .../contacts/:contact_identifier (identifier and identifier_hash in the query when validated). */
export async function showContact(
  ctx: PublicCtx,
  inboxIdentifier: string,
  contactIdentifier: string,
  params: HmacParams,
) {
  const scope = await contactScope(ctx, inboxIdentifier, contactIdentifier, params);
  return publicContactInboxJson(scope.contactInbox, scope.contact);
}

/**
 * PATCH .../contacts/:contact_identifier: ContactIdentifyAction without the identifier (the public
 * API cannot change it). Blank values are ignored, custom attributes are merged. An email or phone
 * number of another contact is refused (422 "has already been taken") instead of merging that
 * contact into this one, which would hand its record to whoever knows its email.
 */
export async function updateContact(
  ctx: PublicCtx,
  inboxIdentifier: string,
  contactIdentifier: string,
  body: ContactBody,
) {
  const { contact } = await contactScope(ctx, inboxIdentifier, contactIdentifier, body);
  const input = validContactInput({ ...body, identifier: undefined });
  const changes = {
    ...(input.name ? { name: input.name } : {}),
    ...(input.email ? { email: input.email } : {}),
    ...(input.phone_number ? { phone_number: input.phone_number } : {}),
  };
  const taken: FieldError[] = [];
  for (const field of ['email', 'phone_number'] as const) {
    const value = changes[field];
    if (!value) continue;
    const other = await ctx.db
      .selectFrom('contacts')
      .select('id')
      .where('account_id', '=', contact.account_id)
      .where(field, '=', value)
      .where('id', '!=', contact.id)
      .executeTakeFirst();
    if (other) taken.push({ attribute: field, message: 'has already been taken' });
  }
  if (taken.length) throw validationFailed(taken);
  const avatar = avatarFrom(body.avatar_url);
  try {
    // Contact#dispatch_update_event: the agents' realtime contact.updated, and contact_updated
    // webhooks, written with the update
    const updated = await transactionally(ctx, async (tx, batch) => {
      const current = await tx
        .selectFrom('contacts')
        .selectAll()
        .where('id', '=', contact.id)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const written = await tx
        .updateTable('contacts')
        .set({
          ...changes,
          ...(body.custom_attributes
            ? { custom_attributes: JSON.stringify({ ...current.custom_attributes, ...body.custom_attributes }) }
            : {}),
          ...(current.contact_type === 0 && (changes.email || changes.phone_number) ? { contact_type: 1 } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', contact.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const row = await linkCompanyByEmail(tx, { previousEmail: current.email, contact: written });
      await queueAvatarFromUrl(tx, { owner: 'contacts', id: contact.id, accountId: contact.account_id }, avatar);
      batch.emit('contact.updated', {
        accountId: contact.account_id,
        contactId: contact.id,
        performer: { type: 'Contact', id: contact.id },
        changes: rowChanges(current, row),
        loaded: row,
      });
      return row;
    });
    return contactRecordJson(updated);
  } catch (error) {
    const field = (error as { code?: string }).code === '23505' ? uniqueFieldOf(error) : undefined;
    if (field) throw validationFailed([{ attribute: field, message: 'has already been taken' }]);
    throw error;
  }
}

/** GET /public/api/v1/inboxes/:inbox_identifier (newer Chatwoot). */
export async function showInbox(ctx: PublicCtx, inboxIdentifier: string) {
  const { inbox, channel } = await findInboxScope(ctx.db, inboxIdentifier);
  const [row, hours] = await Promise.all([
    ctx.db.selectFrom('inboxes').selectAll().where('id', '=', inbox.id).executeTakeFirst(),
    ctx.db.selectFrom('working_hours').selectAll().where('inbox_id', '=', inbox.id).execute(),
  ]);
  if (!row) throw notFound();
  return publicInboxJson(row, channel, hours);
}
