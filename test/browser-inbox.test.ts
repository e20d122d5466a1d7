import { describe, expect, it, beforeAll } from 'vitest';
import { type AccountFixture, buildAccount, buildAccountFixture, buildInbox } from './factories.js';
import { useInboxBrowser } from './inbox-kit.js';

// The agent inbox at /app in a real browser, against the real server: the page uses only the
// Application API, devise's sign-in and /cable, as Chatwoot's dashboard does.

const { server, openTab, signInWithPassword, createContact, startContact, rowOf, messageTexts, PIXEL } =
  useInboxBrowser();

describe('serving /app', () => {
  it('sends index.html with a CSP and no-cache for /app and any client route, and hashed assets for good', async () => {
    for (const path of ['/app', '/app/login', '/app/some/route']) {
      const res = await fetch(`${server().url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      const html = await res.text();
      expect(html).toContain('<div id="app"></div>');
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script
    }
    const html = await (await fetch(`${server().url}/app`)).text();
    const asset = html.match(/\/app\/assets\/[\w.-]+\.js/)?.[0];
    expect(asset, html).toBeDefined();
    const js = await fetch(`${server().url}${asset}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    const missing = await fetch(`${server().url}/app/assets/nothing-here.js`);
    expect(missing.status).toBe(404);
  });
});

describe('the agent inbox in Chromium', () => {
  let fx: AccountFixture;
  let inbox: { id: number; inbox_identifier: string };

  beforeAll(async () => {
    fx = await buildAccountFixture(server());
    inbox = await buildInbox(fx);
  });

  it('signs in with a password, survives a reload, and signs out (the session is gone on the server)', async () => {
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      expect(tab.url()).toMatch(new RegExp(`/app/accounts/${fx.account.id}/conversations$`));
      const stored = await tab.evaluate(() => JSON.parse(localStorage.getItem('confab.auth') ?? 'null'));
      expect(stored).toMatchObject({ uid: fx.admin.email });
      expect(stored['access-token']).toBeTruthy();

      await tab.reload();
      await tab.waitForSelector('.list-panel');
      expect(await tab.textContent('.sidebar')).toContain(fx.account.name);

      await tab.click('button.sign-out');
      await tab.waitForURL(/\/app\/login$/);
      expect(await tab.evaluate(() => localStorage.getItem('confab.auth'))).toBeNull();
      const headers = { 'access-token': stored['access-token'], client: stored.client, uid: stored.uid };
      const after = await server().request('GET', '/auth/validate_token', { headers });
      expect(after.status).toBe(401);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows the sign-in error for a wrong password', async () => {
    const { tab, close } = await openTab();
    try {
      await tab.goto(`${server().url}/app/login`);
      // sign-up is off (ENABLE_ACCOUNT_SIGNUP unset): not offered, and its page is not served
      await tab.waitForSelector('a:has-text("Forgot your password?")');
      expect(await tab.$('a:has-text("Create a new account")')).toBeNull();
      await tab.fill('input[name=email]', fx.agent.email);
      await tab.fill('input[name=password]', 'not the password');
      await tab.click('button[type=submit]');
      await tab.waitForSelector('.login-form [role=alert]');
      expect(await tab.textContent('.login-form [role=alert]')).toContain('Invalid login credentials');
    } finally {
      await close();
    }
  });

  it("signs in at once through the Platform API's link, which leaves the address bar", async () => {
    const link = await server().request('GET', `/platform/api/v1/users/${fx.agent.id}/login`, {
      token: fx.platformToken,
    });
    expect(link.status, link.text).toBe(200);
    const url = new URL(link.body.url);
    const { tab, problems, close } = await openTab();
    try {
      await tab.goto(`${server().url}${url.pathname}${url.search}`);
      await tab.waitForSelector('.list-panel');
      expect(tab.url()).not.toContain('sso_auth_token');
      expect(await tab.textContent('.sidebar')).toContain(fx.account.name);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("shows a contact's messages live, sends replies and private notes, and renders markup as text", async () => {
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.click('button[data-tab=all]');
      await tab.waitForSelector('[data-cable=connected]');

      // a new conversation and its first message arrive without a reload
      const contact = await startContact(inbox.inbox_identifier, 'Live Visitor');
      await contact.say('Hello from the widget');
      await tab.waitForSelector(`${rowOf(contact.conversationId)}:has-text("Hello from the widget")`);
      expect(await tab.textContent(`${rowOf(contact.conversationId)} .badge`)).toContain('1');

      await tab.click(rowOf(contact.conversationId));
      await tab.waitForSelector('.messages li.incoming:has-text("Hello from the widget")');
      expect(tab.url()).toMatch(new RegExp(`/conversations/${contact.conversationId}$`));

      // the open conversation takes new messages live; markup is text and never runs
      const hostile = '<img src=x onerror="window.__pwned=1">';
      await contact.say(hostile);
      await tab.waitForFunction(
        (text) => [...document.querySelectorAll('.messages li.incoming .content')].some((n) => n.textContent === text),
        hostile,
      );
      expect(await tab.$$('.messages img')).toHaveLength(0);
      expect(await tab.evaluate(() => (window as any).__pwned)).toBeUndefined();

      // a reply from the UI reaches the contact's socket and message list
      await tab.fill('#reply-text', 'Hi, an agent here');
      await tab.press('#reply-text', 'Enter');
      await tab.waitForSelector('.messages li.outgoing:not([data-status=progress]):has-text("Hi, an agent here")');
      await contact.cable.next(
        (f) => f.message?.event === 'message.created' && f.message.data.content === 'Hi, an agent here',
        5000,
        'the reply on the contact socket',
      );

      // a private note is shown to agents, never to the contact
      await tab.click('button:has-text("Private note")');
      await tab.fill('#reply-text', 'Internal: VIP customer');
      await tab.click('button.send');
      await tab.waitForSelector('.messages li.note:not([data-status=progress]):has-text("Internal: VIP customer")');
      // one reconciled copy of each sent message (optimistic + server's + cable's)
      const texts = await messageTexts(tab);
      expect(texts.filter((t) => t === 'Hi, an agent here')).toHaveLength(1);
      expect(texts.filter((t) => t === 'Internal: VIP customer')).toHaveLength(1);

      await contact.say('Thanks');
      await tab.waitForSelector('.messages li.incoming:has-text("Thanks")');
      const seenByContact = (await contact.messages()).map((m) => m.content);
      expect(seenByContact).toEqual(['Hello from the widget', hostile, 'Hi, an agent here', 'Thanks']);
      expect(contact.received().map((m: any) => m.content)).not.toContain('Internal: VIP customer');
      contact.cable.close();
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows images inline and files as links, resolves and reopens, and assigns to the agent', async () => {
    const contact = await createContact(inbox.inbox_identifier, 'Resolver');
    await contact.say('Please close me');
    await contact.attach('Screenshot and invoice', [
      { name: 'pixel.png', type: 'image/png', data: PIXEL },
      { name: 'invoice.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 test') },
    ]);
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${contact.conversationId}`);
      await tab.waitForSelector('.conversation-actions');
      await tab.waitForSelector('.messages li.incoming:has-text("Screenshot and invoice")');
      await tab.waitForFunction(
        () => (document.querySelector('.messages li img') as HTMLImageElement | null)?.naturalWidth === 1,
      );
      const file = await tab.$eval('.messages a.attachment.file', (a) => ({
        text: a.textContent,
        href: a.getAttribute('href'),
      }));
      expect(file.text).toContain('invoice.pdf');
      expect((await fetch(new URL(file.href!, server().url))).status).toBe(200);

      await tab.click('button:has-text("Assign to me")');
      await tab.waitForSelector('.conversation-actions .assignee');
      await tab.click('button:has-text("Resolve")');
      await tab.waitForSelector('button:has-text("Reopen")');
      const resolved = await fx.asAdmin('GET', `/conversations/${contact.conversationId}`);
      expect(resolved.body).toMatchObject({ status: 'resolved', meta: { assignee: { id: fx.admin.id } } });
      await tab.click('button:has-text("Reopen")');
      await tab.waitForSelector('button:has-text("Resolve")');
      expect((await fx.asAdmin('GET', `/conversations/${contact.conversationId}`)).body.status).toBe('open');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('renders only the visible rows, pages the list as it scrolls, pages messages backwards, and switches account', async () => {
    // an account of its own: 61 open conversations (three pages), one with 45 messages and a label
    const big = await buildAccountFixture(server());
    const bigInbox = await buildInbox(big);
    const contacts: Awaited<ReturnType<typeof createContact>>[] = [];
    for (let i = 0; i < 60; i += 10) {
      contacts.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, k) => createContact(bigInbox.inbox_identifier, `Customer ${i + k}`)),
        )),
      );
    }
    const long = contacts[0]!;
    for (let m = 0; m < 45; m++) await long.say(`Line ${m}`);
    const label = await big.asAdmin('POST', '/labels', { title: 'vip' });
    expect(label.status, label.text).toBe(200);
    const labelled = await big.asAdmin('POST', `/conversations/${long.conversationId}/labels`, { labels: ['vip'] });
    expect(labelled.status, labelled.text).toBe(200);
    const secondInbox = await buildInbox(big, { name: 'Second inbox' });
    const elsewhere = await createContact(secondInbox.inbox_identifier, 'Elsewhere');
    await elsewhere.say('From the second inbox');
    const other = await buildAccount(server(), big.platformToken, { name: 'Second account' });
    const joined = await server().request('POST', `/platform/api/v1/accounts/${other.id}/account_users`, {
      token: big.platformToken,
      body: { user_id: big.admin.id, role: 'agent' },
    });
    expect(joined.status, joined.text).toBe(200);

    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, big.admin.email);
      await tab.click('button[data-tab=all]');
      await tab.waitForSelector('.conversation-row');
      expect(await tab.textContent('button[data-tab=all] .count')).toBe('61');
      const rendered = await tab.$$eval('.conversation-row', (rows) => rows.length);
      expect(rendered).toBeLessThan(25);
      // scrolling to the end loads the next pages; the DOM still holds about a screenful
      // (each poll scrolls to the end again, as a reader would, until every page is in)
      await tab.waitForFunction(
        () => {
          const list = document.querySelector('.virtual-list')!;
          list.scrollTo(0, list.scrollHeight);
          return document.querySelector('.list-footer')?.textContent === 'All loaded';
        },
        undefined,
        { polling: 100 },
      );
      expect(await tab.$eval('.virtual-list ul', (el) => el.style.height)).toBe(`${61 * 76}px`);
      expect(await tab.$$eval('.conversation-row', (rows) => rows.length)).toBeLessThan(25);

      // inbox and label filters narrow the list (and its counts)
      const showsOnly = async (id: number) => {
        await tab.waitForFunction((wanted) => {
          const rows = [...document.querySelectorAll('.conversation-row')];
          const footer = document.querySelector('.list-footer')?.textContent;
          return (
            footer === 'All loaded' && rows.length === 1 && rows[0]!.getAttribute('data-conversation-id') === wanted
          );
        }, String(id));
        expect(await tab.textContent('button[data-tab=all] .count')).toBe('1');
      };
      await tab.selectOption('select[aria-label=Label]', 'vip');
      await showsOnly(long.conversationId);
      await tab.selectOption('select[aria-label=Label]', '');
      await tab.selectOption('select[aria-label=Inbox]', String(secondInbox.id));
      await showsOnly(elsewhere.conversationId);
      await tab.selectOption('select[aria-label=Inbox]', '');
      await tab.waitForSelector('button[data-tab=all] .count:text-is("61")');

      // 45 messages and the label's activity message: the latest 20, then 20 more and the rest as the view scrolls up
      await tab.goto(`${server().url}/app/accounts/${big.account.id}/conversations/${long.conversationId}`);
      await tab.waitForSelector('.messages li:has-text("Line 44")');
      expect(await tab.$$eval('.messages li', (items) => items.length)).toBe(20);
      await tab.waitForFunction(
        () => {
          document.querySelector('.messages')!.scrollTo(0, 0);
          return document.querySelectorAll('.messages li').length === 46;
        },
        undefined,
        { polling: 100 },
      );
      expect((await messageTexts(tab))[0]).toBe('Line 0');

      // the account switcher lists both accounts and moves to the other
      await tab.selectOption('select[aria-label=Account]', String(other.id));
      await tab.waitForURL(new RegExp(`/app/accounts/${other.id}/conversations$`));
      await tab.waitForSelector('.list-footer:has-text("No conversations")');
      expect(await tab.textContent('button[data-tab=all] .count')).toBe('0');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('after the socket is cut, shows the messages sent meanwhile exactly once', async () => {
    const contact = await startContact(inbox.inbox_identifier, 'Reconnector');
    await contact.say('Before the cut');
    const { tab, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(`${server().url}/app/accounts/${fx.account.id}/conversations/${contact.conversationId}`);
      await tab.waitForSelector('.messages li.incoming:has-text("Before the cut")');
      await tab.waitForSelector('[data-cable=connected]');
      await tab.evaluate(() => (window as any).__confabCable.drop());
      await contact.say('During the cut 1');
      await contact.say('During the cut 2');
      await tab.waitForSelector('.messages li.incoming:has-text("During the cut 2")');
      await tab.waitForSelector('[data-cable=connected]');
      await contact.say('After the cut');
      await tab.waitForSelector('.messages li.incoming:has-text("After the cut")');
      const texts = await messageTexts(tab);
      expect(texts).toEqual(['Before the cut', 'During the cut 1', 'During the cut 2', 'After the cut']);
      contact.cable.close();
    } finally {
      await close();
    }
  });
});
