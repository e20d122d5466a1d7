import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../test/harness.js';
import { buildAccountFixture, buildInbox } from '../../test/factories.js';
import { publicApi } from '../../test/public-api.js';
import { identifierHash, identifierHashMatches } from './hmac.js';

const server = useTestServer();
const INVALID = { error: 'HMAC failed: Invalid Identifier Hash Provided' };
const CONFLICT = { error: 'HMAC failed: Identifier does not match contact' };

describe('identifier hash', () => {
  it("is OpenSSL::HMAC.hexdigest('sha256', hmac_token, identifier), compared exactly", () => {
    const expected = createHmac('sha256', 'token-1').update('user-42').digest('hex');
    expect(identifierHash('token-1', 'user-42')).toBe(expected);
    expect(identifierHashMatches('token-1', 'user-42', expected)).toBe(true);
    expect(identifierHashMatches('token-1', 'user-42', expected.toUpperCase())).toBe(false);
    expect(identifierHashMatches('token-1', 'user-43', expected)).toBe(false);
    expect(identifierHashMatches('token-2', 'user-42', expected)).toBe(false);
    expect(identifierHashMatches('token-1', 'user-42', '')).toBe(false);
    expect(identifierHashMatches('token-1', 'user-42', `${expected}0`)).toBe(false);
  });
});

