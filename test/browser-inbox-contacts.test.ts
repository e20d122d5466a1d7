import { beforeAll, describe, expect, it } from 'vitest';
import { type AccountFixture, buildAccountFixture, buildInbox } from './factories.js';
import { useInboxBrowser } from './inbox-kit.js';

// The agent inbox's contact side in a real browser: the contact panel beside a conversation, the
// contacts pages (search, filter, edit, notes, merge), typing both ways, presence and the
// notifications bell — each change checked against what the Application API then says.

const { server, openTab, signInWithPassword, createContact, startContact } = useInboxBrowser();

let fx: AccountFixture;
let inbox: { id: number; inbox_identifier: string };

beforeAll(async () => {
  fx = await buildAccountFixture(server());
  inbox = await buildInbox(fx);
  const members = await fx.asAdmin('POST', '/inbox_members', { inbox_id: inbox.id, user_ids: [fx.agent.id] });
  expect(members.status, members.text).toBe(200);
  const definition = await fx.asAdmin('POST', '/custom_attribute_definitions', {
    attribute_display_name: 'Plan',
    attribute_key: 'plan',
    attribute_display_type: 'text',
    attribute_model: 'contact_attribute',
  });
  expect(definition.status, definition.text).toBe(200);
  const label = await fx.asAdmin('POST', '/labels', { title: 'vip' });
  expect(label.status, label.text).toBe(200);
});

const contactOf = async (id: number) => (await fx.asAdmin('GET', `/contacts/${id}`)).body.payload;

describe('the contact panel beside a conversation', () => {
  it('edits the name and a custom attribute, labels the contact and keeps notes, all through the API', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Panel Person');
    await chat.say('Hi there');
    const earlier = await fx.asAdmin('POST', '/conversations', { inbox_id: inbox.id, contact_id: chat.contactId });
    expect(earlier.status, earlier.text).toBe(200);
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${chat.conversationId}`);
      await tab.waitForSelector('.contact-panel .contact-name:text-is("Panel Person")');
      // where the conversation came from, and the contact's other conversation
      await tab.waitForSelector('.conversation-info [data-info=inbox]');
      await tab.waitForSelector(`.previous-conversations a[data-conversation-id="${earlier.body.id}"]`);
      expect(await tab.$(`.previous-conversations a[data-conversation-id="${chat.conversationId}"]`)).toBeNull();

      // details: name and company
      await tab.click('.contact-panel button:has-text("Edit contact")');
      await tab.fill('.contact-panel input[name=name]', 'Panel Person Renamed');
      await tab.fill('.contact-panel input[name=company_name]', 'Acme <b>Inc</b>');
      await tab.click('.contact-panel button[type=submit]:has-text("Save")');
      await tab.waitForSelector('.contact-panel .contact-name:text-is("Panel Person Renamed")');
      let stored = await contactOf(chat.contactId);
      expect(stored).toMatchObject({
        name: 'Panel Person Renamed',
        additional_attributes: { company_name: 'Acme <b>Inc</b>' },
      });
      // markup in a contact's details is text
      expect(await tab.textContent('.contact-panel [data-field=company_name] dd')).toBe('Acme <b>Inc</b>');
      expect(await tab.$('.contact-panel b')).toBeNull();

      // a custom attribute, by the account's definition
      await tab.click('.contact-panel button[aria-label="Edit Plan"]');
      await tab.fill('.contact-panel input[aria-label=Plan]', 'Enterprise');
      await tab.press('.contact-panel input[aria-label=Plan]', 'Enter');
      await tab.waitForSelector('.contact-panel [data-attribute=plan] .attribute-value:text-is("Enterprise")');
      stored = await contactOf(chat.contactId);
      expect(stored.custom_attributes).toEqual({ plan: 'Enterprise' });
      expect(stored.name).toBe('Panel Person Renamed');

      // a label
      await tab.selectOption('.contact-panel select[aria-label="Add a label to the contact"]', 'vip');
      await tab.waitForSelector('.contact-panel .chip[data-label=vip]');
      expect((await fx.asAdmin('GET', `/contacts/${chat.contactId}/labels`)).body.payload).toEqual(['vip']);

      // a note: added, edited, deleted
      await tab.fill('.contact-panel .contact-notes textarea', 'Prefers e-mail');
      await tab.click('.contact-panel button:has-text("Add note")');
      await tab.waitForSelector('.contact-panel .note-content:text-is("Prefers e-mail")');
      let notes = (await fx.asAdmin('GET', `/contacts/${chat.contactId}/notes`)).body;
      expect(notes.map((n: { content: string }) => n.content)).toEqual(['Prefers e-mail']);
      await tab.click('.contact-panel .notes button:has-text("Edit")');
      await tab.fill('.contact-panel textarea[aria-label="Edit note"]', 'Prefers phone');
      await tab.click('.contact-panel .notes button:has-text("Save")');
      await tab.waitForSelector('.contact-panel .note-content:text-is("Prefers phone")');
      notes = (await fx.asAdmin('GET', `/contacts/${chat.contactId}/notes`)).body;
      expect(notes.map((n: { content: string }) => n.content)).toEqual(['Prefers phone']);
      await tab.click('.contact-panel .notes button:has-text("Delete")');
      await tab.waitForSelector('.contact-panel .note-content', { state: 'detached' });
      expect((await fx.asAdmin('GET', `/contacts/${chat.contactId}/notes`)).body).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the server error for an email another contact has, and writes nothing', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Strict Person');
    const { tab, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      const other = await fx.asAdmin('POST', '/contacts', { name: 'Owner', email: 'taken@example.com' });
      expect(other.status, other.text).toBe(200);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${chat.conversationId}`);
      // the page settled (its contact shown, the socket up) before the form opens, so nothing
      // loaded late redraws the panel between the edit and the answer
      await tab.waitForSelector('.contact-panel .contact-name:has-text("Strict Person")');
      await tab.waitForSelector('[data-cable=connected]');
      await tab.click('.contact-panel button:has-text("Edit contact")');
      await tab.fill('.contact-panel input[name=email]', 'taken@example.com');
      await tab.click('.contact-panel button[type=submit]:has-text("Save")');
      await tab.waitForSelector('.contact-panel [role=alert]');
      expect(await contactOf(chat.contactId)).toMatchObject({ name: 'Strict Person', email: null });
    } finally {
      await close();
    }
  });
});

