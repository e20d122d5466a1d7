import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './axe.js';
import { type AccountFixture, buildAccountFixture, STRONG_PASSWORD } from './factories.js';
import { useInboxBrowser } from './inbox-kit.js';
import { linkIn, sinkEnv, startSmtpSink, type SmtpSink } from './smtp-sink.js';

// The pages a mail's link opens in the agent inbox (/app), in Chromium: an invited agent choosing
// a password, a forgotten password reset from the sign-in page, an address confirmed, a sign-up
// (this server takes them). Each mail is
// read from a local SMTP server, each link opened as the mail has it, and each outcome checked
// through the API.

let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink?.close();
});

// registered after the sink's beforeAll, so its port is known when the server starts
const { server, openTab } = useInboxBrowser(() => ({ ...sinkEnv(sink), ENABLE_ACCOUNT_SIGNUP: 'true' }));

const NEW_PASSWORD = 'N3w-Passw0rd!';

const signIn = (email: string, password: string) =>
  server().request('POST', '/auth/sign_in', { body: { email, password } });

/** A link of a mail, on the test server (the mail's own origin is the server's address). */
const opened = (link: URL) => `${server().url}${link.pathname}${link.search}`;

/** In the account's conversations, signed in: where each link ends when it works. */
async function inConversations(tab: Page, accountId: number) {
  await tab.waitForURL(new RegExp(`/app/accounts/${accountId}/conversations$`));
  await tab.waitForSelector('.list-panel');
}

/** Whether the account's agents list shows the user as confirmed. */
async function confirmed(fx: AccountFixture, userId: number) {
  const agents = (await fx.asAdmin('GET', '/agents')).body as Array<{ id: number; confirmed: boolean }>;
  return agents.find((a) => a.id === userId)?.confirmed;
}

async function choosePassword(tab: Page, password: string, confirmation = password) {
  await tab.fill('form[aria-label="Choose a password"] input[name=password]', password);
  await tab.fill('form[aria-label="Choose a password"] input[name=password_confirmation]', confirmation);
  await tab.click('form[aria-label="Choose a password"] button[type=submit]');
}