describe('Client API identity validation', () => {
  it('with hmac_mandatory, refuses contacts without a valid identifier_hash, as Chatwoot does', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx, { channel: { type: 'api', hmac_mandatory: true } });
    const api = publicApi(server());
    const contacts = `/inboxes/${inbox.inbox_identifier}/contacts`;
    expect((await api.request('GET', `/inboxes/${inbox.inbox_identifier}`)).body.identity_validation_enabled).toBe(
      true,
    );
    for (const body of [
      {},
      { identifier: 'u-1' },
      { identifier: 'u-1', identifier_hash: 'f'.repeat(64) },
      { identifier: 'u-1', identifier_hash: identifierHash(inbox.hmac_token, 'u-2') },
    ]) {
      const res = await api.request('POST', contacts, body);
      expect(res.status, JSON.stringify(body)).toBe(401);
      expect(res.body).toEqual(INVALID);
    }
    const count = await server()
      .db.selectFrom('contact_inboxes')
      .select('id')
      .where('inbox_id', '=', inbox.id)
      .execute();
    expect(count).toEqual([]);

    const hash = identifierHash(inbox.hmac_token, 'u-1');
    const created = await api.request('POST', contacts, { identifier: 'u-1', identifier_hash: hash, name: 'Verified' });
    expect(created.status, created.text).toBe(200);
    const ci = await server()
      .db.selectFrom('contact_inboxes')
      .selectAll()
      .where('source_id', '=', created.body.source_id)
      .executeTakeFirstOrThrow();
    expect(ci.hmac_verified).toBe(true);
    // show and update need the pair too (in the query string for GET)
    expect((await api.request('GET', `${contacts}/${created.body.source_id}`)).status).toBe(401);
    const shown = await api.request(
      'GET',
      `${contacts}/${created.body.source_id}?identifier=u-1&identifier_hash=${hash}`,
    );
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body).toEqual(created.body);
    expect((await api.request('PATCH', `${contacts}/${created.body.source_id}`, { name: 'New' })).body).toEqual(
      INVALID,
    );
    const updated = await api.request('PATCH', `${contacts}/${created.body.source_id}`, {
      name: 'New',
      identifier: 'u-1',
      identifier_hash: hash,
    });
    expect(updated.body).toMatchObject({ name: 'New', identifier: 'u-1' });
    // the agents see the verification
    const conversation = await api.conversation(inbox.inbox_identifier, created.body.source_id);
    expect((await fx.asAdmin('GET', `/conversations/${conversation.id}`)).body.meta.hmac_verified).toBe(true);
  });

  it('without the flag, a valid hash still verifies and a wrong one is still refused', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contacts = `/inboxes/${inbox.inbox_identifier}/contacts`;
    const anonymous = await api.contact(inbox.inbox_identifier, { identifier: 'v-1' });
    const plain = await server()
      .db.selectFrom('contact_inboxes')
      .select('hmac_verified')
      .where('source_id', '=', anonymous.source_id)
      .executeTakeFirstOrThrow();
    expect(plain.hmac_verified).toBe(false);
    expect(
      (await api.request('GET', `${contacts}/${anonymous.source_id}?identifier=v-1&identifier_hash=${'0'.repeat(64)}`))
        .body,
    ).toEqual(INVALID);
    const ok = await api.request(
      'GET',
      `${contacts}/${anonymous.source_id}?identifier=v-1&identifier_hash=${identifierHash(inbox.hmac_token, 'v-1')}`,
    );
    expect(ok.status).toBe(200);
    const after = await server()
      .db.selectFrom('contact_inboxes')
      .select('hmac_verified')
      .where('source_id', '=', anonymous.source_id)
      .executeTakeFirstOrThrow();
    expect(after.hmac_verified).toBe(true);
  });

  it('refuses a valid pair replayed against another contact, and never verifies an anonymous contact', async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const contacts = `/inboxes/${inbox.inbox_identifier}/contacts`;
    const victim = await api.contact(inbox.inbox_identifier, { identifier: 'victim', email: 'victim@example.com' });
    const attackerHash = identifierHash(inbox.hmac_token, 'attacker');
    // the attacker's own valid pair against the victim's contact inbox
    expect(
      (await api.request('GET', `${contacts}/${victim.source_id}?identifier=attacker&identifier_hash=${attackerHash}`))
        .body,
    ).toEqual(CONFLICT);
    // or binding a new contact inbox to the victim by email while proving another identifier
    expect(
      (
        await api.request('POST', contacts, {
          email: 'victim@example.com',
          identifier: 'attacker',
          identifier_hash: attackerHash,
        })
      ).status,
    ).toBe(401);
    const anonymous = await api.contact(inbox.inbox_identifier);
    const replay = await api.request(
      'GET',
      `${contacts}/${anonymous.source_id}?identifier=attacker&identifier_hash=${attackerHash}`,
    );
    expect(replay.status).toBe(200);
    const row = await server()
      .db.selectFrom('contact_inboxes')
      .select('hmac_verified')
      .where('source_id', '=', anonymous.source_id)
      .executeTakeFirstOrThrow();
    expect(row.hmac_verified).toBe(false);
  });

  it("widens a verified contact inbox to all of the contact's conversations", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = publicApi(server());
    const hash = identifierHash(inbox.hmac_token, 'multi');
    const phone = await api.contact(inbox.inbox_identifier, { identifier: 'multi', identifier_hash: hash });
    const laptop = await api.contact(inbox.inbox_identifier, { identifier: 'multi' });
    expect(laptop.id).toBe(phone.id);
    const onLaptop = await api.conversation(inbox.inbox_identifier, laptop.source_id);
    const onPhone = await api.conversation(inbox.inbox_identifier, phone.source_id);
    const phoneList = await api.request(
      'GET',
      `/inboxes/${inbox.inbox_identifier}/contacts/${phone.source_id}/conversations`,
    );
    expect(phoneList.body.map((c: { id: number }) => c.id)).toEqual([onLaptop.id, onPhone.id]);
    const laptopList = await api.request(
      'GET',
      `/inboxes/${inbox.inbox_identifier}/contacts/${laptop.source_id}/conversations`,
    );
    expect(laptopList.body.map((c: { id: number }) => c.id)).toEqual([onLaptop.id]);
    const sent = await api.message(inbox.inbox_identifier, phone.source_id, onLaptop.id, { content: 'from my phone' });
    expect(sent.conversation_id).toBe(onLaptop.id);
  });
});