describe('the contacts pages', () => {
  it('searches, filters, opens a contact page and creates a contact', async () => {
    const unique = `Zed${Date.now()}`;
    for (const [name, city] of [
      [`${unique} Alpha`, 'Lisbon'],
      [`${unique} Beta`, 'Porto'],
    ] as const) {
      const res = await fx.asAdmin('POST', '/contacts', {
        name,
        email: `${name.replace(' ', '.').toLowerCase()}@example.com`,
        additional_attributes: { city },
      });
      expect(res.status, res.text).toBe(200);
    }
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('.sidebar a:has-text("Contacts")');
      await tab.waitForURL(new RegExp(`/app/accounts/${fx.account.id}/contacts$`));
      await tab.waitForSelector('.contacts-table tbody tr');

      await tab.fill('input[aria-label="Search contacts"]', unique);
      await tab.waitForFunction(() => document.querySelectorAll('.contacts-table tbody tr').length === 2, undefined, {
        polling: 50,
      });
      // a filter: city is Porto
      await tab.selectOption('select[aria-label="Filter attribute"]', 'city');
      await tab.selectOption('select[aria-label="Filter operator"]', 'equal_to');
      await tab.fill('input[aria-label="Filter value"]', 'Porto');
      await tab.click('button:has-text("Apply filter")');
      await tab.waitForFunction((name) => {
        const rows = [...document.querySelectorAll('.contacts-table tbody tr')];
        return (
          rows.length > 0 &&
          rows.every((r) => r.textContent?.includes('Porto')) &&
          rows.some((r) => r.textContent?.includes(name))
        );
      }, `${unique} Beta`);
      await tab.click('button:has-text("Clear filter")');

      // the contact page, from a search result
      await tab.fill('input[aria-label="Search contacts"]', `${unique} Alpha`);
      await tab.waitForFunction(() => document.querySelectorAll('.contacts-table tbody tr').length === 1);
      await tab.click(`.contacts-table a:has-text("${unique} Alpha")`);
      await tab.waitForURL(/\/contacts\/\d+$/);
      await tab.waitForSelector(`.contact-page .contact-name:text-is("${unique} Alpha")`);
      expect(await tab.textContent('.contact-page [data-field=city] dd')).toBe('Lisbon');
      await tab.click('.contact-page button:has-text("Edit contact")');
      await tab.fill('.contact-page input[name=phone_number]', '+15550001111');
      await tab.click('.contact-page button[type=submit]:has-text("Save")');
      await tab.waitForSelector('.contact-page [data-field=phone_number] dd:text-is("+15550001111")');
      const id = Number(tab.url().split('/').pop());
      expect(await contactOf(id)).toMatchObject({ name: `${unique} Alpha`, phone_number: '+15550001111' });

      // a new contact opens its own page
      await tab.click('a:has-text("All contacts")');
      await tab.click('button:has-text("New contact")');
      await tab.fill('.new-contact input[name=name]', `${unique} Gamma`);
      await tab.fill('.new-contact input[name=email]', `${unique.toLowerCase()}.gamma@example.com`);
      await tab.click('.new-contact button[type=submit]');
      await tab.waitForSelector(`.contact-page .contact-name:text-is("${unique} Gamma")`);
      const created = Number(tab.url().split('/').pop());
      expect(await contactOf(created)).toMatchObject({ email: `${unique.toLowerCase()}.gamma@example.com` });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('merges another contact into this one: its conversations move and it is gone', async () => {
    const base = await fx.asAdmin('POST', '/contacts', { name: 'Merge Base', email: 'merge.base@example.com' });
    const mergee = await createContact(inbox.inbox_identifier, 'Merge Duplicate');
    const baseId = base.body.payload.contact.id as number;
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/contacts/${baseId}`);
      await tab.waitForSelector('.contact-page .contact-name:text-is("Merge Base")');
      await tab.click('button:has-text("Merge…")');
      await tab.waitForSelector('[role=dialog][aria-modal=true]');
      expect(await tab.evaluate(() => document.activeElement?.getAttribute('type'))).toBe('search');
      await tab.fill('.merge-dialog input', 'Merge Duplicate');
      await tab.click(`.merge-results button[data-contact-id="${mergee.contactId}"]`);
      await tab.click('.merge-dialog .form-actions button.primary');
      await tab.waitForSelector('.merge-dialog', { state: 'detached' });
      await tab.waitForSelector(`.previous-conversations a[data-conversation-id="${mergee.conversationId}"]`);
      expect((await fx.asAdmin('GET', `/contacts/${mergee.contactId}`)).status).toBe(404);
      const moved = await fx.asAdmin('GET', `/conversations/${mergee.conversationId}`);
      expect(moved.body.meta.sender.id).toBe(baseId);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("shows another account's contact as not found", async () => {
    const stranger = await buildAccountFixture(server());
    const theirs = await stranger.asAdmin('POST', '/contacts', { name: 'Not Yours' });
    const { tab, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/contacts/${theirs.body.payload.contact.id}`);
      await tab.waitForSelector('.contact-page [role=alert]');
      expect(await tab.$('.contact-page .contact-name')).toBeNull();
      expect(await tab.textContent('.contact-page')).not.toContain('Not Yours');
    } finally {
      await close();
    }
  });
});

