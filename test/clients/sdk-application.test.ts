// @figuro/chatwoot-sdk (generated from Chatwoot's spec) driving the Application API, part 1.
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../harness.js';
import { ApiError, sdkClient } from './sdk.js';
import { buildAccountFixture } from '../factories.js';

const server = useTestServer();
const clientFor = (token: string) => sdkClient(server(), token);

describe('@figuro/chatwoot-sdk against the Application API', () => {
  it('manages agents, inboxes, inbox members, agent bots and teams', async () => {
    const fx = await buildAccountFixture(server());
    const client = clientFor(fx.admin.access_token);
    const accountId = fx.account.id;

    expect((await client.profile!.profile!()).id).toBe(fx.admin.id);

    const agents = await client.agents!.list!({ accountId });
    expect(agents.map((a: { id: number }) => a.id).sort()).toEqual([fx.admin.id, fx.agent.id].sort());
    const created = await client.agents!.create!({
      accountId,
      data: { name: 'SDK Agent', email: `sdk-agent-${Date.now()}@example.com`, role: 'agent' },
    });
    expect(created.name).toBe('SDK Agent');
    expect((await client.agents!.update!({ accountId, id: created.id, data: { role: 'administrator' } })).role).toBe(
      'administrator',
    );
    await client.agents!.delete!({ accountId, id: created.id });

    const inbox = await client.inboxes!.create!({
      accountId,
      data: { name: 'SDK Inbox', channel: { type: 'api', webhook_url: 'https://example.com/hook' } },
    });
    expect(inbox.inbox_identifier).toBeTruthy();
    expect((await client.inboxes!.list!({ accountId })).payload.map((i: { id: number }) => i.id)).toEqual([inbox.id]);
    expect((await client.inboxes!.get!({ accountId, id: inbox.id })).name).toBe('SDK Inbox');
    expect((await client.inboxes!.update!({ accountId, id: inbox.id, data: { name: 'Renamed Inbox' } })).name).toBe(
      'Renamed Inbox',
    );

    await client.inboxes!.addAgent!({ accountId, data: { inbox_id: inbox.id, user_ids: [fx.agent.id] } });
    expect(
      (await client.inboxes!.listAgents!({ accountId, inboxId: inbox.id })).payload.map((a: { id: number }) => a.id),
    ).toEqual([fx.agent.id]);
    await client.inboxes!.updateAgentsInInbox!({ accountId, data: { inbox_id: inbox.id, user_ids: [fx.admin.id] } });
    await client.inboxes!.removeAgent!({ accountId, inboxId: inbox.id, data: { user_ids: [fx.admin.id] } });
    expect((await client.inboxes!.listAgents!({ accountId, inboxId: inbox.id })).payload).toEqual([]);

    const bot = await client.accountAgentBots!.create!({
      accountId,
      data: { name: 'SDK Bot', outgoing_url: 'https://bot.example.com' },
    });
    expect((await client.accountAgentBots!.list!({ accountId })).map((b: { id: number }) => b.id)).toContain(bot.id);
    expect((await client.accountAgentBots!.get!({ accountId, id: bot.id })).name).toBe('SDK Bot');
    expect((await client.accountAgentBots!.update!({ accountId, id: bot.id, data: { name: 'SDK Bot 2' } })).name).toBe(
      'SDK Bot 2',
    );
    await client.inboxes!.updateAgentBot!({ accountId, id: inbox.id, data: { agent_bot: bot.id } });
    expect((await client.inboxes!.getAgentBot!({ accountId, id: inbox.id })).agent_bot.id).toBe(bot.id);
    await client.accountAgentBots!.delete!({ accountId, id: bot.id });

    const team = await client.teams!.create!({ accountId, data: { name: 'SDK Team' } });
    expect(team.name).toBe('sdk team');
    expect((await client.teams!.list!({ accountId })).map((t: { id: number }) => t.id)).toEqual([team.id]);
    expect((await client.teams!.get!({ accountId, teamId: team.id })).id).toBe(team.id);
    expect(
      (await client.teams!.update!({ accountId, teamId: team.id, data: { description: 'via SDK' } })).description,
    ).toBe('via SDK');
    await client.teams!.delete!({ accountId, teamId: team.id });
  });

  it("surfaces Chatwoot's 401 for an agent calling an administrator action", async () => {
    const fx = await buildAccountFixture(server());
    const error = await clientFor(fx.agent.access_token).teams!.create!({
      accountId: fx.account.id,
      data: { name: 'x' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as { status: number }).status).toBe(401);
    expect((error as { body: unknown }).body).toEqual({ error: 'You are not authorized to do this action' });
  });
});