describe('the links of the mails, in Chromium', () => {
  it('an invited agent opens the mail, chooses a password and is in their account; the link works once', async () => {
    const fx = await buildAccountFixture(server());
    const email = `invited-${Date.now()}@example.com`;
    const created = await fx.asAdmin('POST', '/agents', { name: 'Ines Invited', email, role: 'agent' });
    expect(created.status, created.text).toBe(200);
    const link = linkIn(await sink.mailTo(email), '/app/auth/password/edit');

    // bypassCSP: the accessibility check injects its script
    const { tab, problems, close } = await openTab({ bypassCSP: true });
    try {
      await tab.goto(opened(link));
      await tab.waitForSelector('form[aria-label="Choose a password"]');
      expect(await axeViolations(tab)).toEqual([]);
      // two different passwords: said on the page, nothing sent
      await choosePassword(tab, NEW_PASSWORD, 'Something-else1');
      await tab.waitForSelector('[role=alert]:has-text("The two passwords differ")');
      expect((await signIn(email, NEW_PASSWORD)).status).toBe(401);

      await choosePassword(tab, NEW_PASSWORD);
      await inConversations(tab, fx.account.id);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
    expect(await confirmed(fx, created.body.id)).toBe(true);
    expect((await signIn(email, NEW_PASSWORD)).status).toBe(200);

    // the same link again: refused, with the way to a new one
    const again = await openTab();
    try {
      await again.tab.goto(opened(link));
      await choosePassword(again.tab, 'An0ther-pass!');
      await again.tab.waitForSelector('[role=alert]:has-text("Invalid token")');
      expect(await again.tab.getAttribute('[role=alert] a', 'href')).toBe('/app/auth/reset/password');
    } finally {
      await again.close();
    }
    expect((await signIn(email, 'An0ther-pass!')).status).toBe(401);
  });

  it('a forgotten password: from the sign-in page to the mail, a new password, and in', async () => {
    const fx = await buildAccountFixture(server());
    const { tab, problems, close } = await openTab({ bypassCSP: true });
    try {
      await tab.goto(`${server().url}/app`);
      await tab.waitForURL(/\/app\/login$/);
      await tab.click('a:has-text("Forgot your password?")');
      await tab.waitForURL(/\/app\/auth\/reset\/password$/);
      expect(await axeViolations(tab)).toEqual([]);
      await tab.fill('form[aria-label="Reset password"] input[name=email]', fx.agent.email);
      await tab.click('form[aria-label="Reset password"] button[type=submit]');
      // the server's answer, the same for an unknown address
      await tab.waitForSelector('[role=status]:has-text("Request for password reset is successful")');

      const link = linkIn(await sink.mailTo(fx.agent.email), '/app/auth/password/edit');
      await tab.goto(opened(link));
      await choosePassword(tab, NEW_PASSWORD);
      await inConversations(tab, fx.account.id);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
    expect((await signIn(fx.agent.email, STRONG_PASSWORD)).status).toBe(401);
    const signedIn = await signIn(fx.agent.email, NEW_PASSWORD);
    expect([signedIn.status, signedIn.body.data?.id]).toEqual([200, fx.agent.id]);
  });

  it('a confirmation link confirms the address and signs in; used again, it says so', async () => {
    const fx = await buildAccountFixture(server());
    await server().db.updateTable('users').set({ confirmed_at: null }).where('id', '=', fx.agent.id).execute();
    const resent = await server().request('POST', '/api/v1/profile/resend_confirmation', {
      token: fx.agent.access_token,
    });
    expect(resent.status, resent.text).toBe(200);
    const link = linkIn(await sink.mailTo(fx.agent.email), '/app/auth/confirmation');

    const { tab, problems, close } = await openTab();
    try {
      await tab.goto(opened(link));
      await inConversations(tab, fx.account.id);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
    expect(await confirmed(fx, fx.agent.id)).toBe(true);

    const again = await openTab();
    try {
      await again.tab.goto(opened(link));
      await again.tab.waitForSelector('[role=alert]:has-text("Your e-mail is confirmed already: sign in.")');
      expect(await again.tab.getAttribute('a:has-text("Send me a new link")', 'href')).toBe('/app/auth/reset/password');
    } finally {
      await again.close();
    }
  });

  it('the sign-in page says how a confirmation link opened on the server went', async () => {
    const { tab, problems, close } = await openTab();
    try {
      await tab.goto(`${server().url}/auth/confirmation?confirmation_token=not-a-token&redirect_url=/app/login`);
      await tab.waitForSelector('[role=alert]:has-text("That confirmation link has been used already")');
      expect(new URL(tab.url()).pathname).toBe('/app/login');
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it("signs up from the sign-in page: the mail's link confirms the address and opens the new account", async () => {
    const email = `founder-${Date.now()}@acme.example`;
    const { tab, problems, close } = await openTab({ bypassCSP: true });
    try {
      await tab.goto(`${server().url}/app/login`);
      await tab.click('a:has-text("Create a new account")');
      await tab.waitForURL(/\/app\/auth\/signup$/);
      expect(await axeViolations(tab)).toEqual([]);
      const form = 'form[aria-label="Sign up"]';
      await tab.fill(`${form} input[name=user_full_name]`, 'Fay Founder');
      await tab.fill(`${form} input[name=account_name]`, 'Acme Rockets');
      await tab.fill(`${form} input[name=email]`, 'not-an-address@');
      await tab.fill(`${form} input[name=password]`, STRONG_PASSWORD);
      // the browser's own check of the address: nothing sent
      await tab.click(`${form} button[type=submit]`);
      expect(await tab.$eval(`${form} input[name=email]`, (i) => (i as HTMLInputElement).validity.valid)).toBe(false);
      await tab.fill(`${form} input[name=email]`, email);
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector(`[role=status]:has-text("We sent a confirmation link to ${email}")`);
      expect(problems).toEqual([]);

      const link = linkIn(await sink.mailTo(email), '/app/auth/confirmation');
      await tab.goto(opened(link));
      await tab.waitForSelector('.list-panel');
      const accountId = Number(/\/app\/accounts\/(\d+)\/conversations$/.exec(tab.url())?.[1]);
      expect(await tab.textContent('.sidebar')).toContain('Acme Rockets');
      expect(problems).toEqual([]);

      // the same address again: the server's refusal, on the page
      await tab.evaluate(() => localStorage.clear());
      await tab.goto(`${server().url}/app/auth/signup`);
      await tab.fill(`${form} input[name=user_full_name]`, 'Fay Again');
      await tab.fill(`${form} input[name=account_name]`, 'Acme Again');
      await tab.fill(`${form} input[name=email]`, email);
      await tab.fill(`${form} input[name=password]`, STRONG_PASSWORD);
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector(`[role=alert]:has-text("You have already signed up for an account with ${email}")`);

      const signedIn = await signIn(email, STRONG_PASSWORD);
      expect(signedIn.status, signedIn.text).toBe(200);
      expect(signedIn.body.data.accounts).toEqual([
        expect.objectContaining({ id: accountId, name: 'Acme Rockets', role: 'administrator' }),
      ]);
    } finally {
      await close();
    }
  });
});