describe('live: typing, presence and notifications', () => {
  it("shows the contact typing, and the agent's typing reaches the contact (a private note's never does)", async () => {
    const contact = await startContact(inbox.inbox_identifier, 'Typing Visitor');
    await contact.say('Hello?');
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${contact.conversationId}`);
      await tab.waitForSelector('.messages li.incoming:has-text("Hello?")');
      await tab.waitForSelector('[data-cable=connected]');

      await contact.typing('on');
      await tab.waitForSelector('.typing-indicator:has-text("Typing Visitor is typing")');
      await contact.typing('off');
      await tab.waitForSelector('.typing-indicator[data-typing=false]');

      const typingEvents = () =>
        contact.cable.frames
          .filter((f) => f.message?.event?.startsWith('conversation.typing'))
          .map((f) => f.message.event as string);

      // a private note being typed: agents only
      await tab.click('button:has-text("Private note")');
      const privateOn = tab.waitForResponse(
        (r) => r.url().endsWith('/toggle_typing_status') && r.request().postDataJSON()?.is_private === true,
      );
      await tab.type('#reply-text', 'internal');
      expect((await privateOn).status()).toBe(200);
      await tab.fill('#reply-text', '');

      // a reply being typed: the contact sees on, then off once it is sent
      await tab.click('button[aria-pressed=false]:has-text("Reply")');
      await tab.type('#reply-text', 'Typing an answer');
      await contact.cable.next((f) => f.message?.event === 'conversation.typing_on', 5000, 'typing_on');
      await tab.press('#reply-text', 'Enter');
      await contact.cable.next((f) => f.message?.event === 'conversation.typing_off', 5000, 'typing_off');
      const on = contact.cable.frames.find((f) => f.message?.event === 'conversation.typing_on').message.data;
      expect(on).toMatchObject({ is_private: false, user: { id: fx.admin.id } });
      // the only typing the contact saw is the public reply's
      expect(typingEvents()[0]).toBe('conversation.typing_on');
      expect(typingEvents().filter((e) => e === 'conversation.typing_on')).toHaveLength(1);
      contact.cable.close();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("shows agents' presence: the user online, another agent once their socket connects", async () => {
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('.agents-online summary');
      await tab.waitForSelector(`.agents-online li[data-agent-id="${fx.admin.id}"] [data-availability=online]`);
      expect(
        await tab.getAttribute(`.agents-online li[data-agent-id="${fx.agent.id}"] .dot`, 'data-availability'),
      ).toBe('offline');
      const profile = (await server().request('GET', '/api/v1/profile', { token: fx.agent.access_token })).body;
      const { openCable } = await import('./cable.js');
      const agentSocket = await openCable(server().url);
      await agentSocket.next((f) => f.type === 'welcome');
      agentSocket.subscribe({
        channel: 'RoomChannel',
        pubsub_token: profile.pubsub_token,
        account_id: fx.account.id,
        user_id: fx.agent.id,
      });
      await agentSocket.next((f) => f.type === 'confirm_subscription');
      // the dashboard asks every 20 s; the test asks now, and again while the server's one-second
      // presence snapshot may still predate the agent
      await tab.waitForFunction(
        (id) => {
          (window as any).__confabCable.perform('update_presence');
          return document.querySelector(`.agents-online li[data-agent-id="${id}"] [data-availability=online]`);
        },
        fx.agent.id,
        { polling: 500 },
      );
      agentSocket.close();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('counts a new notification live on the bell, and mark-read clears it', async () => {
    const chat = await createContact(inbox.inbox_identifier, 'Bell Ringer');
    await chat.say('Anyone?');
    // auto-assignment may have given it to the agent (online since the presence test): the
    // administrator's for now; and whatever the agent was notified of so far is read
    await fx.asAdmin('POST', `/conversations/${chat.conversationId}/assignments`, { assignee_id: fx.admin.id });
    await server().request('POST', `/api/v1/accounts/${fx.account.id}/notifications/read_all`, {
      token: fx.agent.access_token,
    });
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.agent.email);
      await tab.waitForSelector('[data-cable=connected]');
      const before = (
        await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications/unread_count`, {
          token: fx.agent.access_token,
        })
      ).body as number;
      await tab.waitForSelector(`.bell-count[data-unread="${before}"]`, { state: 'attached' });
      const assigned = await fx.asAdmin('POST', `/conversations/${chat.conversationId}/assignments`, {
        assignee_id: fx.agent.id,
      });
      expect(assigned.status, assigned.text).toBe(200);
      await tab.waitForSelector(`.bell-count[data-unread="${before + 1}"]`);
      const serverCount = (
        await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications/unread_count`, {
          token: fx.agent.access_token,
        })
      ).body;
      expect(serverCount).toBe(before + 1);

      // open the bell, choose the notification: read, and the conversation opens
      await tab.click('.bell-button');
      await tab.waitForSelector('.notification-panel li.unread');
      await tab.click('.notification-panel li.unread button');
      await tab.waitForURL(new RegExp(`/conversations/${chat.conversationId}$`));
      await tab.waitForSelector(`.bell-count[data-unread="${before}"]`, { state: 'attached' });
      const after = await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications`, {
        token: fx.agent.access_token,
      });
      expect(after.body.data.meta.unread_count).toBe(before);

      // another one, then mark all read
      await fx.asAdmin('POST', `/conversations/${chat.conversationId}/assignments`, { assignee_id: fx.admin.id });
      await fx.asAdmin('POST', `/conversations/${chat.conversationId}/assignments`, { assignee_id: fx.agent.id });
      await tab.waitForSelector('.bell-count:not([data-unread="0"])');
      await tab.click('.bell-button');
      await tab.click('.notification-panel button:has-text("Mark all read")');
      await tab.waitForSelector('.bell-count[data-unread="0"]', { state: 'attached' });
      await expect
        .poll(
          async () =>
            (
              await server().request('GET', `/api/v1/accounts/${fx.account.id}/notifications/unread_count`, {
                token: fx.agent.access_token,
              })
            ).body,
        )
        .toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
