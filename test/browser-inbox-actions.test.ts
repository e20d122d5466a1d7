import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AccountFixture, buildAccountFixture, buildInbox } from './factories.js';
import { PIXEL, useInboxBrowser } from './inbox-kit.js';

// The agent inbox's conversation actions in Chromium (issue 22, part "inbox-conversations"): each
// change made in the page is read back from the Application API, as another client would see it.

const { server, openTab, signInWithPassword, createContact, rowOf } = useInboxBrowser();

let fx: AccountFixture;
let inbox: { id: number; inbox_identifier: string };
const created = async (method: string, path: string, body: unknown) => {
  const res = await fx.asAdmin(method, path, body);
  if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
};
const show = async (id: number) => (await fx.asAdmin('GET', `/conversations/${id}`)).body;

beforeAll(async () => {
  fx = await buildAccountFixture(server());
  inbox = await buildInbox(fx);
  for (const title of ['billing', 'vip']) await created('POST', '/labels', { title });
});

/** A signed-in administrator's tab with one conversation open. */
async function openConversation(id: number) {
  const opened = await openTab();
  await signInWithPassword(opened.tab, fx.admin.email);
  await opened.tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${id}`);
  await opened.tab.waitForSelector('.conversation-actions');
  return opened;
}

const labelChips = (tab: Page) => tab.$$eval('.label-chip', (chips) => chips.map((c) => c.getAttribute('data-label')));

describe('conversation actions', () => {
  it('adds and removes labels, and the API has exactly the labels shown', async () => {
    const contact = await createContact(inbox.inbox_identifier, 'Labelled');
    await contact.say('Tag me');
    const { tab, problems, close } = await openConversation(contact.conversationId);
    try {
      await tab.selectOption('select[name=add-label]', 'billing');
      await tab.waitForSelector('.label-chip[data-label=billing]');
      expect((await show(contact.conversationId)).labels).toEqual(['billing']);
      await tab.selectOption('select[name=add-label]', 'vip');
      await tab.waitForSelector('.label-chip[data-label=vip]');
      expect((await show(contact.conversationId)).labels).toEqual(['billing', 'vip']);

      await tab.click('button[aria-label="Remove label billing"]');
      await tab.waitForSelector('.label-chip[data-label=billing]', { state: 'detached' });
      expect(await labelChips(tab)).toEqual(['vip']);
      expect((await show(contact.conversationId)).labels).toEqual(['vip']);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('snoozes until tomorrow 9:00 from the preset menu, then reopens; runs a macro', async () => {
    const macro = await created('POST', '/macros', {
      name: 'Tag billing',
      visibility: 'global',
      actions: [{ action_name: 'add_label', action_params: ['billing'] }],
    });
    const contact = await createContact(inbox.inbox_identifier, 'Snoozer');
    await contact.say('Later please');
    const { tab, problems, close } = await openConversation(contact.conversationId);
    try {
      await tab.click('button[aria-label="More status options"]');
      await tab.click('button[data-snooze=tomorrow]');
      await tab.waitForSelector('.status-control .status[data-status=snoozed]');
      const expected = await tab.evaluate(() => {
        const now = new Date();
        return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 9).getTime() / 1000;
      });
      const snoozed = await show(contact.conversationId);
      expect(snoozed.status).toBe('snoozed');
      expect(Date.parse(snoozed.snoozed_until) / 1000).toBe(expected);
      expect(await tab.textContent('.status-control .status')).toContain('Snoozed until');

      await tab.click('button[data-action=toggle-status]:has-text("Reopen")');
      await tab.waitForSelector('.status-control .status[data-status=open]');
      expect(await show(contact.conversationId)).toMatchObject({ status: 'open', snoozed_until: null });

      // "until next reply" snoozes with no time
      await tab.click('button[aria-label="More status options"]');
      await tab.click('button[data-snooze=next-reply]');
      await tab.waitForSelector('.status-control .status[data-status=snoozed]');
      expect(await show(contact.conversationId)).toMatchObject({ status: 'snoozed', snoozed_until: null });

      // a macro runs on the conversation in a job; /cable brings its label to the page
      await tab.click('button[aria-label=Macros]');
      await tab.click(`button[data-macro="${macro.payload.id}"]`);
      await tab.waitForSelector('.label-chip[data-label=billing]');
      expect((await show(contact.conversationId)).labels).toEqual(['billing']);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('assigns an agent and a team, sets the priority and a participant, mutes, and marks unread', async () => {
    const team = await created('POST', '/teams', { name: 'Support squad' });
    // a team change unassigns an agent who is not in the team (Chatwoot's ensure_assignee_is_from_team)
    await created('POST', `/teams/${team.id}/team_members`, { user_ids: [fx.agent.id] });
    const contact = await createContact(inbox.inbox_identifier, 'Assigned');
    await contact.say('Who is on this?');
    const { tab, problems, close } = await openConversation(contact.conversationId);
    try {
      await tab.selectOption('select[name=assignee]', String(fx.agent.id));
      await tab.waitForSelector('.conversation-actions .assignee');
      await tab.selectOption('select[name=team]', String(team.id));
      await tab.selectOption('select[name=priority]', 'high');
      await expect
        .poll(async () => {
          const c = await show(contact.conversationId);
          return [c.meta.assignee?.id, c.meta.team?.id, c.priority];
        })
        .toEqual([fx.agent.id, team.id, 'high']);

      await tab.selectOption('select[name=priority]', '');
      await expect.poll(async () => (await show(contact.conversationId)).priority).toBeNull();

      await tab.click('button[aria-label=Participants]');
      await tab.check(`input[data-participant="${fx.admin.id}"]`);
      await expect
        .poll(async () =>
          ((await fx.asAdmin('GET', `/conversations/${contact.conversationId}/participants`)).body as { id: number }[])
            .map((p) => p.id)
            .sort(),
        )
        .toEqual([fx.admin.id, fx.agent.id].sort());
      await tab.keyboard.press('Escape');

      await tab.click('button[aria-label="More actions"]');
      await tab.click('button[data-action=mute]');
      await tab.waitForSelector('.status-control .status[data-status=resolved]');
      expect(await show(contact.conversationId)).toMatchObject({ status: 'resolved', muted: true });
      await tab.click('button[aria-label="More actions"]');
      await tab.click('button[data-action=mute]:has-text("Unmute")');
      await expect.poll(async () => (await show(contact.conversationId)).muted).toBe(false);

      await tab.click('button[data-action=toggle-status]'); // reopen
      await tab.waitForSelector('.status-control .status[data-status=open]');
      await tab.click('button[aria-label="More actions"]');
      await tab.click('button[data-action=mark-unread]');
      await tab.waitForURL(/\/conversations$/);
      expect((await show(contact.conversationId)).unread_count).toBeGreaterThan(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the reply box', () => {
  it('inserts a canned response typed as /short_code, and the contact receives it', async () => {
    await created('POST', '/canned_responses', { short_code: 'thanks', content: 'Thank you for waiting!' });
    await created('POST', '/canned_responses', { short_code: 'bye', content: 'Goodbye' });
    const contact = await createContact(inbox.inbox_identifier, 'Canned');
    await contact.say('Hello?');
    const { tab, problems, close } = await openConversation(contact.conversationId);
    try {
      await tab.click('#reply-text');
      await tab.keyboard.type('Hi /tha');
      await tab.waitForSelector('.canned-menu [role=option][data-short-code=thanks][aria-selected=true]');
      await expect
        .poll(() => tab.$$eval('.canned-menu [role=option]', (o) => o.map((x) => x.getAttribute('data-short-code'))))
        .toEqual(['thanks']);
      await tab.keyboard.press('Enter');
      await tab.waitForSelector('.canned-menu', { state: 'detached' });
      expect(await tab.inputValue('#reply-text')).toBe('Hi Thank you for waiting!');
      await tab.keyboard.press('Enter');
      await expect
        .poll(async () => (await contact.messages()).map((m) => m.content))
        .toContain('Hi Thank you for waiting!');

      // Escape closes the menu and keeps the text as typed
      await tab.keyboard.type('/by');
      await tab.waitForSelector('.canned-menu [data-short-code=bye]');
      await tab.keyboard.press('Escape');
      await tab.waitForSelector('.canned-menu', { state: 'detached' });
      expect(await tab.inputValue('#reply-text')).toBe('/by');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('sends files as attachments[], and shows a failed delivery with its reason and a working Retry', async () => {
    const contact = await createContact(inbox.inbox_identifier, 'Files');
    await contact.say('Send me the invoice');
    const { tab, problems, close } = await openConversation(contact.conversationId);
    try {
      await tab.setInputFiles('.reply-actions input[type=file]', [
        { name: 'pixel.png', mimeType: 'image/png', buffer: PIXEL },
        { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 test') },
      ]);
      expect(await tab.textContent('.reply-files')).toContain('invoice.pdf');
      await tab.fill('#reply-text', 'Here you go');
      await tab.click('button.send');
      await tab.waitForSelector('.messages li.outgoing[data-message-id]:not([data-message-id^="-"]) a.attachment.file');
      const messages = (await fx.asAdmin('GET', `/conversations/${contact.conversationId}/messages`)).body.payload as {
        id: number;
        content: string;
        attachments?: { file_type: string; data_url: string }[];
      }[];
      const sent = messages.find((m) => m.content === 'Here you go');
      expect(sent?.attachments?.map((a) => a.file_type).sort()).toEqual(['file', 'image']);
      expect(await tab.textContent('.reply-files')).toBe('');

      // the channel reports a failure: the reason shows, Retry sends it again
      const failed = await fx.asAdmin('PATCH', `/conversations/${contact.conversationId}/messages/${sent!.id}`, {
        status: 'failed',
        external_error: 'mailbox full',
      });
      expect(failed.status, failed.text).toBe(200);
      const item = `.messages li[data-message-id="${sent!.id}"]`;
      await tab.waitForSelector(`${item} .failed:has-text("mailbox full")`);
      await tab.click(`${item} .failed button:has-text("Retry")`);
      await tab.waitForSelector(`${item} .delivery-sent`);
      const retried = (await fx.asAdmin('GET', `/conversations/${contact.conversationId}/messages`)).body.payload.find(
        (m: { id: number }) => m.id === sent!.id,
      );
      expect(retried.status).toBe('sent');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('the list', () => {
  it('applies a bulk status and label to the ticked conversations only', async () => {
    const chats = [];
    for (const name of ['Bulk A', 'Bulk B', 'Bulk C']) {
      const chat = await createContact(inbox.inbox_identifier, name);
      await chat.say(`from ${name}`);
      chats.push(chat);
    }
    const [a, b, c] = chats.map((chat) => chat.conversationId) as [number, number, number];
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('.tabs [data-tab=all]');
      await tab.waitForSelector(rowOf(c));
      await tab.check(`input[data-select="${a}"]`);
      await tab.check(`input[data-select="${b}"]`);
      expect(await tab.textContent('.bulk-count')).toBe('2 selected');

      await tab.selectOption('select[name=bulk-label]', 'vip');
      await expect.poll(async () => [(await show(a)).labels, (await show(b)).labels]).toEqual([['vip'], ['vip']]);
      expect((await show(c)).labels).toEqual([]);

      await tab.check(`input[data-select="${a}"]`);
      await tab.check(`input[data-select="${b}"]`);
      await tab.selectOption('select[name=bulk-status]', 'resolved');
      await expect.poll(async () => [(await show(a)).status, (await show(b)).status]).toEqual(['resolved', 'resolved']);
      expect((await show(c)).status).toBe('open');
      // /cable takes the resolved rows out of the open list
      await tab.waitForSelector(rowOf(a), { state: 'detached' });
      await tab.waitForSelector(rowOf(b), { state: 'detached' });
      expect(await tab.$(rowOf(c))).not.toBeNull();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('filters by team, sorts by creation, and saves the filter as a custom filter', async () => {
    const team = await created('POST', '/teams', { name: 'Filters team' });
    const first = await createContact(inbox.inbox_identifier, 'Oldest');
    await first.say('first');
    const second = await createContact(inbox.inbox_identifier, 'Teamed');
    await second.say('second');
    await created('POST', `/conversations/${second.conversationId}/assignments`, { team_id: team.id });
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('.tabs [data-tab=all]');
      await tab.waitForSelector(rowOf(second.conversationId));
      await tab.selectOption('select[aria-label="Sort by"]', 'created_at_asc');
      // oldest first: the older of the two comes before the newer
      await tab.waitForFunction(
        ([older, newer]) => {
          const ids = [...document.querySelectorAll('a.conversation-row')].map((r) =>
            Number(r.getAttribute('data-conversation-id')),
          );
          return ids.includes(older) && ids.includes(newer) && ids.indexOf(older) < ids.indexOf(newer);
        },
        [first.conversationId, second.conversationId] as const,
      );
      expect(await tab.getAttribute('a.conversation-row', 'data-conversation-id')).not.toBe(
        String(second.conversationId),
      );

      await tab.selectOption('select[aria-label=Team]', String(team.id));
      await tab.waitForFunction(
        ([older, teamed]) =>
          !document.querySelector(`a.conversation-row[data-conversation-id="${older}"]`) &&
          !!document.querySelector(`a.conversation-row[data-conversation-id="${teamed}"]`),
        [first.conversationId, second.conversationId],
      );
      expect(await tab.$$eval('a.conversation-row', (rows) => rows.length)).toBe(1);

      await tab.click('button:has-text("Save filter")');
      await tab.fill('input[name=filter-name]', 'Team queue');
      await tab.click('.save-filter button[type=submit]');
      await tab.waitForSelector('.saved-name:has-text("Team queue")');
      const saved = (await fx.asAdmin('GET', '/custom_filters?filter_type=conversation')).body as {
        name: string;
        query: { payload: { attribute_key: string; values: unknown[] }[] };
      }[];
      const mine = saved.find((f) => f.name === 'Team queue');
      expect(mine?.query.payload).toEqual([
        expect.objectContaining({ attribute_key: 'status', values: ['open'] }),
        expect.objectContaining({ attribute_key: 'team_id', values: [team.id] }),
      ]);
      // applied through POST /conversations/filter: still the one conversation
      await tab.waitForSelector(rowOf(second.conversationId));
      expect(await tab.$$eval('a.conversation-row', (rows) => rows.length)).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('keyboard shortcuts', () => {
  it('? lists the shortcuts, Escape closes it, Alt+E resolves, j moves to the next conversation', async () => {
    const one = await createContact(inbox.inbox_identifier, 'Keys one');
    await one.say('first');
    const two = await createContact(inbox.inbox_identifier, 'Keys two');
    await two.say('second');
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('.tabs [data-tab=all]');
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${two.conversationId}`);
      await tab.waitForSelector('.conversation-actions');

      await tab.keyboard.press('?');
      const dialog = await tab.waitForSelector('[role=dialog][aria-modal=true]');
      const text = await dialog.textContent();
      for (const words of ['Resolve or reopen', 'Next conversation', 'Private note', 'Show these shortcuts'])
        expect(text?.toLowerCase()).toContain(words.toLowerCase());
      await expect.poll(() => tab.evaluate(() => document.activeElement?.textContent)).toBe('Close');
      await tab.keyboard.press('Escape');
      await tab.waitForSelector('[role=dialog]', { state: 'detached' });

      // typing in the reply box is not a shortcut
      await tab.click('#reply-text');
      await tab.keyboard.type('jk?');
      expect(await tab.inputValue('#reply-text')).toBe('jk?');
      await tab.fill('#reply-text', '');

      await tab.keyboard.press('Alt+KeyE');
      await expect.poll(async () => (await show(two.conversationId)).status).toBe('resolved');
      await tab.waitForSelector('.status-control .status[data-status=resolved]');
      await tab.keyboard.press('Alt+KeyE');
      await expect.poll(async () => (await show(two.conversationId)).status).toBe('open');

      await tab.locator('.messages').click();
      await tab.keyboard.press('j');
      await tab.waitForURL((url) => !url.pathname.endsWith(`/conversations/${two.conversationId}`));
      expect(tab.url()).toMatch(/\/conversations\/\d+$/);
      await tab.keyboard.press('k');
      await tab.waitForURL((url) => url.pathname.endsWith(`/conversations/${two.conversationId}`));
      // the URL changes before the conversation's view has loaded: its reply box takes the shortcut
      // once it is there (CI pressed Alt+P into the loading view once, and nothing had focus)
      await tab.waitForSelector('.messages >> text=second');
      await tab.waitForSelector('#reply-text');

      await tab.keyboard.press('Alt+KeyP');
      expect(await tab.evaluate(() => document.activeElement?.id)).toBe('reply-text');
      expect(await tab.getAttribute('.reply-mode button:has-text("Private note")', 'aria-pressed')).toBe('true');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});
