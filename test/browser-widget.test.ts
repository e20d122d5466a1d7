import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAccountFixture, buildInbox } from './factories.js';
import { useTestServer } from './harness.js';

// A real browser proves the Client API and /cable work from a page on another origin, as Chatwoot's
// widget and SDKs use them: the page is served from http://localhost:<its port>, Confab is addressed
// as http://127.0.0.1:<its port>, so every fetch is cross-origin (JSON bodies: with a preflight).

const server = useTestServer();

/** The page: only fetch and WebSocket, speaking the Client API and ActionCable's JSON protocol. */
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>widget</title></head><body>
<script>
window.widget = { state: 'starting', frames: [], replies: [] };
window.startWidget = async function (api, inboxIdentifier) {
  const w = window.widget;
  try {
    const json = async (method, path, body) => {
      const res = await fetch(api + '/public/api/v1/inboxes/' + inboxIdentifier + path, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(method + ' ' + path + ': ' + res.status + ' ' + (await res.text()));
      return res.json();
    };
    const contact = await json('POST', '/contacts', { name: 'Browser visitor', email: 'visitor@example.com' });
    const conversation = await json('POST', '/contacts/' + contact.source_id + '/conversations', {});
    const message = await json(
      'POST',
      '/contacts/' + contact.source_id + '/conversations/' + conversation.id + '/messages',
      { content: 'Hello from another origin' },
    );
    w.contact = contact;
    w.conversation = conversation;
    w.message = message;
    const identifier = JSON.stringify({ channel: 'RoomChannel', pubsub_token: contact.pubsub_token });
    const socket = new WebSocket(api.replace(/^http/, 'ws') + '/cable', ['actioncable-v1-json', 'actioncable-unsupported']);
    socket.onerror = () => { w.state = 'error: socket failed'; };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'ping') return;
      w.frames.push(frame);
      if (frame.type === 'welcome') socket.send(JSON.stringify({ command: 'subscribe', identifier }));
      if (frame.type === 'confirm_subscription' && frame.identifier === identifier) w.state = 'subscribed';
      if (frame.identifier === identifier && frame.message && frame.message.event === 'message.created') {
        const data = frame.message.data;
        if (data.message_type === 1) w.replies.push(data);
      }
    };
  } catch (error) {
    w.state = 'error: ' + error.message;
  }
};
</script></body></html>`;

let browser: Browser | undefined;
let page: http.Server;
let pageOrigin = '';

beforeAll(async () => {
  page = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://localhost:${(page.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (page ? page.close(() => resolve()) : resolve()));
});

describe('a page on another origin, in Chromium', () => {
  it("chats over the Client API and /cable and receives the agent's reply", async () => {
    const fx = await buildAccountFixture(server());
    const inbox = await buildInbox(fx);
    const api = server().url; // http://127.0.0.1:<port>
    expect(new URL(api).origin).not.toBe(pageOrigin);

    const tab = await browser!.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    try {
      await tab.goto(`${pageOrigin}/widget.html`);
      await tab.evaluate(([base, identifier]) => (window as any).startWidget(base, identifier), [
        api,
        inbox.inbox_identifier,
      ] as const);
      await tab
        .waitForFunction(() => (window as any).widget.state !== 'starting', undefined, { timeout: 15_000 })
        .catch(() => undefined);
      const started = await tab.evaluate(() => (window as any).widget);
      expect(started.state, `page: ${JSON.stringify(started)}; console: ${consoleErrors.join(' | ')}`).toBe(
        'subscribed',
      );
      expect(started.message.content).toBe('Hello from another origin');

      // the contact's message is in the conversation the agents see
      const seen = await fx.asAdmin('GET', `/conversations/${started.conversation.id}/messages`);
      expect(seen.status, seen.text).toBe(200);
      expect(seen.body.payload.map((m: any) => m.content)).toContain('Hello from another origin');

      const reply = await fx.asAdmin('POST', `/conversations/${started.conversation.id}/messages`, {
        content: 'Hi! An agent here.',
        message_type: 'outgoing',
      });
      expect(reply.status, reply.text).toBe(200);

      await tab
        .waitForFunction(() => (window as any).widget.replies.length > 0, undefined, { timeout: 10_000 })
        .catch(() => undefined);
      const after = await tab.evaluate(() => (window as any).widget);
      expect(
        after.replies.map((r: any) => r.content),
        `frames: ${JSON.stringify(after.frames)}`,
      ).toEqual(['Hi! An agent here.']);
      expect(after.replies[0]).toMatchObject({
        id: reply.body.id,
        conversation_id: started.conversation.id,
        account_id: fx.account.id,
      });
    } finally {
      await tab.close();
    }
  });
});
