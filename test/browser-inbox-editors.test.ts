import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { type AccountFixture, buildAccountFixture, buildInbox } from './factories.js';
import { PIXEL, useInboxBrowser } from './inbox-kit.js';

// The inbox's editors in Chromium (issue 22's remaining gaps): automation rules with several
// conditions and actions, macros with ordered actions, snooze until a chosen time (one and in
// bulk), the contacts filter with AND/OR, and pickers that follow settings. Every change made in
// the page is read back through the Application API, and rules and macros are seen to act.

const { server, openTab, signInWithPassword, createContact, rowOf } = useInboxBrowser();

let fx: AccountFixture;
let inbox: { id: number; inbox_identifier: string };
const created = async (method: string, path: string, body?: unknown) => {
  const res = await fx.asAdmin(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
};
const show = async (id: number) => (await fx.asAdmin('GET', `/conversations/${id}`)).body;
const messagesOf = async (id: number) =>
  ((await fx.asAdmin('GET', `/conversations/${id}/messages`)).body.payload as Array<{
    content: string;
    message_type: number;
  }>) ?? [];

beforeAll(async () => {
  fx = await buildAccountFixture(server());
  inbox = await buildInbox(fx);
  for (const title of ['billing', 'vip']) await created('POST', '/labels', { title });
});

/** Signed in as the administrator, on a settings section. */
async function openSettings(section: string, options: Parameters<typeof openTab>[0] = {}) {
  const opened = await openTab(options);
  await signInWithPassword(opened.tab, fx.admin.email);
  await opened.tab.goto(`${server().url}/app/accounts/${fx.account.id}/settings/${section}`);
  await opened.tab.waitForSelector('#settings-title');
  return opened;
}

/** A contact with an e-mail (and custom attributes), a conversation and a first message, through the Client API. */
async function contactSays(
  name: string,
  email: string | undefined,
  content: string,
  custom_attributes?: Record<string, unknown>,
) {
  const base = `/public/api/v1/inboxes/${inbox.inbox_identifier}`;
  const contact = await server().request('POST', `${base}/contacts`, {
    body: { name, ...(email ? { email } : {}), ...(custom_attributes ? { custom_attributes } : {}) },
  });
  expect(contact.status, contact.text).toBe(200);
  const source = contact.body.source_id;
  const conversation = await server().request('POST', `${base}/contacts/${source}/conversations`, { body: {} });
  expect(conversation.status, conversation.text).toBe(200);
  const sent = await server().request(
    'POST',
    `${base}/contacts/${source}/conversations/${conversation.body.id}/messages`,
    { body: { content } },
  );
  expect(sent.status, sent.text).toBe(200);
  return conversation.body.id as number;
}

/** Fills one condition row of the rule editor. */
async function condition(tab: Page, n: number, key: string, operator: string, value: string) {
  await tab.selectOption(`select[aria-label="Attribute of condition ${n}"]`, key);
  await tab.selectOption(`select[aria-label="Operator of condition ${n}"]`, operator);
  await tab.fill(`[aria-label^="Value of condition ${n}"]`, value);
}

describe('automation rules editor', () => {
  it('builds a two-condition OR rule with two actions, which the API stores and which acts on Client API messages; then edits, switches off, clones and deletes it', async () => {
    const { tab, problems, close } = await openSettings('automation');
    try {
      await tab.click('button:has-text("Add automation rule")');
      const form = 'form[aria-label="Add automation rule"]';
      await tab.fill(`${form} input[name=name]`, 'Refunds or VIPs');
      await tab.selectOption(`${form} select[name=event_name]`, 'message_created');
      await condition(tab, 1, 'content', 'contains', 'refund, money back');
      await tab.click(`${form} button:has-text("Add condition")`);
      await condition(tab, 2, 'email', 'contains', '@vip.example');
      await tab.selectOption('select[aria-label="Join condition 1 to the next with"]', 'or');

      await tab.selectOption('select[aria-label="Action 1"]', 'add_label');
      await tab.check(`${form} input[name=action-0-labels][value=billing]`);
      await tab.click(`${form} button:has-text("Add action")`);
      await tab.selectOption('select[aria-label="Action 2"]', 'send_message');
      await tab.fill('textarea[aria-label="Message for action 2"]', 'We are on it.');
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Refunds or VIPs")');

      const [rule] = (await created('GET', '/automation_rules')).payload;
      expect(rule).toMatchObject({
        name: 'Refunds or VIPs',
        event_name: 'message_created',
        active: true,
        conditions: [
          {
            attribute_key: 'content',
            filter_operator: 'contains',
            values: ['refund', 'money back'],
            query_operator: 'or',
          },
          { attribute_key: 'email', filter_operator: 'contains', values: ['@vip.example'], query_operator: null },
        ],
        actions: [
          { action_name: 'add_label', action_params: ['billing'] },
          { action_name: 'send_message', action_params: ['We are on it.'] },
        ],
      });

      // it acts: either condition is enough, and neither leaves a conversation alone
      const byContent = await contactSays('Refunder', undefined, 'I want my Money Back');
      const byEmail = await contactSays('Very Important', `p${Date.now()}@vip.example`, 'hello');
      const neither = await contactSays('Plain', `q${Date.now()}@plain.example`, 'hello');
      for (const id of [byContent, byEmail]) {
        await expect.poll(async () => (await show(id)).labels, { timeout: 10_000 }).toEqual(['billing']);
        await expect
          .poll(async () => (await messagesOf(id)).map((m) => [m.message_type, m.content]), { timeout: 10_000 })
          .toContainEqual([1, 'We are on it.']);
      }
      // a later rule run would have happened by now: the first two are done, the third had the same chance
      await expect
        .poll(async () => (await created('GET', `/automation_rules/${rule.id}/runs`)).payload.length, {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(3);
      expect((await show(neither)).labels).toEqual([]);
      expect((await messagesOf(neither)).map((m) => m.content)).toEqual(['hello']);

      // edit: the form comes back as stored; the label becomes vip and the join AND
      await tab.click('button[aria-label="Edit Refunds or VIPs"]');
      const edit = 'form[aria-label="Edit Refunds or VIPs"]';
      expect(await tab.inputValue('[aria-label^="Value of condition 1"]')).toBe('refund, money back');
      expect(await tab.inputValue('select[aria-label="Join condition 1 to the next with"]')).toBe('or');
      expect(await tab.isChecked(`${edit} input[name=action-0-labels][value=billing]`)).toBe(true);
      await tab.uncheck(`${edit} input[name=action-0-labels][value=billing]`);
      await tab.check(`${edit} input[name=action-0-labels][value=vip]`);
      await tab.selectOption('select[aria-label="Join condition 1 to the next with"]', 'and');
      await tab.click(`${edit} button[type=submit]`);
      await tab.waitForSelector(`${edit}`, { state: 'detached' });
      await expect
        .poll(async () => (await created('GET', `/automation_rules/${rule.id}`)).payload)
        .toMatchObject({
          conditions: [
            expect.objectContaining({ query_operator: 'and' }),
            expect.objectContaining({ query_operator: null }),
          ],
          actions: [
            { action_name: 'add_label', action_params: ['vip'] },
            { action_name: 'send_message', action_params: ['We are on it.'] },
          ],
        });

      // switch off, clone, delete the clone
      await tab.uncheck('input[aria-label="Refunds or VIPs active"]');
      await expect.poll(async () => (await created('GET', '/automation_rules')).payload[0].active).toBe(false);
      await tab.click('button[aria-label="Clone Refunds or VIPs"]');
      await tab.waitForFunction(() => document.querySelectorAll('.settings-table tbody tr').length === 2);
      const rules = (await created('GET', '/automation_rules')).payload;
      expect(rules).toHaveLength(2);
      const clone = rules.find((r: { id: number }) => r.id !== rule.id);
      await tab.click(`tr[data-id="${clone.id}"] button:has-text("Delete")`);
      await tab.click(`tr[data-id="${clone.id}"] button:has-text("Confirm delete")`);
      await tab.waitForSelector(`tr[data-id="${clone.id}"]`, { state: 'detached' });
      expect((await created('GET', '/automation_rules')).payload.map((r: { id: number }) => r.id)).toEqual([rule.id]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('offers only the event’s attributes, and shows the API’s 422 without storing anything', async () => {
    const { tab, problems, close } = await openSettings('automation');
    try {
      await tab.click('button:has-text("Add automation rule")');
      const form = 'form[aria-label="Add automation rule"]';
      const attributes = () =>
        tab.$$eval('select[aria-label="Attribute of condition 1"] option', (o) =>
          o.map((x) => (x as HTMLOptionElement).value),
        );
      expect(await attributes()).toContain('content');
      await tab.selectOption(`${form} select[name=event_name]`, 'conversation_updated');
      expect(await attributes()).not.toContain('content');
      expect(await attributes()).toEqual(expect.arrayContaining(['status', 'assignee_id', 'team_id', 'priority']));
      // resolving on conversation_resolved would undo its own event: not offered
      await tab.selectOption(`${form} select[name=event_name]`, 'conversation_resolved');
      const actions = await tab.$$eval('select[aria-label="Action 1"] option', (o) =>
        o.map((x) => (x as HTMLOptionElement).value),
      );
      expect(actions).not.toContain('resolve_conversation');

      await tab.fill(`${form} input[name=name]`, 'Bad hook');
      await condition(tab, 1, 'email', 'contains', 'x');
      await tab.selectOption('select[aria-label="Action 1"]', 'send_webhook_event');
      await tab.fill('input[aria-label="Webhook URL for action 1"]', 'not a url');
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector(`${form} [role=alert]:has-text("Invalid webhook URL")`);
      expect((await created('GET', '/automation_rules')).payload.map((r: { name: string }) => r.name)).not.toContain(
        'Bad hook',
      );
      // the refused save is the 422 itself (and Chromium's console line about it)
      expect(problems.filter((p) => !p.startsWith('422 ') && !p.includes('status of 422'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('offers custom attributes as conditions by type, stores a contact attribute condition as the API expects, and the rule fires on it', async () => {
    await created('POST', '/custom_attribute_definitions', {
      attribute_display_name: 'Plan',
      attribute_key: 'plan',
      attribute_display_type: 'list',
      attribute_values: ['free', 'pro'],
      attribute_model: 'contact_attribute',
    });
    await created('POST', '/custom_attribute_definitions', {
      attribute_display_name: 'Order total',
      attribute_key: 'order_total',
      attribute_display_type: 'number',
      attribute_model: 'conversation_attribute',
    });
    const { tab, problems, close } = await openSettings('automation', { bypassCSP: true });
    try {
      await tab.click('button:has-text("Add automation rule")');
      const form = 'form[aria-label="Add automation rule"]';
      await tab.fill(`${form} input[name=name]`, 'Pro plan');
      // grouped by whose attribute it is, with the operators of its type
      await tab.waitForSelector('optgroup[label="Contact custom attributes"] option[value="contact_attribute:plan"]', {
        state: 'attached',
      });
      await tab.selectOption('select[aria-label="Attribute of condition 1"]', 'conversation_attribute:order_total');
      const operators = await tab.$$eval('select[aria-label="Operator of condition 1"] option', (o) =>
        o.map((x) => (x as HTMLOptionElement).value),
      );
      expect(operators).toEqual(expect.arrayContaining(['is_greater_than', 'is_less_than']));
      expect(await tab.getAttribute('input[aria-label="Value of condition 1"]', 'type')).toBe('number');

      await tab.selectOption('select[aria-label="Attribute of condition 1"]', 'contact_attribute:plan');
      expect(
        await tab.$$eval('select[aria-label="Value of condition 1"] option', (o) =>
          o.map((x) => (x as HTMLOptionElement).value),
        ),
      ).toEqual(['', 'free', 'pro']);
      await tab.selectOption('select[aria-label="Operator of condition 1"]', 'equal_to');
      await tab.selectOption('select[aria-label="Value of condition 1"]', 'pro');
      await tab.selectOption('select[aria-label="Action 1"]', 'add_label');
      await tab.check(`${form} input[name=action-0-labels][value=vip]`);
      expect(await axeViolations(tab)).toEqual([]);
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Pro plan")');

      const rule = (await created('GET', '/automation_rules')).payload.find(
        (r: { name: string }) => r.name === 'Pro plan',
      );
      expect(rule.conditions).toEqual([
        {
          attribute_key: 'plan',
          filter_operator: 'equal_to',
          values: ['pro'],
          query_operator: null,
          custom_attribute_type: 'contact_attribute',
        },
      ]);

      // it fires for a contact on the pro plan, not for one on the free plan
      const pro = await contactSays('On pro', undefined, 'hi', { plan: 'pro' });
      const free = await contactSays('On free', undefined, 'hi', { plan: 'free' });
      await expect.poll(async () => (await show(pro)).labels, { timeout: 10_000 }).toEqual(['vip']);
      await expect
        .poll(async () => (await created('GET', `/automation_rules/${rule.id}/runs`)).payload.length, {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(2);
      expect((await show(free)).labels).toEqual([]);

      // the edit form comes back as stored
      await tab.click('button[aria-label="Edit Pro plan"]');
      expect(await tab.inputValue('select[aria-label="Attribute of condition 1"]')).toBe('contact_attribute:plan');
      expect(await tab.inputValue('select[aria-label="Value of condition 1"]')).toBe('pro');
      await tab.click('form[aria-label="Edit Pro plan"] button:has-text("Cancel")');
      await created('DELETE', `/automation_rules/${rule.id}`);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('macros editor', () => {
  it('creates a macro with two actions in order, runs it on a conversation, then edits it', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Macro target');
    await chat.say('Please tag me');
    const { tab, problems, close } = await openSettings('macros');
    try {
      await tab.click('button:has-text("Add macro")');
      const form = 'form[aria-label="Add macro"]';
      await tab.fill(`${form} input[name=name]`, 'Escalate');
      await tab.selectOption('select[aria-label="Action 1"]', 'change_priority');
      await tab.selectOption('select[aria-label="Priority for action 1"]', 'urgent');
      await tab.click(`${form} button:has-text("Add action")`);
      await tab.selectOption('select[aria-label="Action 2"]', 'add_label');
      await tab.check(`${form} input[name=action-1-labels][value=vip]`);
      // the order can change: the label first
      await tab.click('button[aria-label="Move action 2 up"]');
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Escalate")');
      const [macro] = (await created('GET', '/macros')).payload;
      expect(macro).toMatchObject({
        name: 'Escalate',
        visibility: 'global',
        actions: [
          { action_name: 'add_label', action_params: ['vip'] },
          { action_name: 'change_priority', action_params: ['urgent'] },
        ],
      });

      // run from the conversation, as an agent would
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${chat.conversationId}`);
      await tab.click('button[aria-label=Macros]');
      await tab.click(`button[data-macro="${macro.id}"]`);
      await expect
        .poll(async () => {
          const c = await show(chat.conversationId);
          return [c.labels, c.priority];
        })
        .toEqual([['vip'], 'urgent']);
      await tab.waitForSelector('.label-chip[data-label=vip]');

      // edit: a new name, personal, and the priority step removed
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/settings/macros`);
      await tab.click('button[aria-label="Edit Escalate"]');
      const edit = 'form[aria-label="Edit Escalate"]';
      expect(await tab.inputValue('select[aria-label="Priority for action 2"]')).toBe('urgent');
      await tab.fill(`${edit} input[name=name]`, 'Tag VIP');
      await tab.check(`${edit} input[name=visibility][value=personal]`);
      await tab.click('button[aria-label="Remove action 2"]');
      await tab.click(`${edit} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Tag VIP"):has-text("Only you")');
      expect((await created('GET', '/macros')).payload).toEqual([
        expect.objectContaining({
          id: macro.id,
          name: 'Tag VIP',
          visibility: 'personal',
          actions: [{ action_name: 'add_label', action_params: ['vip'] }],
        }),
      ]);

      // run from settings on a conversation by its number
      const other = await createContact(inbox.inbox_identifier, 'Second target');
      await other.say('me too');
      await tab.fill('input[aria-label="Conversation number"]', String(other.conversationId));
      await tab.click('form[aria-label="Run a macro"] button[type=submit]');
      await tab.waitForSelector('form[aria-label="Run a macro"] [role=status]:has-text("Ran Tag VIP")');
      await expect.poll(async () => (await show(other.conversationId)).labels).toEqual(['vip']);

      await tab.click(`tr[data-id="${macro.id}"] button:has-text("Delete")`);
      await tab.click(`tr[data-id="${macro.id}"] button:has-text("Confirm delete")`);
      await tab.waitForSelector(`tr[data-id="${macro.id}"]`, { state: 'detached' });
      expect((await created('GET', '/macros')).payload).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('uploads a send_attachment file in the editor; the macro run leaves a message with that file', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Brochure wanted');
    await chat.say('Send me the brochure');
    const { tab, problems, close } = await openSettings('macros', { bypassCSP: true });
    try {
      await tab.click('button:has-text("Add macro")');
      const form = 'form[aria-label="Add macro"]';
      await tab.fill(`${form} input[name=name]`, 'Send brochure');
      await tab.selectOption('select[aria-label="Action 1"]', 'send_attachment');
      await tab.setInputFiles('input[aria-label="File for action 1"]', {
        name: 'brochure.png',
        mimeType: 'image/png',
        buffer: PIXEL,
      });
      await tab.waitForSelector(`${form} [role=status]:has-text("Attached: brochure.png")`);
      expect(await axeViolations(tab)).toEqual([]);
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Send brochure"):has-text("brochure.png")');

      const macro = (await created('GET', '/macros')).payload.find((m: { name: string }) => m.name === 'Send brochure');
      expect(macro.actions).toEqual([{ action_name: 'send_attachment', action_params: [expect.any(Number)] }]);
      expect(macro.files).toEqual([
        expect.objectContaining({ blob_id: macro.actions[0].action_params[0], filename: 'brochure.png' }),
      ]);

      // run from settings on the conversation
      await tab.selectOption('select[aria-label="Macro to run"]', String(macro.id));
      await tab.fill('input[aria-label="Conversation number"]', String(chat.conversationId));
      await tab.click('form[aria-label="Run a macro"] button[type=submit]');
      await tab.waitForSelector('form[aria-label="Run a macro"] [role=status]:has-text("Ran Send brochure")');
      const withFile = async () =>
        (
          (await fx.asAdmin('GET', `/conversations/${chat.conversationId}/messages`)).body.payload as Array<{
            message_type: number;
            attachments?: Array<{ data_url: string; file_type: string }>;
          }>
        ).find((m) => m.attachments?.length);
      await expect.poll(async () => (await withFile())?.message_type, { timeout: 10_000 }).toBe(1);
      const attachment = (await withFile())!.attachments![0]!;
      expect(attachment.file_type).toBe('image');
      const served = await fetch(new URL(new URL(attachment.data_url).pathname, server().url));
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer())).toEqual(PIXEL);

      // the edit form names the stored file
      await tab.click('button[aria-label="Edit Send brochure"]');
      await tab.waitForSelector(
        'form[aria-label="Edit Send brochure"] [role=status]:has-text("Attached: brochure.png")',
      );
      await tab.click('form[aria-label="Edit Send brochure"] button:has-text("Cancel")');
      await created('DELETE', `/macros/${macro.id}`);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});

/** A `datetime-local` value and its unix seconds, `days` from now at 14:30 in the page's zone (UTC here). */
function laterAt(days: number) {
  const date = new Date();
  date.setUTCDate(date.getUTCDate() + days);
  date.setUTCHours(14, 30, 0, 0);
  return { input: date.toISOString().slice(0, 16), seconds: date.getTime() / 1000 };
}

describe('snooze until a chosen time', () => {
  it('snoozes one conversation until a custom date and time', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Custom snooze');
    await chat.say('Call me back on Thursday');
    const { tab, problems, close } = await openTab({ timezoneId: 'UTC' });
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${chat.conversationId}`);
      await tab.waitForSelector('.conversation-actions');
      const until = laterAt(3);
      await tab.click('button[aria-label="More status options"]');
      await tab.fill('form[aria-label="Snooze until a date and time"] input[name=until]', until.input);
      await tab.click('button[data-snooze=custom]');
      await tab.waitForSelector('.status-control .status[data-status=snoozed]');
      const snoozed = await show(chat.conversationId);
      expect(snoozed.status).toBe('snoozed');
      expect(Date.parse(snoozed.snoozed_until) / 1000).toBe(until.seconds);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('snoozes the ticked conversations with a preset, then until a custom date, and leaves the others', async () => {
    const chats = [];
    for (const name of ['Snooze A', 'Snooze B', 'Snooze C', 'Snooze D']) {
      const chat = await createContact(inbox.inbox_identifier, name);
      await chat.say(`from ${name}`);
      chats.push(chat);
    }
    const [a, b, c, d] = chats.map((chat) => chat.conversationId) as [number, number, number, number];
    const { tab, problems, close } = await openTab({ timezoneId: 'UTC' });
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('.tabs [data-tab=all]');
      await tab.waitForSelector(rowOf(d));

      // a preset: an hour from now
      await tab.check(`input[data-select="${a}"]`);
      const before = Date.now() / 1000;
      await tab.click('button[aria-label="Snooze the selected conversations"]');
      await tab.click('.bulk-bar button[data-snooze=hour]');
      await expect.poll(async () => (await show(a)).status).toBe('snoozed');
      const hour = Date.parse((await show(a)).snoozed_until) / 1000;
      expect(hour).toBeGreaterThanOrEqual(Math.floor(before) + 3600);
      expect(hour).toBeLessThan(before + 3600 + 60);

      // a custom time for two of them
      const until = laterAt(5);
      await tab.check(`input[data-select="${b}"]`);
      await tab.check(`input[data-select="${c}"]`);
      await tab.click('button[aria-label="Snooze the selected conversations"]');
      await tab.fill('.bulk-bar input[name=until]', until.input);
      await tab.click('.bulk-bar button[data-snooze=custom]');
      const snoozedUntil = async (id: number) => {
        const conversation = await show(id);
        return [conversation.status, Date.parse(conversation.snoozed_until) / 1000];
      };
      await expect
        .poll(async () => [await snoozedUntil(b), await snoozedUntil(c)])
        .toEqual([
          ['snoozed', until.seconds],
          ['snoozed', until.seconds],
        ]);
      expect((await show(d)).status).toBe('open');
      // the snoozed rows leave the open list live; the other stays
      await tab.waitForSelector(rowOf(b), { state: 'detached' });
      expect(await tab.$(rowOf(d))).not.toBeNull();
      await tab.waitForSelector('.bulk-done:has-text("Snoozed until")');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('contacts filter', () => {
  it('joins two conditions with OR, then AND, and lists exactly the matching contacts', async () => {
    const own = await buildAccountFixture(server());
    const names = { porto: 'Paula Porto', acme: 'Artur Acme', other: 'Olga Other' };
    for (const [name, city, company] of [
      [names.porto, 'Porto', 'Beta'],
      [names.acme, 'Lisbon', 'Acme'],
      [names.other, 'Lisbon', 'Beta'],
    ] as const) {
      // an e-mail makes each a "resolved" contact, which the list shows (Chatwoot's contacts index)
      const email = `${name.split(' ')[0]!.toLowerCase()}@example.com`;
      const res = await own.asAdmin('POST', '/contacts', { name, email, additional_attributes: { city, company } });
      expect(res.status, res.text).toBe(200);
    }
    const { tab, problems, close } = await openTab();
    const shown = () =>
      tab.$$eval('.contacts-table tbody tr a', (links) => links.map((l) => l.textContent?.trim()).sort());
    try {
      await signInWithPassword(tab, own.admin.email);
      await tab.click('.sidebar a:has-text("Contacts")');
      await tab.waitForFunction(() => document.querySelectorAll('.contacts-table tbody tr').length === 3);

      await tab.selectOption('select[aria-label="Filter attribute"]', 'city');
      await tab.selectOption('select[aria-label="Filter operator"]', 'equal_to');
      await tab.fill('input[aria-label="Filter value"]', 'Porto');
      await tab.click('form[aria-label="Filter contacts"] button:has-text("Add condition")');
      await tab.selectOption('select[aria-label="Filter attribute 2"]', 'company');
      await tab.selectOption('select[aria-label="Filter operator 2"]', 'equal_to');
      await tab.fill('input[aria-label="Filter value 2"]', 'Acme');
      await tab.selectOption('select[aria-label="Join filter condition 1 to the next with"]', 'or');
      const request = tab.waitForRequest((r) => r.url().includes('/contacts/filter'));
      await tab.click('button:has-text("Apply filter")');
      expect((await request).postDataJSON().payload).toEqual([
        { attribute_key: 'city', filter_operator: 'equal_to', values: ['Porto'], query_operator: 'or' },
        { attribute_key: 'company', filter_operator: 'equal_to', values: ['Acme'], query_operator: 'and' },
      ]);
      await expect.poll(shown).toEqual([names.acme, names.porto].sort());

      // AND: Lisbon and Beta is only Olga
      await tab.fill('input[aria-label="Filter value"]', 'Lisbon');
      await tab.fill('input[aria-label="Filter value 2"]', 'Beta');
      await tab.selectOption('select[aria-label="Join filter condition 1 to the next with"]', 'and');
      await tab.click('button:has-text("Apply filter")');
      await expect.poll(shown).toEqual([names.other]);

      await tab.click('button:has-text("Clear filter")');
      await expect.poll(shown).toEqual(Object.values(names).sort());
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('pickers follow settings', () => {
  it('offers a label made in settings in the conversation’s label picker without a reload', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Fresh label');
    await chat.say('label me');
    const { tab, problems, close } = await openTab();
    // the label picker's options (Preact sets an option's value as a property, not an attribute)
    const pickable = () =>
      tab.$$eval('select[name=add-label] option', (options) => options.map((o) => (o as HTMLOptionElement).value));
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${chat.conversationId}`);
      await expect.poll(pickable).toContain('billing');
      expect(await pickable()).not.toContain('fresh');

      // to settings and back through the sidebar: the page is never reloaded
      await tab.evaluate(() => {
        (window as unknown as { marker: boolean }).marker = true;
      });
      await tab.click('.sidebar a:has-text("Settings")');
      await tab.click('.settings-nav a:has-text("Labels")');
      await tab.fill('form[aria-label="Add label"] input[name=title]', 'fresh');
      await tab.click('form[aria-label="Add label"] button[type=submit]');
      await tab.waitForSelector('tr:has-text("fresh")');
      await tab.click('.sidebar a:has-text("Conversations")');
      await tab.click('.tabs [data-tab=all]');
      await tab.click(rowOf(chat.conversationId));
      await expect.poll(pickable).toContain('fresh');
      expect(await tab.evaluate(() => (window as unknown as { marker?: boolean }).marker)).toBe(true);
      await tab.selectOption('select[name=add-label]', 'fresh');
      await expect.poll(async () => (await show(chat.conversationId)).labels).toEqual(['fresh']);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
