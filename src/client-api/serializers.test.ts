// Unit tests of the contact-facing serializers: they are allow-lists, so a column added to a table
// (or a field added to the agents' shapes) never reaches a contact unless it is added here.
import { describe, expect, it } from 'vitest';
import type { Contact, ContactInbox, Message, User } from '../core/db/schema.js';
import { contactRecordJson, publicContactInboxJson } from '../serializers/public-contact.js';
import { publicMessageJson } from '../serializers/public-message.js';

const urls = { dataUrl: () => 'http://files/x', thumbUrl: () => '' };
const now = new Date('2024-05-01T10:00:00.000Z');

const contact = {
  id: 7,
  account_id: 1,
  name: 'Ann',
  middle_name: null,
  last_name: null,
  email: 'ann@example.com',
  phone_number: null,
  identifier: 'a-7',
  avatar_url: null,
  location: null,
  country_code: null,
  blocked: false,
  contact_type: 1,
  custom_attributes: { plan: 'pro' },
  additional_attributes: {},
  last_activity_at: now,
  created_at: now,
  updated_at: now,
  // columns a later migration might add: they must not leak
  internal_score: 42,
  pubsub_token: 'contact-level-token',
} as unknown as Contact;

const user = {
  id: 3,
  name: 'Agent Smith',
  display_name: null,
  email: 'smith@corp.example',
  encrypted_password: 'hash',
  provider: 'email',
  type: null,
  pubsub_token: 'agent-pubsub',
  avatar_url: null,
  message_signature: 'Regards',
  ui_settings: {},
  custom_attributes: { salary: 1 },
  confirmed_at: now,
  created_at: now,
  updated_at: now,
} as unknown as User;

const message = (overrides: Partial<Message> = {}): Message => ({
  id: 11,
  account_id: 1,
  inbox_id: 2,
  conversation_id: 5,
  message_type: 1,
  content_type: 0,
  content: 'hi',
  private: false,
  status: 0,
  source_id: 'ext-1',
  content_attributes: {},
  additional_attributes: { campaign_id: 9 },
  external_source_ids: {},
  sentiment: { label: 'x' },
  sender_type: 'User',
  sender_id: 3,
  echo_id: 'e',
  idempotency_key: 'k',
  created_at: now,
  updated_at: now,
  ...overrides,
});

describe('contact-facing serializers', () => {
  it('render only the keys of their Chatwoot views', () => {
    expect(Object.keys(contactRecordJson(contact))).not.toContain('internal_score');
    expect(JSON.stringify(contactRecordJson(contact))).not.toContain('contact-level-token');
    const ci = {
      id: 1,
      contact_id: 7,
      inbox_id: 2,
      source_id: 'src',
      hmac_verified: false,
      pubsub_token: 'ci-token',
      created_at: now,
      updated_at: now,
    } as ContactInbox;
    expect(publicContactInboxJson(ci, contact)).toEqual({
      source_id: 'src',
      pubsub_token: 'ci-token',
      id: 7,
      name: 'Ann',
      email: 'ann@example.com',
    });

    const json = publicMessageJson(
      {
        message: message(),
        conversationDisplayId: 42,
        sender: { type: 'User', user, availability: 'online' },
        attachments: [],
      },
      urls,
    );
    expect(Object.keys(json)).toEqual([
      'id',
      'content',
      'message_type',
      'content_type',
      'content_attributes',
      'created_at',
      'conversation_id',
      'sender',
    ]);
    expect(json.conversation_id).toBe(42);
    const text = JSON.stringify(json);
    for (const hidden of [
      'smith@corp.example',
      'agent-pubsub',
      'salary',
      'Regards',
      'campaign_id',
      'ext-1',
      '"e"',
      '"k"',
      'sentiment',
    ]) {
      expect(text, hidden).not.toContain(hidden);
    }
  });

  it('refuses to render a private note for a contact', () => {
    expect(() =>
      publicMessageJson({ message: message({ private: true }), conversationDisplayId: 1, attachments: [] }, urls),
    ).toThrow(/private/);
  });
});
