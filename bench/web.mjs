// npm run bench:web — the agent inbox at /app in Debian's headless Chromium against the built
// server (`confab start`) on an embedded PostgreSQL. Prints, next to issue 22's limits:
// - the first load's JS+CSS, gzipped (limit 150 KB);
// - from the sign-in click to a rendered list of 25 conversations (limit 500 ms);
// - opening a conversation of 1,000 messages, from the click to its latest page drawn (limit 300 ms);
// - an incoming message on screen after its Client API call returns (limit 100 ms).
// RUNS (default 7) timed attempts each; the median and the worst are printed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { launchChromium } from './chromium.mjs';
import { startWithAdministrator } from './server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 7);
const LIMITS = { bundleKb: 150, signInMs: 500, openMs: 300, incomingMs: 100 };
const PASSWORD = 'Passw0rd!';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const line = (label, values, limit, unit = 'ms') =>
  console.log(
    `  ${label.padEnd(46)} median ${median(values).toFixed(0).padStart(5)} ${unit}   worst ${Math.max(...values)
      .toFixed(0)
      .padStart(5)} ${unit}   limit ${limit} ${unit}`,
  );

// the first load: what index.html references
const webDir = path.join(root, 'dist/web');
const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
let gzipped = 0;
for (const [, asset] of html.matchAll(/(?:src|href)="\/app\/(assets\/[^"]+\.(?:js|css))"/g)) {
  gzipped += zlib.gzipSync(fs.readFileSync(path.join(webDir, asset)), { level: 9 }).length;
}
console.log(`Agent inbox (/app), ${os.cpus().length} CPUs, Chromium ${RUNS} runs per figure`);
console.log(
  `  ${'first load JS+CSS, gzipped'.padEnd(46)} ${(gzipped / 1024).toFixed(1)} KB   limit ${LIMITS.bundleKb} KB`,
);

let app;
let browser;
try {
  app = await startWithAdministrator(
    root,
    { accountName: 'Bench', name: 'Bench Admin', email: 'bench@example.com', password: PASSWORD },
    { CONFAB_PUBLIC_RATE_LIMIT: '0', CONFAB_PUBLIC_RATE_LIMIT_IP: '0', CONFAB_AUTH_RATE_LIMITS: 'false' },
  );
  const { server, account, user, call } = app;
  const inbox = await call(
    'POST',
    `/api/v1/accounts/${account.id}/inboxes`,
    { name: 'Bench chat', channel: { type: 'api' } },
    { api_access_token: user.accessToken },
  );
  const contacts = `/public/api/v1/inboxes/${inbox.inbox_identifier}/contacts`;
  const chat = async (name) => {
    const contact = await call('POST', contacts, { name });
    const conversation = await call('POST', `${contacts}/${contact.source_id}/conversations`);
    const messages = `${contacts}/${contact.source_id}/conversations/${conversation.id}/messages`;
    return { id: conversation.id, say: (content) => call('POST', messages, { content }) };
  };
  // 30 conversations with a message each, and one of 1,000 messages
  const chats = [];
  for (let i = 0; i < 30; i += 10) {
    chats.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => chat(`Customer ${i + k}`)))));
  }
  await Promise.all(chats.map((c, i) => c.say(`Hello ${i}`)));
  const long = chats[0];
  for (let m = 0; m < 1000; m += 20) {
    await Promise.all(Array.from({ length: 20 }, (_, k) => long.say(`Line ${m + k}`)));
  }

  browser = await launchChromium();
  const signIns = [];
  const opens = [];
  const incoming = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await context.newPage();
    await tab.addInitScript(() =>
      localStorage.setItem('confab.filter', JSON.stringify({ assigneeType: 'all', status: 'open' })),
    );
    await tab.goto(`${server.url}/app/login`);
    await tab.fill('input[name=email]', 'bench@example.com');
    await tab.fill('input[name=password]', PASSWORD);
    signIns.push(
      await tab.evaluate(
        () =>
          new Promise((resolve) => {
            const start = performance.now();
            const done = () => document.querySelector('.list-footer')?.textContent === '';
            new MutationObserver((_, observer) => {
              // 25 rows loaded (the footer is empty while more pages wait) and drawn
              if (document.querySelectorAll('.conversation-row').length > 0 && done()) {
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - start));
              }
            }).observe(document.body, { childList: true, subtree: true, characterData: true });
            document.querySelector('button[type=submit]').click();
          }),
      ),
    );
    await tab.waitForSelector('[data-cable=connected]');
    opens.push(
      await tab.evaluate(
        (id) =>
          new Promise((resolve) => {
            const start = performance.now();
            new MutationObserver((_, observer) => {
              if ([...document.querySelectorAll('.messages li .content')].some((n) => n.textContent === 'Line 999')) {
                observer.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - start));
              }
            }).observe(document.body, { childList: true, subtree: true });
            document.querySelector(`a.conversation-row[data-conversation-id="${id}"]`).click();
          }),
        long.id,
      ),
    );
    // an incoming message: from the Client API's answer to the text on screen
    const text = `Live ${run}`;
    const seen = tab.evaluate(
      (wanted) =>
        new Promise((resolve) => {
          new MutationObserver((_, observer) => {
            if ([...document.querySelectorAll('.messages li .content')].some((n) => n.textContent === wanted)) {
              observer.disconnect();
              resolve(performance.timeOrigin + performance.now());
            }
          }).observe(document.body, { childList: true, subtree: true });
        }),
      text,
    );
    await tab.waitForTimeout(50);
    await long.say(text);
    const answered = Date.now();
    incoming.push((await seen) - answered);
    await context.close();
  }
  line('sign-in click -> 25 conversations drawn', signIns, LIMITS.signInMs);
  line('open a conversation of 1,000 messages', opens, LIMITS.openMs);
  line('incoming message on screen after the API call', incoming, LIMITS.incomingMs);
} finally {
  await browser?.close();
  await app?.stop();
}
