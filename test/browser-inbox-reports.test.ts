import fs from 'node:fs/promises';
import type { Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { type AccountFixture, buildAccountFixture, buildConversation, buildInbox } from './factories.js';
import { useInboxBrowser } from './inbox-kit.js';
import { seconds, slaKit } from './sla-kit.js';

// The reports screens of the agent inbox (/app/accounts/:id/reports) in Chromium, against the real
// server: conversations are made and resolved through the APIs first, and every number the page
// shows is compared with what the reports API answers for the very request the page made.

const { server, openTab, signInWithPassword, createContact } = useInboxBrowser();

let fx: AccountFixture;
let inbox: { id: number; inbox_identifier: string };
let agentName: string;
const ok = async (method: string, path: string, body?: unknown) => {
  const res = await fx.asAdmin(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
};
/** GET a path (with its query) the page asked for, as the administrator; the body or the text. */
const asAdmin = async (url: string, account: AccountFixture = fx) => {
  const { pathname, search } = new URL(url);
  const res = await server().request('GET', `${pathname}${search}`, { token: account.admin.access_token });
  expect(res.status, res.text).toBe(200);
  return res;
};

/**
 * The contacts' chats: four conversations; Ada and Cleo assigned to the agent; the administrator
 * answers Ada, Brian and Cleo and resolves Ada and Brian, who then rate the conversation 5 and 2.
 */
beforeAll(async () => {
  fx = await buildAccountFixture(server());
  inbox = await buildInbox(fx);
  agentName = (await ok('GET', '/agents')).find((a: { id: number }) => a.id === fx.agent.id).name;
  const chats = [];
  for (const name of ['Ada', 'Brian', 'Cleo', 'Dmitri']) {
    const chat = await createContact(inbox.inbox_identifier, name);
    await chat.say(`Hello from ${name}`);
    chats.push(chat);
  }
  const [ada, brian, cleo] = chats as [(typeof chats)[0], (typeof chats)[0], (typeof chats)[0]];
  for (const chat of [ada, cleo])
    await ok('POST', `/conversations/${chat.conversationId}/assignments`, { assignee_id: fx.agent.id });
  for (const chat of [ada, brian, cleo])
    await ok('POST', `/conversations/${chat.conversationId}/messages`, { content: 'Looking into it' });
  for (const [chat, rating, feedback] of [
    [ada, 5, 'Quick and kind'],
    [brian, 2, '=HYPERLINK("x")'],
  ] as const) {
    await ok('POST', `/conversations/${chat.conversationId}/toggle_status`, { status: 'resolved' });
    await ok('POST', `/conversations/${chat.conversationId}/messages`, {
      content: 'Please rate us',
      content_type: 'input_csat',
    });
    const { uuid } = await ok('GET', `/conversations/${chat.conversationId}`);
    const res = await server().request('PUT', `/public/api/v1/csat_survey/${uuid}`, {
      body: { message: { submitted_values: { csat_survey_response: { rating, feedback_message: feedback } } } },
    });
    expect(res.status, res.text).toBe(200);
  }
});

/** A signed-in administrator on a reports section, reached through the sidebar and the reports menu. */
async function openReports(section: string, options: { bypassCSP?: boolean } = {}) {
  const opened = await openTab({ acceptDownloads: true, ...options });
  const responses: Response[] = [];
  opened.tab.on('response', (r) => responses.push(r));
  await signInWithPassword(opened.tab, fx.admin.email);
  await opened.tab.click('.sidebar a:has-text("Reports")');
  await opened.tab.waitForSelector('.reports-nav');
  if (section !== 'overview') await opened.tab.click(`.reports-nav a[href$="/reports/${section}"]`);
  await opened.tab.waitForSelector('#report-title');
  /** The latest answer to a request whose URL contains `part` (waiting for the first one). */
  const answered = async (part: string) => {
    await expect.poll(() => responses.some((r) => r.url().includes(part))).toBe(true);
    return responses.filter((r) => r.url().includes(part)).at(-1) as Response;
  };
  return { ...opened, answered, responses };
}

/** The search parameters of a response's request. */
const paramsOf = (r: Response) => Object.fromEntries(new URL(r.url()).searchParams);

/** The values of a chart's table, in order. */
const chartValues = (tab: Page, metric: string) =>
  tab.$$eval(`.report-chart[data-metric=${metric}] td[data-value]`, (tds) =>
    tds.map((td) => Number(td.getAttribute('data-value'))),
  );

/** The text of a summary card. */
const card = (tab: Page, metric: string) =>
  tab.textContent(`.report-cards li[data-metric=${metric}] .report-card-value`);

/** Clicks a download button and reads the saved file. */
async function download(tab: Page, button: string) {
  const [file] = await Promise.all([tab.waitForEvent('download'), tab.click(`button:has-text("${button}")`)]);
  return { name: file.suggestedFilename(), text: await fs.readFile((await file.path()) as string, 'utf8') };
}

describe('reports in Chromium', () => {
  it('overview: live counts, agents and the hourly heatmap as the API has them', async () => {
    const { tab, problems, close } = await openReports('overview');
    try {
      const live = tab.waitForResponse((r) => r.url().includes('/live_reports/conversation_metrics'));
      await tab.click('button:has-text("Refresh")');
      const metrics = await (await live).json();
      // Cleo (the agent's, answered) and Dmitri (nobody's, unanswered) are open
      expect(metrics).toEqual({ open: 2, unattended: 1, unassigned: 1, pending: 0 });
      await tab.waitForSelector('.report-cards li[data-metric=open]');
      for (const key of ['open', 'unattended', 'unassigned', 'pending'])
        await expect.poll(() => card(tab, key), { message: key }).toBe(String(metrics[key]));

      const agentRow = `table[aria-label="Conversations by agent"] tr[data-id="${fx.agent.id}"]`;
      expect(await tab.textContent(`${agentRow} th`)).toBe(agentName);
      expect(await tab.textContent(`${agentRow} [data-field=open]`)).toBe('1');
      expect(await tab.textContent(`${agentRow} [data-field=unattended]`)).toBe('0');

      // every conversation of the seeding lands in one cell of the last 7 days
      const cells = await tab.$$eval('.heatmap td', (tds) => tds.map((td) => Number(td.textContent || 0)));
      expect(cells).toHaveLength(7 * 24);
      expect(cells.reduce((a, b) => a + b, 0)).toBe(4);

      const traffic = await download(tab, 'Download traffic CSV');
      expect(traffic.name).toBe('conversation_traffic_reports.csv');
      expect(traffic.text.split('\n')[2]).toMatch(/^Start of the hour,/);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('conversations: the summary and charts match the API; range and grouping switch the request', async () => {
    const { tab, problems, close } = await openReports('overview');
    try {
      const summaryCall = tab.waitForResponse((r) => r.url().includes('/reports/summary'));
      // by day: the overview's hourly heatmap asks for the same metric and may still be on its way
      const chartCall = tab.waitForResponse((r) => /\/reports\?metric=conversations_count.*group_by=day/.test(r.url()));
      await tab.click('.reports-nav a[href$="/reports/conversations"]');
      const summary = await summaryCall;
      const figures = await summary.json();
      expect(figures).toMatchObject({ conversations_count: 4, resolutions_count: 2, incoming_messages_count: 4 });
      // the page's numbers are the answer to the page's own request, read again here
      expect((await asAdmin(summary.url())).body).toEqual(figures);
      await tab.waitForSelector('.report-cards li[data-metric=conversations_count]');
      await expect.poll(() => card(tab, 'conversations_count')).toBe('4');
      await expect.poll(() => card(tab, 'resolutions_count')).toBe('2');
      await expect.poll(() => card(tab, 'outgoing_messages_count')).toBe(String(figures.outgoing_messages_count));

      const points = await (await chartCall).json();
      expect(points).toHaveLength(7);
      await tab.waitForSelector('.report-chart[data-metric=conversations_count]');
      expect(await chartValues(tab, 'conversations_count')).toEqual(points.map((p: { value: number }) => p.value));
      expect((await chartValues(tab, 'conversations_count')).reduce((a, b) => a + b, 0)).toBe(4);
      expect(await tab.getAttribute('.report-chart[data-metric=conversations_count] svg', 'aria-label')).toContain(
        'Conversations',
      );

      // last 30 days, by week
      const month = tab.waitForResponse((r) => /metric=conversations_count.*group_by=day/.test(r.url()));
      await tab.selectOption('select[name=range]', '30d');
      const monthUrl = new URL((await month).url());
      expect(
        Number(monthUrl.searchParams.get('until')) - Number(monthUrl.searchParams.get('since')),
      ).toBeGreaterThanOrEqual(30 * 86_400 - 3_600);
      const weekly = tab.waitForResponse((r) => /metric=conversations_count.*group_by=week/.test(r.url()));
      await tab.selectOption('select[name=group_by]', 'week');
      const weeks = await (await weekly).json();
      await tab.waitForSelector('.report-charts[data-group-by=week]');
      expect(await chartValues(tab, 'conversations_count')).toEqual(weeks.map((p: { value: number }) => p.value));
      expect(weeks.length).toBeGreaterThanOrEqual(5);
      expect((await chartValues(tab, 'conversations_count')).reduce((a, b) => a + b, 0)).toBe(4);

      // business hours: the same reports of value_in_business_hours
      const business = tab.waitForResponse(
        (r) => r.url().includes('/reports/summary') && r.url().includes('business_hours=true'),
      );
      await tab.check('input[name=business_hours]');
      expect((await business).status()).toBe(200);

      // a custom range of one day long ago: nothing in it
      const custom = tab.waitForResponse((r) => r.url().includes('/reports/summary') && r.url().includes('since=1577'));
      await tab.selectOption('select[name=range]', 'custom');
      await tab.fill('input[name=to]', '2020-01-02');
      await tab.fill('input[name=from]', '2020-01-01');
      expect((await (await custom).json()).conversations_count).toBe(0);
      await tab.waitForFunction(
        () => document.querySelector('.report-cards li[data-metric=conversations_count] strong')?.textContent === '0',
      );
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("agents, inboxes, labels and teams: the summary tables match the API and the CSV downloads are the API's", async () => {
    await ok('POST', '/labels', { title: 'billing' });
    const team = await ok('POST', '/teams', { name: 'Night shift' });
    const { tab, problems, close, answered } = await openReports('agents');
    try {
      const agents = (await asAdmin((await answered('/summary_reports/agent')).url())).body;
      const byId = (id: number) => agents.find((a: { id: number }) => a.id === id);
      // conversations by assignee, resolutions by whoever resolved them
      expect(byId(fx.agent.id)).toMatchObject({ conversations_count: 2, resolved_conversations_count: 0 });
      expect(byId(fx.admin.id)).toMatchObject({ conversations_count: 0, resolved_conversations_count: 2 });
      const row = (id: number) => `table[aria-label="Agents summary"] tr[data-id="${id}"]`;
      await tab.waitForSelector(row(fx.agent.id));
      expect(await tab.textContent(`${row(fx.agent.id)} th`)).toBe(agentName);
      expect(await tab.textContent(`${row(fx.agent.id)} [data-field=conversations_count]`)).toBe('2');
      expect(await tab.textContent(`${row(fx.admin.id)} [data-field=resolved_conversations_count]`)).toBe('2');
      expect(await tab.textContent(`${row(fx.admin.id)} [data-field=avg_first_response_time]`)).not.toBe('—');

      const csvCall = tab.waitForRequest((r) => r.url().includes('/reports/agents'));
      const csv = await download(tab, 'Download agents report');
      expect(csv.name).toBe('agents_report.csv');
      expect(csv.text).toBe((await asAdmin((await csvCall).url())).text);
      expect(csv.text).toContain(agentName);

      await tab.click('.reports-nav a[href$="/reports/inboxes"]');
      const inboxRow = `table[aria-label="Inboxes summary"] tr[data-id="${inbox.id}"]`;
      await tab.waitForSelector(inboxRow);
      expect(await tab.textContent(`${inboxRow} [data-field=conversations_count]`)).toBe('4');
      expect(await tab.textContent(`${inboxRow} [data-field=resolved_conversations_count]`)).toBe('2');
      const inboxCsv = await download(tab, 'Download inboxes report');
      expect(inboxCsv.name).toBe('inboxes_report.csv');
      expect(inboxCsv.text.split('\n')[0]).toContain('Inbox name');

      await tab.click('.reports-nav a[href$="/reports/labels"]');
      await tab.waitForSelector('table[aria-label="Labels summary"] th:has-text("billing")');

      await tab.click('.reports-nav a[href$="/reports/teams"]');
      await tab.waitForSelector(
        `table[aria-label="Teams summary"] tr[data-id="${team.id}"] th:has-text("Night shift")`,
      );
      const teamCsv = await download(tab, 'Download teams report');
      expect(teamCsv.name).toBe('teams_report.csv');
      // Chatwoot keeps team names in lower case
      expect(teamCsv.text).toContain('night shift');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("one agent's and one inbox's figures and charts: the requests carry type and id, the page shows their answers", async () => {
    // the CSP is bypassed only so that axe-core can be injected
    const { tab, problems, close, answered, responses } = await openReports('agents', { bypassCSP: true });
    try {
      await answered('/summary_reports/agent');
      const link = `table[aria-label="Agents summary"] tr[data-id="${fx.agent.id}"] th a`;
      await tab.waitForSelector(link);
      const isAgent = (r: Response) => {
        const q = paramsOf(r);
        return q.type === 'agent' && q.id === String(fx.agent.id);
      };
      const summaryCall = tab.waitForResponse((r) => r.url().includes('/reports/summary?') && isAgent(r));
      const chartCall = tab.waitForResponse(
        (r) => /\/reports\?metric=conversations_count/.test(r.url()) && isAgent(r) && paramsOf(r).group_by === 'day',
      );
      const before = responses.length;
      // a click on the agent's name in the summary table
      await tab.click(link);
      const summary = await summaryCall;
      const figures = await summary.json();
      // the agent's two conversations (Ada and Cleo), neither resolved
      expect(figures).toMatchObject({ conversations_count: 2, resolutions_count: 0 });
      expect((await asAdmin(summary.url())).body).toEqual(figures);
      await tab.waitForSelector('#report-detail-title');
      expect(await tab.textContent('#report-detail-title')).toBe(agentName);
      expect(new URL(tab.url()).searchParams.get('id')).toBe(String(fx.agent.id));
      expect(await tab.inputValue('select[name=entity]')).toBe(String(fx.agent.id));
      await tab.waitForSelector('.report-cards li[data-metric=conversations_count]');
      await expect.poll(() => card(tab, 'conversations_count')).toBe('2');
      await expect.poll(() => card(tab, 'resolutions_count')).toBe('0');
      await expect.poll(() => card(tab, 'outgoing_messages_count')).toBe(String(figures.outgoing_messages_count));
      const points = await (await chartCall).json();
      await tab.waitForSelector('.report-chart[data-metric=conversations_count]');
      expect(await chartValues(tab, 'conversations_count')).toEqual(points.map((p: { value: number }) => p.value));
      expect((await chartValues(tab, 'conversations_count')).reduce((a, b) => a + b, 0)).toBe(2);
      expect(await axeViolations(tab)).toEqual([]);

      // the grouping is offered on the detail, and its requests stay the agent's
      const weekly = tab.waitForResponse((r) => r.url().includes('group_by=week') && isAgent(r));
      await tab.selectOption('select[name=range]', '30d');
      await tab.selectOption('select[name=group_by]', 'week');
      expect((await weekly).status()).toBe(200);
      await tab.waitForSelector('.report-charts[data-group-by=week]');
      // every figure and chart the detail asked for is the agent's
      const asked = responses.slice(before).filter((r) => /\/reports(\/summary)?\?/.test(r.url()));
      expect(asked.length).toBeGreaterThanOrEqual(8);
      expect(asked.filter((r) => !isAgent(r)).map((r) => r.url())).toEqual([]);

      // all agents again: the table is back, without an id in the address
      await tab.selectOption('select[name=entity]', '');
      await tab.waitForSelector(link);
      expect(new URL(tab.url()).searchParams.get('id')).toBeNull();

      await tab.click('.reports-nav a[href$="/reports/inboxes"]');
      await tab.waitForSelector(`select[name=entity] option[value="${inbox.id}"]`, { state: 'attached' });
      const isInbox = (r: Response) => paramsOf(r).type === 'inbox' && paramsOf(r).id === String(inbox.id);
      const inboxSummary = tab.waitForResponse((r) => r.url().includes('/reports/summary?') && isInbox(r));
      const inboxChart = tab.waitForResponse((r) => /\/reports\?metric=resolutions_count/.test(r.url()) && isInbox(r));
      await tab.selectOption('select[name=entity]', String(inbox.id));
      const inboxFigures = await (await inboxSummary).json();
      expect(inboxFigures).toMatchObject({ conversations_count: 4, resolutions_count: 2 });
      await tab.waitForFunction(
        () => document.querySelector('.report-cards li[data-metric=resolutions_count] strong')?.textContent === '2',
      );
      await expect.poll(() => card(tab, 'conversations_count')).toBe('4');
      const resolved = await (await inboxChart).json();
      await tab.waitForSelector('.report-chart[data-metric=resolutions_count]');
      expect(await chartValues(tab, 'resolutions_count')).toEqual(resolved.map((p: { value: number }) => p.value));
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('CSAT: metrics, responses with a rating filter, and the escaped CSV download', async () => {
    const { tab, problems, close, answered } = await openReports('csat');
    try {
      const metrics = await (await answered('/csat_survey_responses/metrics')).json();
      expect(metrics).toEqual({ total_count: 2, ratings_count: { '2': 1, '5': 1 }, total_sent_messages_count: 2 });
      await tab.waitForSelector('.report-cards li[data-metric=total_count]');
      await expect.poll(() => card(tab, 'total_count')).toBe('2');
      await expect.poll(() => card(tab, 'response_rate')).toBe('100%');
      await expect.poll(() => card(tab, 'satisfaction')).toBe('50%');
      await expect.poll(() => card(tab, 'rating_5')).toBe('1');
      await tab.waitForSelector('table[aria-label="CSAT responses"] tbody tr[data-id]');
      const ratings = await tab.$$eval('table[aria-label="CSAT responses"] td[data-field=rating]', (cells) =>
        cells.map((c) => c.textContent),
      );
      // newest first: Brian rated after Ada
      expect(ratings).toEqual(['2', '5']);
      await expect.poll(() => tab.textContent('.report-pager span')).toBe('Page 1 of 1');

      const filtered = tab.waitForResponse(
        (r) => r.url().includes('/csat_survey_responses?') && r.url().includes('rating%5B%5D=5'),
      );
      await tab.selectOption('select[name=rating]', '5');
      const rows = await (await filtered).json();
      expect(rows.map((r: { rating: number }) => r.rating)).toEqual([5]);
      await tab.waitForFunction(
        () => document.querySelectorAll('table[aria-label="CSAT responses"] tbody tr[data-id]').length === 1,
      );
      expect(await tab.textContent('table[aria-label="CSAT responses"] tbody')).toContain('Quick and kind');
      await tab.selectOption('select[name=rating]', '');
      await tab.waitForFunction(
        () => document.querySelectorAll('table[aria-label="CSAT responses"] tbody tr[data-id]').length === 2,
      );

      const csvCall = tab.waitForRequest((r) => r.url().includes('/csat_survey_responses/download'));
      const csv = await download(tab, 'Download CSAT responses');
      // the API's file, with its byte order mark (which decoding an answer drops, here as in the page)
      expect(csv.text).toBe(`\uFEFF${(await asAdmin((await csvCall).url())).text}`);
      expect(csv.name).toBe('csat_report.csv');
      expect(csv.text.charCodeAt(0)).toBe(0xfeff);
      expect(csv.text).toContain('Quick and kind');
      // a formula in the feedback is escaped in the file, never a live formula
      expect(csv.text).not.toMatch(/(^|,)"?=HYPERLINK/m);
      expect(csv.text).toContain('HYPERLINK');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('overview: a new conversation shows in the live counts without a reload', async () => {
    const { tab, problems, close } = await openReports('overview');
    try {
      await tab.waitForSelector('[data-cable=connected]');
      await tab.waitForSelector('.report-cards li[data-metric=open]');
      const before = Number(await card(tab, 'open'));
      const unattended = Number(await card(tab, 'unattended'));
      const chat = await createContact(inbox.inbox_identifier, 'Late visitor');
      await chat.say('Anyone there?');
      await tab.waitForFunction(
        (want) => document.querySelector('.report-cards li[data-metric=open] strong')?.textContent === String(want),
        before + 1,
      );
      expect(Number(await card(tab, 'unattended'))).toBe(unattended + 1);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('an agent sees no Reports entry, and the reports page tells them it is for administrators', async () => {
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.agent.email);
      await tab.waitForSelector('.sidebar a:has-text("Contacts")');
      expect(await tab.$$eval('.sidebar a', (links) => links.map((a) => a.textContent))).not.toContain('Reports');
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/reports/overview`);
      await tab.waitForSelector('.reports-page p:has-text("Only administrators")');
      expect(await tab.$('.reports-nav')).toBeNull();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe("report ranges in the browser's time zone", () => {
  it('asks for whole local days across a DST change: last 7 days and last 30 by week in Berlin', async () => {
    const { tab, problems, close } = await openTab({ timezoneId: 'Europe/Berlin' });
    try {
      // Monday 30 March 2026, 00:30 in Berlin: summer time began on Sunday 29 March at 02:00
      await tab.clock.setFixedTime(new Date('2026-03-29T22:30:00Z'));
      await signInWithPassword(tab, fx.admin.email);
      const summary = tab.waitForResponse((r) => r.url().includes('/reports/summary'));
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/reports/conversations`);
      const week = new URL((await summary).url()).searchParams;
      // from Tuesday 24 March 00:00 (CET, +1) to Tuesday 31 March 00:00 (CEST, +2), now +2
      expect(Object.fromEntries(week)).toMatchObject({
        since: String(Date.parse('2026-03-23T23:00:00Z') / 1000),
        until: String(Date.parse('2026-03-30T22:00:00Z') / 1000),
        timezone_offset: '2',
      });

      const month = tab.waitForResponse((r) => r.url().includes('/reports/summary'));
      await tab.selectOption('select[name=range]', '30d');
      expect(new URL((await month).url()).searchParams.get('since')).toBe(
        String(Date.parse('2026-02-28T23:00:00Z') / 1000),
      );
      // weeks are offered from 30 days on, months from 3 months on
      expect(await tab.$$eval('select[name=group_by] option', (o) => o.map((x) => x.getAttribute('value')))).toEqual([
        'day',
        'week',
      ]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('reports and the account features', () => {
  it('offers no team report without team_management, and no Reports at all without reports', async () => {
    const own = await buildAccountFixture(server());
    const features = async (toggles: Record<string, boolean>) => {
      const res = await server().request('PATCH', `/platform/api/v1/accounts/${own.account.id}`, {
        token: own.platformToken,
        body: { features: toggles },
      });
      expect(res.status, res.text).toBe(200);
    };
    await features({ team_management: false });
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, own.admin.email);
      await tab.click('.sidebar a:has-text("Reports")');
      await tab.waitForSelector('.reports-nav');
      const sections = await tab.$$eval('.reports-nav a', (links) => links.map((a) => a.textContent));
      // no SLA without the sla feature; the bot report whether or not the account has a bot
      expect(sections).toEqual(['Overview', 'Conversations', 'Agents', 'Inboxes', 'Labels', 'CSAT', 'Bot']);

      await features({ reports: false });
      const accountRead = tab.waitForResponse((r) => r.url().endsWith(`/api/v1/accounts/${own.account.id}`));
      await tab.goto(`${server().url}/app/accounts/${own.account.id}/conversations`);
      expect((await (await accountRead).json()).features).not.toHaveProperty('reports');
      await tab.waitForSelector('.sidebar a:has-text("Settings")');
      // the sidebar has had the features: a frame later it still offers no Reports
      await tab.evaluate(() => new Promise((done) => requestAnimationFrame(() => done(null))));
      expect(await tab.$$eval('.sidebar a', (links) => links.map((a) => a.textContent))).not.toContain('Reports');
      await tab.goto(`${server().url}/app/accounts/${own.account.id}/reports/overview`);
      await tab.waitForSelector('.reports-page p:has-text("not enabled")');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('CSAT responses page by page', () => {
  it('pages 26 responses 25 at a time and filters them by agent, as the API counts them', async () => {
    const own = await buildAccountFixture(server());
    const ownInbox = await buildInbox(own);
    for (let i = 0; i < 26; i++) {
      const conversation = await buildConversation(own, ownInbox.id, i < 3 ? { assignee_id: own.agent.id } : {});
      const sent = await own.asAdmin('POST', `/conversations/${conversation.id}/messages`, {
        content: 'Please rate us',
        content_type: 'input_csat',
      });
      expect(sent.status, sent.text).toBe(200);
      const rated = await server().request('PUT', `/public/api/v1/csat_survey/${conversation.uuid}`, {
        body: { message: { submitted_values: { csat_survey_response: { rating: 1 + (i % 5) } } } },
      });
      expect(rated.status, rated.text).toBe(200);
    }
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, own.admin.email);
      await tab.goto(`${server().url}/app/accounts/${own.account.id}/reports/csat`);
      const rows = 'table[aria-label="CSAT responses"] tbody tr[data-id]';
      const rowCount = (n: number) =>
        tab.waitForFunction(([selector, want]) => document.querySelectorAll(selector as string).length === want, [
          rows,
          n,
        ] as const);
      await rowCount(25);
      await expect.poll(() => card(tab, 'total_count')).toBe('26');
      await expect.poll(() => tab.textContent('.report-pager span')).toBe('Page 1 of 2');
      const firstPage = await tab.$$eval(rows, (trs) => trs.map((tr) => tr.getAttribute('data-id')));

      await tab.click('button:has-text("Next page")');
      await rowCount(1);
      await expect.poll(() => tab.textContent('.report-pager span')).toBe('Page 2 of 2');
      const last = await tab.getAttribute(rows, 'data-id');
      expect(firstPage).not.toContain(last);
      expect(await tab.isDisabled('button:has-text("Next page")')).toBe(true);

      // an agent's responses only, from the first page again
      const filtered = tab.waitForResponse(
        (r) => r.url().includes('/csat_survey_responses?') && r.url().includes(`user_ids%5B%5D=${own.agent.id}`),
      );
      await tab.selectOption('select[name=agent]', String(own.agent.id));
      expect((await (await filtered).json()).length).toBe(3);
      await rowCount(3);
      await expect.poll(() => tab.textContent('.report-pager span')).toBe('Page 1 of 1');
      await expect.poll(() => card(tab, 'total_count')).toBe('3');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('the bot report', () => {
  it("shows an inbox bot's conversations, resolution and handoff rates and its charts as the API counts them", async () => {
    const own = await buildAccountFixture(server());
    const ownInbox = await buildInbox(own);
    // a loopback address: the bot's webhook is refused by the SSRF guard, never sent anywhere
    const made = await own.asAdmin('POST', '/agent_bots', { name: 'Helper', outgoing_url: 'http://127.0.0.1:9/bot' });
    expect(made.status, made.text).toBe(200);
    const bot = made.body as { id: number; access_token: string };
    const set = await own.asAdmin('POST', `/inboxes/${ownInbox.id}/set_agent_bot`, { agent_bot: bot.id });
    expect(set.status, set.text).toBe(200);
    // the bot resolves one pending conversation and hands the other to the agents
    for (const [name, status] of [
      ['Resolved by the bot', 'resolved'],
      ['Handed off', 'open'],
    ] as const) {
      const chat = await createContact(ownInbox.inbox_identifier, name);
      const res = await server().request(
        'POST',
        `/api/v1/accounts/${own.account.id}/conversations/${chat.conversationId}/toggle_status`,
        { token: bot.access_token, body: { status } },
      );
      expect(res.status, res.text).toBe(200);
    }
    const { tab, problems, close } = await openTab({ bypassCSP: true });
    try {
      await signInWithPassword(tab, own.admin.email);
      const metricsCall = tab.waitForResponse((r) => r.url().includes('/reports/bot_metrics'));
      const summaryCall = tab.waitForResponse((r) => r.url().includes('/reports/bot_summary'));
      const chartCall = tab.waitForResponse((r) => /\/reports\?metric=bot_resolutions_count/.test(r.url()));
      await tab.goto(`${server().url}/app/accounts/${own.account.id}/reports/bot`);
      const metrics = await (await metricsCall).json();
      expect(metrics).toMatchObject({ conversation_count: 2, resolution_rate: 50, handoff_rate: 50 });
      await tab.waitForSelector('.report-cards li[data-metric=conversation_count]');
      await expect.poll(() => card(tab, 'conversation_count')).toBe('2');
      await expect.poll(() => card(tab, 'message_count')).toBe(String(metrics.message_count));
      await expect.poll(() => card(tab, 'resolution_rate')).toBe('50%');
      await expect.poll(() => card(tab, 'handoff_rate')).toBe('50%');
      const figures = await (await summaryCall).json();
      expect(figures).toMatchObject({ bot_resolutions_count: 1, bot_handoffs_count: 1 });
      await tab.waitForSelector('.report-cards li[data-metric=bot_handoffs_count]');
      await expect.poll(() => card(tab, 'bot_resolutions_count')).toBe('1');
      await expect.poll(() => card(tab, 'bot_handoffs_count')).toBe('1');
      const points = await (await chartCall).json();
      await tab.waitForSelector('.report-chart[data-metric=bot_resolutions_count]');
      expect(await chartValues(tab, 'bot_resolutions_count')).toEqual(points.map((p: { value: number }) => p.value));
      expect((await chartValues(tab, 'bot_resolutions_count')).reduce((a, b) => a + b, 0)).toBe(1);
      expect(await tab.textContent('.reports-nav a[aria-current=page]')).toBe('Bot');
      expect(await axeViolations(tab)).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('the SLA report', () => {
  it('shows the hit rate, the missed SLAs with their breaches, filters them, and downloads the CSV', async () => {
    const { setup, withSla, appliedOf, checkAt, statusOf } = slaKit(server);
    const { fx: own, inbox: ownInbox, policy } = await setup({ first_response_time_threshold: 60 });
    const missed = await withSla(own, ownInbox.id, policy.id);
    await withSla(own, ownInbox.id, policy.id);
    const applied = await appliedOf(own, missed.id);
    await checkAt(applied.id, seconds(applied.created_at, 61));
    expect(await statusOf(applied.id)).toBe(3);
    const labelled = await own.asAdmin('POST', `/conversations/${missed.id}/labels`, { labels: ['vip'] });
    expect(labelled.status, labelled.text).toBe(200);

    const { tab, problems, close } = await openTab({ acceptDownloads: true, bypassCSP: true });
    try {
      await signInWithPassword(tab, own.admin.email);
      await tab.click('.sidebar a:has-text("Reports")');
      await tab.waitForSelector('.reports-nav');
      const metricsCall = tab.waitForResponse((r) => r.url().includes('/applied_slas/metrics'));
      const listCall = tab.waitForResponse((r) => /\/applied_slas\?/.test(r.url()));
      await tab.click('.reports-nav a[href$="/reports/sla"]');
      const metrics = await (await metricsCall).json();
      expect(metrics).toEqual({ total_applied_slas: 2, number_of_sla_misses: 1, hit_rate: '50.0%' });
      await tab.waitForSelector('.report-cards li[data-metric=hit_rate]');
      await expect.poll(() => card(tab, 'hit_rate')).toBe('50.0%');
      await expect.poll(() => card(tab, 'number_of_sla_misses')).toBe('1');
      await expect.poll(() => card(tab, 'total_applied_slas')).toBe('2');
      const list = await (await listCall).json();
      expect(list.meta.count).toBe(1);
      const row = `table[aria-label="Missed SLAs"] tr[data-id="${applied.id}"]`;
      await tab.waitForSelector(row);
      expect(await tab.textContent(`${row} [data-field=policy]`)).toBe('Gold');
      expect(await tab.textContent(`${row} [data-field=missed]`)).toBe('First response');
      expect(await tab.textContent(row)).toContain(`#${missed.id}`);
      expect(await tab.textContent(row)).toContain('vip');
      await expect.poll(() => tab.textContent('.report-pager span')).toBe('Page 1 of 1');
      expect(await axeViolations(tab)).toEqual([]);

      // by policy: the requests carry it
      const byPolicy = tab.waitForResponse(
        (r) => r.url().includes('/applied_slas/metrics') && paramsOf(r).sla_policy_id === String(policy.id),
      );
      await tab.selectOption('select[name=sla_policy]', String(policy.id));
      expect((await (await byPolicy).json()).total_applied_slas).toBe(2);

      // by a label no conversation has: nothing missed, a 100% hit rate
      const byLabel = tab.waitForResponse(
        (r) => r.url().includes('/applied_slas/metrics') && paramsOf(r).label_list === 'nobody',
      );
      await tab.fill('input[name=label_list]', 'nobody');
      await tab.press('input[name=label_list]', 'Enter');
      expect(await (await byLabel).json()).toEqual({
        total_applied_slas: 0,
        number_of_sla_misses: 0,
        hit_rate: '100%',
      });
      await tab.waitForFunction(
        () => document.querySelector('.report-cards li[data-metric=hit_rate] strong')?.textContent === '100%',
      );
      await tab.waitForSelector('table[aria-label="Missed SLAs"] td:has-text("No SLA missed")');
      await tab.fill('input[name=label_list]', '');
      await tab.press('input[name=label_list]', 'Enter');
      await tab.waitForSelector(row);

      const csvCall = tab.waitForRequest((r) => r.url().includes('/applied_slas/download'));
      const csv = await download(tab, 'Download SLA report');
      expect(csv.name).toBe('breached_conversation.csv');
      expect(csv.text).toBe((await asAdmin((await csvCall).url(), own)).text);
      expect(csv.text.split('\n')[1]).toMatch(new RegExp(`^${missed.id},Gold,`));
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
