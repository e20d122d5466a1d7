// send_attachment in automation rules (AutomationRulesController with AttachmentConcern, and
// AutomationRule#file_base_data in the rule's partial): a file named by its signed id is stored as
// its blob id and shown in `files`, an unknown one is a 422 `{"error":"Invalid attachment"}`, and
// the rule's run sends the file.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer({ CONFAB_JOB_POLL_MS: '50' });

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** POST /upload (Api::V1::UploadController): `blob_key` is the signed id here, `blob_id` the blob's id. */
async function upload(fx: AccountFixture, filename = 'pixel.png'): Promise<{ blob_key: string; blob_id: number }> {
  const form = new FormData();
  form.append('attachment', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), filename);
  const res = await fetch(new URL(`/api/v1/accounts/${fx.account.id}/upload`, server().url), {
    method: 'POST',
    headers: { api_access_token: fx.admin.access_token },
    body: form,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { blob_key: string; blob_id: number };
}

const RULE = {
  name: 'Send the brochure',
  event_name: 'conversation_created',
  conditions: [{ attribute_key: 'status', filter_operator: 'equal_to', values: ['open'], query_operator: null }],
};

const storedRule = (id: number) =>
  server().db.selectFrom('automation_rules').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const ruleCount = async (fx: AccountFixture) =>
  (
    await sql<{
      n: number;
    }>`select count(*)::int as n from automation_rules where account_id = ${fx.account.id}`.execute(server().db)
  ).rows[0]!.n;

describe('automation rule attachments', () => {
  it('stores a signed id as its blob id and shows the file in files, on every route', async () => {
    const fx = await buildAccountFixture(server());
    const one = await upload(fx, 'brochure.png');
    const two = await upload(fx, 'map.png');
    const created = await fx.asAdmin('POST', '/automation_rules', {
      ...RULE,
      actions: [
        { action_name: 'send_message', action_params: ['Here is our brochure'] },
        { action_name: 'send_attachment', action_params: [one.blob_key] },
        { action_name: 'send_attachment', action_params: [two.blob_key] },
      ],
    });
    expect(created.status, created.text).toBe(200);
    const rule = created.body;
    // AttachmentConcern replaces the signed id with the blob's id before saving
    expect(rule.actions).toEqual([
      { action_name: 'send_message', action_params: ['Here is our brochure'] },
      { action_name: 'send_attachment', action_params: [one.blob_id] },
      { action_name: 'send_attachment', action_params: [two.blob_id] },
    ]);
    expect((await storedRule(rule.id)).actions).toEqual(rule.actions);
    expect(Object.keys(rule).at(-1)).toBe('files');
    expect(rule.files).toEqual([
      {
        id: one.blob_id,
        automation_rule_id: rule.id,
        file_type: 'image/png',
        account_id: fx.account.id,
        file_url: expect.stringContaining('brochure.png'),
        blob_id: one.blob_id,
        filename: 'brochure.png',
      },
      expect.objectContaining({ blob_id: two.blob_id, filename: 'map.png', automation_rule_id: rule.id }),
    ]);
    // the file's URL serves the uploaded bytes
    const served = await fetch(new URL(new URL(rule.files[0].file_url).pathname, server().url));
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);

    expect((await fx.asAdmin('GET', `/automation_rules/${rule.id}`)).body.payload).toEqual(rule);
    expect((await fx.asAdmin('GET', '/automation_rules')).body.payload).toEqual([rule]);
    const copy = (await fx.asAdmin('POST', `/automation_rules/${rule.id}/clone`)).body.payload;
    expect(copy.files.map((f: { blob_id: number }) => f.blob_id)).toEqual([one.blob_id, two.blob_id]);
    expect(copy.files[0].automation_rule_id).toBe(copy.id);

    // an update may keep the file by its blob id and add another by its signed id
    const three = await upload(fx, 'price-list.png');
    const updated = await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, {
      actions: [
        { action_name: 'send_attachment', action_params: [one.blob_id] },
        { action_name: 'send_attachment', action_params: [three.blob_key] },
      ],
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.payload.actions).toEqual([
      { action_name: 'send_attachment', action_params: [one.blob_id] },
      { action_name: 'send_attachment', action_params: [three.blob_id] },
    ]);
    expect(updated.body.payload.files.map((f: { filename: string }) => f.filename)).toEqual([
      'brochure.png',
      'price-list.png',
    ]);

    // without send_attachment the rule has no files key at all
    const plain = await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, {
      actions: [{ action_name: 'resolve_conversation' }],
    });
    expect(plain.status).toBe(200);
    expect(plain.body.payload).not.toHaveProperty('files');
  });

  it('answers 422 {"error":"Invalid attachment"} for a file that is not the account\'s, storing and changing nothing', async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = await upload(other);
    const mine = await upload(fx);
    const bad: unknown[][] = [['invalid_blob_id'], [999_999_999], [theirs.blob_key], [theirs.blob_id], [], [null]];
    for (const params of bad) {
      const res = await fx.asAdmin('POST', '/automation_rules', {
        ...RULE,
        actions: [{ action_name: 'send_attachment', action_params: params }],
      });
      expect(res.status, `${JSON.stringify(params)} → ${res.text}`).toBe(422);
      expect(res.body).toEqual({ error: 'Invalid attachment' });
    }
    // the attachment check comes first, as the controller runs it before the model's validations
    const nameless = await fx.asAdmin('POST', '/automation_rules', {
      event_name: 'conversation_created',
      conditions: [],
      actions: [{ action_name: 'send_attachment', action_params: ['nope'] }],
    });
    expect(nameless.body).toEqual({ error: 'Invalid attachment' });
    expect(await ruleCount(fx)).toBe(0);

    const rule = (
      await fx.asAdmin('POST', '/automation_rules', {
        ...RULE,
        actions: [{ action_name: 'send_attachment', action_params: [mine.blob_key] }],
      })
    ).body;
    const before = await storedRule(rule.id);
    const res = await fx.asAdmin('PATCH', `/automation_rules/${rule.id}`, {
      name: 'Changed',
      actions: [{ action_name: 'send_attachment', action_params: [999_999_999] }],
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Invalid attachment' });
    expect(await storedRule(rule.id)).toEqual(before);
  });

  it("sends the rule's file when it runs", async () => {
    const fx = await buildAccountFixture(server());
    const file = await upload(fx, 'welcome.png');
    const rule = await fx.asAdmin('POST', '/automation_rules', {
      ...RULE,
      actions: [{ action_name: 'send_attachment', action_params: [file.blob_key] }],
    });
    expect(rule.status, rule.text).toBe(200);
    const inbox = await buildInbox(fx);
    const conversation = await buildConversation(fx, inbox.id);
    const until = Date.now() + 10_000;
    let sent: { content_attributes: Record<string, unknown>; attachments?: { data_url: string }[] } | undefined;
    while (!sent && Date.now() < until) {
      const messages = (await fx.asAdmin('GET', `/conversations/${conversation.id}/messages`)).body.payload as {
        message_type: number;
        content_attributes: Record<string, unknown>;
        attachments?: { data_url: string }[];
      }[];
      sent = messages.find((m) => m.message_type === 1 && m.attachments?.length);
      if (!sent) await new Promise((r) => setTimeout(r, 50));
    }
    expect(sent, 'no message with the attachment').toBeDefined();
    expect(sent!.content_attributes).toEqual({ automation_rule_id: rule.body.id });
    const served = await fetch(new URL(new URL(sent!.attachments![0]!.data_url).pathname, server().url));
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });
});
