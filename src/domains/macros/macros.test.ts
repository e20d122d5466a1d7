// /api/v1/accounts/:account_id/macros (MacrosController, MacroPolicy, Macro): CRUD with Chatwoot's
// bodies, who sees, changes and runs each macro, and the 422s that leave nothing stored.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture, buildConversation, buildInbox, type AccountFixture } from '../../../test/factories.js';

const server = useTestServer();

const macroCount = async (accountId: number) =>
  (await sql<{ n: number }>`select count(*)::int as n from macros where account_id = ${accountId}`.execute(server().db))
    .rows[0]!.n;

async function createMacro(
  as: AccountFixture['asAdmin'],
  body: Record<string, unknown> = {},
): Promise<{ id: number } & Record<string, any>> {
  const res = await as('POST', '/macros', {
    name: 'Greet and close',
    visibility: 'global',
    actions: [{ action_name: 'send_message', action_params: ['Hello!'] }],
    ...body,
  });
  if (res.status !== 200) throw new Error(`createMacro: ${res.status} ${res.text}`);
  return res.body.payload;
}

describe('macros CRUD', () => {
  it("creates, shows, lists, updates and deletes with Chatwoot's macro JSON in payload", async () => {
    const fx = await buildAccountFixture(server());
    const created = await fx.asAdmin('POST', '/macros', {
      name: 'Label, note and resolve',
      visibility: 'global',
      actions: [
        { action_name: 'add_label', action_params: ['support', 'vip'] },
        { action_name: 'remove_assigned_team' },
        { action_name: 'add_private_note', action_params: ['Escalated'] },
        { action_name: 'resolve_conversation' },
      ],
    });
    expect(created.status, created.text).toBe(200);
    const macro = created.body.payload;
    expect(Object.keys(macro)).toEqual([
      'id',
      'name',
      'visibility',
      'created_by',
      'updated_by',
      'account_id',
      'actions',
    ]);
    expect(macro).toMatchObject({
      name: 'Label, note and resolve',
      visibility: 'global',
      account_id: fx.account.id,
      created_by: { id: fx.admin.id, role: 'administrator' },
      updated_by: { id: fx.admin.id },
      actions: [
        { action_name: 'add_label', action_params: ['support', 'vip'] },
        { action_name: 'remove_assigned_team' },
        { action_name: 'add_private_note', action_params: ['Escalated'] },
        { action_name: 'resolve_conversation' },
      ],
    });

    const shown = await fx.asAgent('GET', `/macros/${macro.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ payload: macro });
    const list = await fx.asAgent('GET', '/macros');
    expect(list.body).toEqual({ payload: [macro] });

    const renamed = await fx.asAdmin('PATCH', `/macros/${macro.id}`, { name: 'Renamed' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.payload).toMatchObject({ name: 'Renamed', visibility: 'global', actions: macro.actions });
    const replaced = await fx.asAdmin('PUT', `/macros/${macro.id}`, {
      actions: [{ action_name: 'send_message', action_params: ['Hi'] }],
      visibility: 'personal',
    });
    expect(replaced.body.payload).toMatchObject({
      name: 'Renamed',
      visibility: 'personal',
      actions: [{ action_name: 'send_message', action_params: ['Hi'] }],
    });

    const removed = await fx.asAdmin('DELETE', `/macros/${macro.id}`);
    expect(removed.status).toBe(200);
    expect(removed.text).toBe('');
    const gone = await fx.asAdmin('GET', `/macros/${macro.id}`);
    expect(gone.status).toBe(404);
    expect(gone.text).toBe('');
  });

  it('makes an agent’s macro personal whatever is asked, and records who changed it last', async () => {
    const fx = await buildAccountFixture(server());
    const mine = await createMacro(fx.asAgent, { visibility: 'global' });
    expect(mine.visibility).toBe('personal');
    expect(mine.created_by.id).toBe(fx.agent.id);
    const adminGlobal = await createMacro(fx.asAdmin);
    // an agent cannot change a global macro; an administrator can, and becomes updated_by
    const refused = await fx.asAgent('PATCH', `/macros/${adminGlobal.id}`, { name: 'Mine now' });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'You are not authorized to do this action' });
    expect((await fx.asAgent('DELETE', `/macros/${adminGlobal.id}`)).status).toBe(401);
    const agentGlobal = await createMacro(fx.asAgent);
    await server().db.updateTable('macros').set({ visibility: 1 }).where('id', '=', agentGlobal.id).execute();
    const byAdmin = await fx.asAdmin('PATCH', `/macros/${agentGlobal.id}`, { name: 'Tidied' });
    expect(byAdmin.status, byAdmin.text).toBe(200);
    expect(byAdmin.body.payload.created_by.id).toBe(fx.agent.id);
    expect(byAdmin.body.payload.updated_by.id).toBe(fx.admin.id);
    expect((await fx.asAdmin('GET', `/macros/${adminGlobal.id}`)).body.payload.name).toBe('Greet and close');
  });
});

describe('macro visibility', () => {
  it('shows global macros to everyone and personal ones to their author only, admins included', async () => {
    const fx = await buildAccountFixture(server());
    const global = await createMacro(fx.asAdmin, { name: 'global' });
    const adminsOwn = await createMacro(fx.asAdmin, { name: 'admin personal', visibility: 'personal' });
    const agentsOwn = await createMacro(fx.asAgent, { name: 'agent personal' });
    const names = async (as: AccountFixture['asAdmin']) =>
      ((await as('GET', '/macros')).body.payload as { name: string }[]).map((m) => m.name);
    expect(await names(fx.asAdmin)).toEqual(['global', 'admin personal']);
    expect(await names(fx.asAgent)).toEqual(['global', 'agent personal']);

    // someone else's personal macro does not exist for the caller, whatever the verb
    for (const [as, macro] of [
      [fx.asAdmin, agentsOwn],
      [fx.asAgent, adminsOwn],
    ] as const) {
      const shown = await as('GET', `/macros/${macro.id}`);
      expect(shown.status).toBe(404);
      expect((await as('PATCH', `/macros/${macro.id}`, { name: 'taken' })).status).toBe(404);
      expect((await as('DELETE', `/macros/${macro.id}`)).status).toBe(404);
      const run = await as('POST', `/macros/${macro.id}/execute`, { conversation_ids: [1] });
      expect(run.status).toBe(404);
      expect(run.body).toEqual({ error: 'Resource could not be found' });
    }
    expect((await fx.asAgent('GET', `/macros/${global.id}`)).status).toBe(200);
    // the author changes and deletes their own personal macro
    expect((await fx.asAgent('PATCH', `/macros/${agentsOwn.id}`, { name: 'renamed' })).status).toBe(200);
    expect((await fx.asAgent('DELETE', `/macros/${agentsOwn.id}`)).status).toBe(200);
    expect(await names(fx.asAgent)).toEqual(['global']);
  });

  it("refuses strangers and another account's macros", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirs = await createMacro(other.asAdmin);
    expect((await fx.asAdmin('GET', `/macros/${theirs.id}`)).status).toBe(404);
    expect((await fx.asAdmin('PATCH', `/macros/${theirs.id}`, { name: 'x' })).status).toBe(404);
    expect((await fx.asAdmin('DELETE', `/macros/${theirs.id}`)).status).toBe(404);
    expect((await fx.asAdmin('POST', `/macros/${theirs.id}/execute`, { conversation_ids: [1] })).status).toBe(404);
    expect((await fx.asAdmin('GET', '/macros')).body.payload).toEqual([]);
    expect((await other.asAdmin('GET', `/macros/${theirs.id}`)).body.payload.name).toBe('Greet and close');
    const anonymous = await server().request('GET', `/api/v1/accounts/${fx.account.id}/macros`);
    expect(anonymous.status).toBe(401);
    const stranger = await server().request('POST', `/api/v1/accounts/${other.account.id}/macros`, {
      token: fx.admin.access_token,
      body: { name: 'intruder', actions: [] },
    });
    expect(stranger.status).toBe(401);
    expect(await macroCount(other.account.id)).toBe(1);
  });
});

describe('macro input', () => {
  it("answers Chatwoot's 422s and stores nothing", async () => {
    const fx = await buildAccountFixture(server());
    const other = await buildAccountFixture(server());
    const theirTeam = (await other.asAdmin('POST', '/teams', { name: 'Theirs' })).body;
    const inbox = await buildInbox(other);
    const theirConversation = await buildConversation(other, inbox.id);
    const theirUpload = await other.asAdmin('POST', `/conversations/${theirConversation.id}/direct_uploads`, {
      blob: { filename: 'a.txt', byte_size: 1, checksum: 'x', content_type: 'text/plain' },
    });
    expect(theirUpload.status, theirUpload.text).toBe(200);
    const cases: [Record<string, unknown>, unknown][] = [
      [
        { name: 'x', actions: [{ action_name: 'send_email_to_team', action_params: [] }, { action_name: 'nope' }] },
        { error: { actions: ['Macro execution actions send_email_to_team,nope not supported.'] } },
      ],
      [{ name: '', actions: [] }, { error: { name: ["can't be blank"] } }],
      [{ actions: [] }, { error: { name: ["can't be blank"] } }],
      [{ name: 'x', visibility: 'public', actions: [] }, { error: "'public' is not a valid visibility" }],
      [
        { name: 'x', actions: [{ action_name: 'send_attachment', action_params: [999999] }] },
        { error: 'Invalid attachment' },
      ],
      [
        { name: 'x', actions: [{ action_name: 'send_attachment', action_params: [theirUpload.body.signed_id] }] },
        { error: 'Invalid attachment' },
      ],
      [
        { name: 'x', actions: [{ action_name: 'send_attachment', action_params: [theirUpload.body.id] }] },
        { error: 'Invalid attachment' },
      ],
      [
        { name: 'x', actions: [{ action_name: 'send_email_transcript', action_params: ['a@example.com, not-mail'] }] },
        { error: 'Invalid email addresses' },
      ],
      [
        { name: 'x', actions: [{ action_name: 'send_webhook_event', action_params: ['ftp://example.com/x'] }] },
        { error: 'Invalid webhook URL' },
      ],
      [
        { name: 'x', actions: [{ action_name: 'send_message', action_params: [] }] },
        { error: 'Message content is required' },
      ],
      [
        { name: 'x', actions: [{ action_name: 'add_private_note', action_params: [{ a: 1 }] }] },
        { error: 'Message content is required' },
      ],
    ];
    for (const [body, expected] of cases) {
      const res = await fx.asAdmin('POST', '/macros', body);
      expect(res.status, `${JSON.stringify(body)} → ${res.text}`).toBe(422);
      expect(res.body).toEqual(expected);
    }
    const tooLong = await fx.asAdmin('POST', '/macros', { name: 'x'.repeat(300), actions: [] });
    expect(tooLong.status).toBe(422);
    expect(await macroCount(fx.account.id)).toBe(0);
    expect(theirTeam.id).toBeGreaterThan(0);

    // an update that fails leaves the macro as it was
    const macro = await createMacro(fx.asAdmin);
    const bad = await fx.asAdmin('PATCH', `/macros/${macro.id}`, {
      name: 'changed',
      actions: [{ action_name: 'open_conversation' }],
    });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ error: { actions: ['Macro execution actions open_conversation not supported.'] } });
    expect((await fx.asAdmin('GET', `/macros/${macro.id}`)).body.payload).toEqual(macro);
  });
});

describe('macro attachments', () => {
  it("stores send_attachment's signed id as its blob id and shows the file; an update keeps it by that id", async () => {
    const fx = await buildAccountFixture(server());
    const form = new FormData();
    form.append('attachment', new Blob([new Uint8Array([1, 2, 3])], { type: 'text/plain' }), 'terms.txt');
    const res = await fetch(new URL(`/api/v1/accounts/${fx.account.id}/upload`, server().url), {
      method: 'POST',
      headers: { api_access_token: fx.admin.access_token },
      body: form,
    });
    const blob = (await res.json()) as { blob_key: string; blob_id: number };
    const macro = await createMacro(fx.asAdmin, {
      actions: [{ action_name: 'send_attachment', action_params: [blob.blob_key] }],
    });
    expect(macro.actions).toEqual([{ action_name: 'send_attachment', action_params: [blob.blob_id] }]);
    expect(macro.files).toEqual([
      expect.objectContaining({ blob_id: blob.blob_id, macro_id: macro.id, filename: 'terms.txt' }),
    ]);
    const updated = await fx.asAdmin('PATCH', `/macros/${macro.id}`, {
      actions: [{ action_name: 'send_attachment', action_params: [blob.blob_id] }],
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.payload.files).toEqual(macro.files);
  });
});
