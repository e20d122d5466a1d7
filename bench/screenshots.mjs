// npm run screenshots — the README's pictures of the agent inbox, taken from the real app: the built
// server (`confab start`) on an embedded PostgreSQL with a small seeded account, Debian's headless
// Chromium signed in as its administrator. Writes docs/screenshots/{list,conversation,settings,automation,profile,
// help-center,reports}.png.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';
import { startWithAdministrator } from './server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(root, 'docs/screenshots');
const PASSWORD = 'Passw0rd!';
const EMAIL = 'ada@example.com';

const CHATS = [
  ['Grace Hopper', ['Hi! My invoice for March shows two charges.', 'Could you refund one of them?']],
  ['Alan Turing', ['Is there an API to export my conversations?']],
  ['Katherine Johnson', ['The widget does not load on our checkout page.']],
  ['Linus Pauling', ['Thanks, that fixed it!']],
  ['Barbara Liskov', ['Can I add a second administrator to our account?']],
  ['Edsger Dijkstra', ['Your status page says all systems go, but sign-in fails for us.']],
];

let app;
let browser;
try {
  app = await startWithAdministrator(root, {
    accountName: 'Acme Support',
    name: 'Ada Lovelace',
    email: EMAIL,
    password: PASSWORD,
  });
  const { server, account, user } = app;
  const call = (method, url, body, token) => app.call(method, url, body, token ? { api_access_token: token } : {});
  const api = (method, url, body) => call(method, `/api/v1/accounts/${account.id}${url}`, body, user.accessToken);

  // the account: two inboxes, labels, a canned response, a team, a webhook
  const inbox = await api('POST', '/inboxes', { name: 'Website chat', channel: { type: 'api' } });
  await api('POST', '/inboxes', {
    name: 'Mobile app',
    channel: { type: 'api', webhook_url: 'https://app.example.com/confab' },
  });
  for (const [title, color] of [
    ['billing', '#d73a4a'],
    ['bug', '#e99695'],
    ['vip', '#7057ff'],
  ])
    await api('POST', '/labels', { title, color, description: `Conversations about ${title}` });
  await api('POST', '/canned_responses', { short_code: 'thanks', content: 'Thank you for writing to us!' });
  const team = await api('POST', '/teams', { name: 'Billing', description: 'Invoices and refunds' });
  await api('POST', '/webhooks', {
    webhook: { url: 'https://hooks.example.com/confab', subscriptions: ['message_created'] },
  });

  // conversations from contacts through the Client API, one answered by the agent
  const contacts = `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
  const ids = [];
  for (const [name, lines] of CHATS) {
    const contact = await call('POST', contacts, { name, email: `${name.split(' ')[0].toLowerCase()}@example.com` });
    const conversation = await call('POST', `${contacts}/${contact.source_id}/conversations`);
    for (const content of lines)
      await call('POST', `${contacts}/${contact.source_id}/conversations/${conversation.id}/messages`, { content });
    ids.push(conversation.id);
  }
  const first = ids[0];
  await api('POST', `/conversations/${first}/labels`, { labels: ['billing', 'vip'] });
  await api('POST', `/conversations/${first}/messages`, {
    content: 'Hi Grace, sorry about that! I can see the duplicate charge.',
  });
  await api('POST', `/conversations/${first}/messages`, {
    content: 'Refund approved by finance, customer is on the annual plan.',
    private: true,
  });
  await api('POST', `/conversations/${first}/messages`, { content: 'Done: the refund is on its way (3–5 days).' });

  // the help center: a portal with two categories and a few articles
  await api('POST', '/portals', {
    name: 'Acme Help',
    slug: 'acme',
    header_text: 'How can we help?',
    config: { allowed_locales: ['en'], default_locale: 'en' },
  });
  const categoryIds = [];
  for (const [name, slug] of [
    ['Billing', 'billing'],
    ['Getting started', 'getting-started'],
  ])
    categoryIds.push((await api('POST', '/portals/acme/categories', { name, slug, locale: 'en' })).payload.id);
  for (const [title, description, category, status] of [
    ['Paying by card', 'The cards we take, and when we charge them', 0, 'published'],
    ['Refunds', 'How and when a refund reaches you', 0, 'published'],
    ['Invoices for your accounts team', 'Where to find every invoice', 0, 'draft'],
    ['Installing the widget', 'One script tag on your site', 1, 'published'],
    ['Inviting your team', 'Agents, administrators and their inboxes', 1, 'archived'],
  ])
    await api('POST', '/portals/acme/articles', {
      title,
      description,
      content: `## ${title}\n\n${description}.`,
      category_id: categoryIds[category],
      author_id: user.user.id,
      status,
    });

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 760 }, deviceScaleFactor: 1 });
  const tab = await context.newPage();
  await tab.addInitScript(() =>
    localStorage.setItem('confab.filter', JSON.stringify({ assigneeType: 'all', status: 'open' })),
  );
  await tab.goto(`${server.url}/app/login`);
  await tab.fill('input[name=email]', EMAIL);
  await tab.fill('input[name=password]', PASSWORD);
  await tab.click('button[type=submit]');
  await tab.waitForSelector('[data-cable=connected]');
  await tab.waitForSelector(`a.conversation-row[data-conversation-id="${first}"]`);
  fs.mkdirSync(out, { recursive: true });
  const shoot = async (name) => {
    await tab.evaluate(() => document.fonts.ready);
    await tab.screenshot({ path: path.join(out, `${name}.png`) });
    console.log(`  docs/screenshots/${name}.png`);
  };
  await shoot('list');

  await tab.click(`a.conversation-row[data-conversation-id="${first}"]`);
  await tab.waitForSelector('.messages li.note');
  await shoot('conversation');

  await tab.goto(`${server.url}/app/accounts/${account.id}/settings/inboxes/${inbox.id}`);
  await tab.waitForSelector('[data-field=inbox_identifier]');
  await shoot('settings');

  // an automation rule of two conditions and three actions, open in its editor
  await api('POST', '/automation_rules', {
    name: 'Refunds to billing',
    description: 'Refund requests and VIP customers go to the billing team',
    event_name: 'message_created',
    active: true,
    conditions: [
      {
        attribute_key: 'content',
        filter_operator: 'contains',
        values: ['refund', 'charged twice'],
        query_operator: 'or',
      },
      { attribute_key: 'email', filter_operator: 'contains', values: ['@bigcustomer.com'], query_operator: null },
    ],
    actions: [
      { action_name: 'add_label', action_params: ['billing'] },
      { action_name: 'assign_team', action_params: [team.id] },
      { action_name: 'send_message', action_params: ['Thanks! Our billing team will get back to you today.'] },
    ],
  });
  await tab.goto(`${server.url}/app/accounts/${account.id}/settings/automation`);
  await tab.click('button[aria-label="Edit Refunds to billing"]');
  await tab.waitForSelector('form[aria-label="Edit Refunds to billing"]');
  await shoot('automation');

  await tab.goto(`${server.url}/app/accounts/${account.id}/profile`);
  await tab.waitForSelector('form[aria-label="Change password"]');
  await shoot('profile');

  await tab.goto(`${server.url}/app/accounts/${account.id}/portals/acme/en/articles`);
  await tab.waitForSelector('tr[data-article]');
  await shoot('help-center');

  // two conversations resolved, so the reports have resolutions and first responses to show
  for (const id of ids.slice(0, 2)) await api('POST', `/conversations/${id}/toggle_status`, { status: 'resolved' });
  await tab.goto(`${server.url}/app/accounts/${account.id}/reports/overview`);
  await tab.waitForSelector('.heatmap');
  await shoot('reports');
} finally {
  await browser?.close();
  await app?.stop();
}
