import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { openCable } from './cable.js';
import { STRONG_PASSWORD } from './factories.js';
import { useTestServer } from './harness.js';

// What every browser test of the agent inbox (/app) needs: its own server, one Chromium, a tab that
// collects the page's problems for failure messages, sign-in, and contacts chatting through the
// Client API. The web build itself is made fresh by test/global-setup.ts before any file runs.

/** A 1×1 PNG. */
export const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The list row of a conversation. */
export const rowOf = (id: number) => `a.conversation-row[data-conversation-id="${id}"]`;

/** The texts of the open conversation's messages, in order. */
export const messageTexts = (tab: Page) =>
  tab.$$eval('.messages li .content', (nodes) => nodes.map((n) => n.textContent));

/** Call at the top of a test file: a server and a Chromium for the file, and helpers bound to them. */
export function useInboxBrowser(env?: Parameters<typeof useTestServer>[0]) {
  const server = useTestServer(env);
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A page with its console errors, CSP reports and failed requests collected for failure messages. */
  async function openTab(options: BrowserContextOptions = {}) {
    const context = await browser.newContext(options);
    const tab = await context.newPage();
    // well under the test's timeout, so a failure names the step that waited
    tab.setDefaultTimeout(10_000);
    const problems: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    tab.on('pageerror', (e) => problems.push(e.message));
    tab.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    return { tab, problems, close: () => context.close() };
  }

  async function signInWithPassword(tab: Page, email: string) {
    await tab.goto(`${server().url}/app`);
    await tab.waitForURL(/\/app\/login$/);
    await tab.fill('input[name=email]', email);
    await tab.fill('input[name=password]', STRONG_PASSWORD);
    await tab.click('button[type=submit]');
    await tab.waitForSelector('.list-panel');
  }

  /** A contact with a conversation, through the Client API. */
  async function createContact(inboxIdentifier: string, name: string) {
    const base = `/public/api/v1/inboxes/${inboxIdentifier}`;
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await server().request(method, `${base}${path}`, { body });
      if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
      return res.body;
    };
    const contact = await call('POST', '/contacts', { name });
    const conversation = await call('POST', `/contacts/${contact.source_id}/conversations`, {});
    const messagesPath = `/contacts/${contact.source_id}/conversations/${conversation.id}/messages`;
    return {
      conversationId: conversation.id as number,
      contactId: contact.id as number,
      pubsubToken: contact.pubsub_token as string,
      say: (content: string) => call('POST', messagesPath, { content }),
      /** The widget's typing indicator (on or off). */
      typing: (status: 'on' | 'off') =>
        call('POST', `/contacts/${contact.source_id}/conversations/${conversation.id}/toggle_typing`, {
          typing_status: status,
        }),
      messages: () => call('GET', messagesPath) as Promise<Array<{ content: string; message_type: number }>>,
      /** A message with files (multipart, as the widget sends them). */
      async attach(content: string, files: Array<{ name: string; type: string; data: Buffer }>) {
        const form = new FormData();
        form.append('content', content);
        for (const file of files)
          form.append('attachments[]', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
        const res = await fetch(new URL(`${base}${messagesPath}`, server().url), { method: 'POST', body: form });
        if (res.status !== 200) throw new Error(`attach: ${res.status} ${await res.text()}`);
      },
    };
  }

  /** A contact chatting through the Client API, with its own /cable subscription. */
  async function startContact(inboxIdentifier: string, name = 'Visitor') {
    const chat = await createContact(inboxIdentifier, name);
    const cable = await openCable(server().url);
    await cable.next((f) => f.type === 'welcome');
    const identifier = cable.subscribe({ channel: 'RoomChannel', pubsub_token: chat.pubsubToken });
    await cable.next((f) => f.type === 'confirm_subscription' && f.identifier === identifier);
    const received = () =>
      cable
        .events(identifier)
        .filter((e) => e.event === 'message.created')
        .map((e) => e.data);
    return { ...chat, received, cable };
  }

  return { server, openTab, signInWithPassword, createContact, startContact, rowOf, messageTexts, PIXEL };
}
