import { beforeAll, describe, expect, it } from 'vitest';
import { type AccountFixture, buildAccountFixture, buildInbox, STRONG_PASSWORD } from './factories.js';
import { axeViolations } from './axe.js';
import { useInboxBrowser } from './inbox-kit.js';

// The settings screens and the profile page of the agent inbox (/app) in Chromium, against the real
// server; every change made in the page is checked through the Application API afterwards.

const { server, openTab, signInWithPassword, createContact } = useInboxBrowser();

describe('settings and profile in Chromium', () => {
  let fx: AccountFixture;
  const settingsUrl = (section: string) => `${server().url}/app/accounts/${fx.account.id}/settings/${section}`;

  beforeAll(async () => {
    fx = await buildAccountFixture(server());
  });

  /** Signed in as the administrator, on a settings section reached through the sidebar's link. */
  async function openSettings(section: string) {
    const opened = await openTab();
    await signInWithPassword(opened.tab, fx.admin.email);
    await opened.tab.click('.sidebar a:has-text("Settings")');
    await opened.tab.waitForSelector('.settings-nav');
    if (section !== 'inboxes') await opened.tab.click(`.settings-nav a[href$="/settings/${section}"]`);
    await opened.tab.waitForSelector('#settings-title');
    return opened;
  }

  it('creates an API inbox and shows its identifier, HMAC token, webhook URL and secret as the API has them', async () => {
    const { tab, problems, close } = await openSettings('inboxes');
    try {
      await tab.fill('form[aria-label="Create API inbox"] input[name=name]', 'Support API');
      await tab.fill(
        'form[aria-label="Create API inbox"] input[name=webhook_url]',
        'https://hooks.example.com/support',
      );
      await tab.click('form[aria-label="Create API inbox"] button[type=submit]');
      await tab.waitForURL(/\/settings\/inboxes\/\d+$/);
      const id = Number(tab.url().split('/').pop());
      const inbox = (await fx.asAdmin('GET', `/inboxes/${id}`)).body;
      expect(inbox).toMatchObject({ name: 'Support API', webhook_url: 'https://hooks.example.com/support' });

      await tab.waitForSelector('[data-field=inbox_identifier]');
      expect(await tab.textContent('[data-field=inbox_identifier]')).toBe(inbox.inbox_identifier);
      expect(await tab.textContent('[data-field=webhook_url]')).toBe('https://hooks.example.com/support');
      // secrets stay hidden until asked for
      expect(await tab.textContent('[data-secret="HMAC token"]')).not.toContain(inbox.hmac_token);
      await tab.click('button:has-text("Show HMAC token")');
      expect(await tab.textContent('[data-secret="HMAC token"]')).toBe(inbox.hmac_token);
      await tab.click('button:has-text("Show Webhook secret")');
      expect(await tab.textContent('[data-secret="Webhook secret"]')).toBe(inbox.secret);

      // edit: a new name and HMAC required
      await tab.fill('form[aria-label="Inbox settings"] input[name=name]', 'Support API v2');
      await tab.check('form[aria-label="Inbox settings"] input[name=hmac_mandatory]');
      await tab.click('form[aria-label="Inbox settings"] button[type=submit]');
      await tab.waitForSelector('#settings-title:has-text("Support API v2")');
      expect((await fx.asAdmin('GET', `/inboxes/${id}`)).body).toMatchObject({
        name: 'Support API v2',
        hmac_mandatory: true,
      });

      // members: the agent joins the inbox
      await tab.check(`form[aria-label="Inbox members"] input[value="${fx.agent.id}"]`);
      await tab.click('form[aria-label="Inbox members"] button[type=submit]');
      await tab.waitForSelector('form[aria-label="Inbox members"] [role=status]:has-text("Saved")');
      const members = (await fx.asAdmin('GET', `/inbox_members/${id}`)).body.payload.map((m: any) => m.id);
      expect(members).toEqual([fx.agent.id]);

      // back in the list, the new inbox is there
      await tab.click('a:has-text("← Inboxes")');
      await tab.waitForSelector(`tr[data-id="${id}"]:has-text("Support API v2")`);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('invites an agent with a role, and refuses a duplicate e-mail with the API’s message', async () => {
    const { tab, problems, close } = await openSettings('agents');
    try {
      const form = 'form[aria-label="Invite agent"]';
      await tab.fill(`${form} input[name=name]`, 'Nora Newcomer');
      await tab.fill(`${form} input[name=email]`, 'nora@example.com');
      await tab.selectOption(`${form} select[name=role]`, 'administrator');
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("nora@example.com")');
      const agents = (await fx.asAdmin('GET', '/agents')).body;
      expect(agents.find((a: any) => a.email === 'nora@example.com')).toMatchObject({
        name: 'Nora Newcomer',
        role: 'administrator',
        confirmed: false,
      });
      expect(await tab.textContent('tr:has-text("nora@example.com")')).toContain('invited');

      // the role can change afterwards
      await tab.click('button[aria-label="Edit Nora Newcomer"]');
      await tab.selectOption('form[aria-label="Edit Nora Newcomer"] select[name=role]', 'agent');
      await tab.click('form[aria-label="Edit Nora Newcomer"] button[type=submit]');
      await tab.waitForSelector('tr:has-text("nora@example.com"):has-text("agent")');
      const nora = (await fx.asAdmin('GET', '/agents')).body.find((a: any) => a.email === 'nora@example.com');
      expect(nora.role).toBe('agent');

      await tab.fill(`${form} input[name=name]`, 'Nora Again');
      await tab.fill(`${form} input[name=email]`, 'nora@example.com');
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector(`${form} [role=alert]`);
      expect((await fx.asAdmin('GET', '/agents')).body.filter((a: any) => a.email === 'nora@example.com')).toHaveLength(
        1,
      );
      // the refused duplicate is the only failed request
      expect(problems.filter((p) => !p.includes('422'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('creates a label and a canned response, and deletes the label after a second click', async () => {
    const { tab, problems, close } = await openSettings('labels');
    try {
      const labelForm = 'form[aria-label="Add label"]';
      await tab.fill(`${labelForm} input[name=title]`, 'billing');
      await tab.fill(`${labelForm} textarea[name=description]`, 'Invoices & payments');
      await tab.click(`${labelForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("billing")');
      const labels = (await fx.asAdmin('GET', '/labels')).body.payload;
      const label = labels.find((l: any) => l.title === 'billing');
      expect(label).toMatchObject({ description: 'Invoices & payments', show_on_sidebar: true });

      await tab.click('.settings-nav a:has-text("Canned responses")');
      const cannedForm = 'form[aria-label="Add canned response"]';
      await tab.fill(`${cannedForm} input[name=short_code]`, 'thanks');
      await tab.fill(`${cannedForm} textarea[name=content]`, 'Thank you for writing to us!');
      await tab.click(`${cannedForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Thank you for writing to us!")');
      expect((await fx.asAdmin('GET', '/canned_responses')).body).toEqual([
        expect.objectContaining({ short_code: 'thanks', content: 'Thank you for writing to us!' }),
      ]);

      // edit in place: the form opens with the row's values, focused
      await tab.click('button[aria-label="Edit thanks"]');
      const editForm = 'form[aria-label="Edit thanks"]';
      // the form takes focus once it has rendered (an effect), not within the click itself
      await tab.waitForSelector(`${editForm} [name=short_code]:focus`, { timeout: 5000 });
      expect(await tab.inputValue(`${editForm} textarea[name=content]`)).toBe('Thank you for writing to us!');
      await tab.fill(`${editForm} textarea[name=content]`, 'Thanks a lot!');
      await tab.click(`${editForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Thanks a lot!")');
      expect((await fx.asAdmin('GET', '/canned_responses')).body).toEqual([
        expect.objectContaining({ short_code: 'thanks', content: 'Thanks a lot!' }),
      ]);

      await tab.click('.settings-nav a:has-text("Labels")');
      await tab.click('button[aria-label="Delete billing"]');
      await tab.click('button[aria-label="Confirm delete billing"]');
      await tab.waitForSelector('tr:has-text("billing")', { state: 'detached' });
      expect((await fx.asAdmin('GET', '/labels')).body.payload).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('manages teams and members, custom attributes, agent bots, and webhooks with their delivery log and redeliver', async () => {
    const inbox = await buildInbox(fx);
    const { tab, problems, close } = await openSettings('teams');
    try {
      await tab.fill('form[aria-label="Add team"] input[name=name]', 'Tier 2');
      await tab.click('form[aria-label="Add team"] button[type=submit]');
      await tab.click('a:has-text("tier 2")');
      await tab.check(`form[aria-label="Team members"] input[value="${fx.agent.id}"]`);
      await tab.click('form[aria-label="Team members"] button[type=submit]');
      await tab.waitForSelector('form[aria-label="Team members"] [role=status]:has-text("Saved")');
      // Chatwoot stores team names in lower case
      const team = (await fx.asAdmin('GET', '/teams')).body.find((t: any) => t.name === 'tier 2');
      const teamMembers = (await fx.asAdmin('GET', `/teams/${team.id}/team_members`)).body;
      expect(teamMembers.map((m: any) => m.id)).toEqual([fx.agent.id]);

      await tab.click('.settings-nav a:has-text("Custom attributes")');
      const attrForm = 'form[aria-label="Add custom attribute"]';
      await tab.selectOption(`${attrForm} select[name=attribute_model]`, 'contact_attribute');
      await tab.fill(`${attrForm} input[name=attribute_display_name]`, 'Plan');
      await tab.fill(`${attrForm} input[name=attribute_key]`, 'plan');
      await tab.selectOption(`${attrForm} select[name=attribute_display_type]`, 'list');
      await tab.fill(`${attrForm} input[name=attribute_values]`, 'free, pro');
      await tab.click(`${attrForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Plan")');
      expect((await fx.asAdmin('GET', '/custom_attribute_definitions')).body).toEqual([
        expect.objectContaining({
          attribute_key: 'plan',
          attribute_model: 'contact_attribute',
          attribute_display_type: 'list',
          attribute_values: ['free', 'pro'],
        }),
      ]);

      await tab.click('.settings-nav a:has-text("Agent bots")');
      await tab.fill('form[aria-label="Add agent bot"] input[name=name]', 'Triage bot');
      await tab.fill('form[aria-label="Add agent bot"] input[name=outgoing_url]', 'https://bots.example.com/triage');
      await tab.click('form[aria-label="Add agent bot"] button[type=submit]');
      await tab.waitForSelector('tr:has-text("Triage bot")');
      const bot = (await fx.asAdmin('GET', '/agent_bots')).body.find((b: any) => b.name === 'Triage bot');
      expect(bot.outgoing_url).toBe('https://bots.example.com/triage');
      await tab.click('tr:has-text("Triage bot") button:has-text("Show")');
      expect(await tab.textContent('tr:has-text("Triage bot") [data-secret="Access token"]')).toBe(bot.access_token);

      await tab.click('.settings-nav a:has-text("Webhooks")');
      const hookForm = 'form[aria-label="Add webhook"]';
      await tab.fill(`${hookForm} input[name=url]`, 'https://hooks.example.com/all');
      await tab.fill(`${hookForm} input[name=name]`, 'Everything');
      await tab.uncheck(`${hookForm} input[value=contact_created]`);
      await tab.click(`${hookForm} button[type=submit]`);
      await tab.waitForSelector('a:has-text("Everything")');
      const [webhook] = (await fx.asAdmin('GET', '/webhooks')).body.payload.webhooks;
      expect(webhook.subscriptions).toContain('message_created');
      expect(webhook.subscriptions).not.toContain('contact_created');

      // a contact's message makes a delivery; the log shows it and redeliver queues a new one
      const contact = await createContact(inbox.inbox_identifier, 'Hooked');
      await contact.say('Ping the webhook');
      await tab.click('a:has-text("Everything")');
      await tab.waitForSelector('.deliveries tr:has-text("message_created")');
      const before = (await fx.asAdmin('GET', `/webhooks/${webhook.id}/deliveries`)).body.payload;
      await tab.click('.deliveries tr:has-text("message_created") button:has-text("Redeliver")');
      await tab.waitForSelector('[role=status]:has-text("Queued again")');
      const after = (await fx.asAdmin('GET', `/webhooks/${webhook.id}/deliveries`)).body.payload;
      expect(after).toHaveLength(before.length + 1);
      const original = before.find((d: any) => d.event === 'message_created');
      expect(after.some((d: any) => d.redelivery_of === original.id)).toBe(true);
      await tab.waitForSelector(`.deliveries tr[data-delivery-id="${after[0].id}"]`);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('shows the screens of the features the account serves: macros and automation, SLA policies once enabled', async () => {
    const { tab, problems, close } = await openSettings('macros');
    try {
      expect(await tab.$('.settings-nav a:has-text("SLA policies")')).toBeNull();
      // the full editors are tested in browser-inbox-editors.test.ts; here, that each screen is served
      await tab.click('button:has-text("Add macro")');
      const macroForm = 'form[aria-label="Add macro"]';
      await tab.fill(`${macroForm} input[name=name]`, 'Close as billing');
      await tab.selectOption(`${macroForm} select[aria-label="Action 1"]`, 'send_message');
      await tab.fill(`${macroForm} textarea[aria-label="Message for action 1"]`, 'Billing will reply');
      await tab.click(`${macroForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Close as billing")');
      expect((await fx.asAdmin('GET', '/macros')).body.payload).toEqual([
        expect.objectContaining({
          name: 'Close as billing',
          visibility: 'global',
          actions: [{ action_name: 'send_message', action_params: ['Billing will reply'] }],
        }),
      ]);

      await tab.click('.settings-nav a:has-text("Automation")');
      await tab.click('button:has-text("Add automation rule")');
      const ruleForm = 'form[aria-label="Add automation rule"]';
      await tab.fill(`${ruleForm} input[name=name]`, 'Refunds');
      await tab.selectOption(`${ruleForm} select[aria-label="Attribute of condition 1"]`, 'content');
      await tab.selectOption(`${ruleForm} select[aria-label="Operator of condition 1"]`, 'contains');
      await tab.fill(`${ruleForm} [aria-label^="Value of condition 1"]`, 'refund');
      await tab.selectOption(`${ruleForm} select[aria-label="Action 1"]`, 'change_priority');
      await tab.selectOption(`${ruleForm} select[aria-label="Priority for action 1"]`, 'high');
      await tab.click(`${ruleForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Refunds")');
      const [rule] = (await fx.asAdmin('GET', '/automation_rules')).body.payload;
      expect(rule).toMatchObject({
        name: 'Refunds',
        event_name: 'message_created',
        active: true,
        conditions: [
          expect.objectContaining({ attribute_key: 'content', filter_operator: 'contains', values: ['refund'] }),
        ],
        actions: [{ action_name: 'change_priority', action_params: ['high'] }],
      });

      const enable = await server().request('PATCH', `/platform/api/v1/accounts/${fx.account.id}`, {
        token: fx.platformToken,
        body: { features: { sla: true } },
      });
      expect(enable.status, enable.text).toBe(200);
      await tab.reload();
      await tab.click('.settings-nav a:has-text("SLA policies")');
      const slaForm = 'form[aria-label="Add SLA policy"]';
      await tab.fill(`${slaForm} input[name=name]`, 'Gold');
      await tab.fill(`${slaForm} input[name=first]`, '30');
      await tab.fill(`${slaForm} input[name=resolution]`, '1440');
      await tab.click(`${slaForm} button[type=submit]`);
      await tab.waitForSelector('tr:has-text("Gold"):has-text("30 min")');
      expect((await fx.asAdmin('GET', '/sla_policies')).body.payload).toEqual([
        expect.objectContaining({
          name: 'Gold',
          first_response_time_threshold: 1800,
          next_response_time_threshold: null,
          resolution_time_threshold: 86400,
        }),
      ]);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('offers agents no settings, and shows another account’s inbox as not found', async () => {
    const other = await buildAccountFixture(server());
    const theirs = await buildInbox(other);
    const { tab, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.agent.email);
      expect(await tab.$('.sidebar a:has-text("Settings")')).toBeNull();
      await tab.goto(settingsUrl('inboxes'));
      await tab.waitForSelector('text=Only administrators');
      await tab.click('button.sign-out');
      await tab.waitForURL(/\/app\/login$/);

      await signInWithPassword(tab, fx.admin.email);
      await tab.goto(settingsUrl(`inboxes/${theirs.id}`));
      await tab.waitForSelector('.settings-section [role=alert]');
      expect(await tab.$('[data-field=inbox_identifier]')).toBeNull();
      expect(await tab.content()).not.toContain(theirs.inbox_identifier);
    } finally {
      await close();
    }
  });

  it('edits the profile, sets availability, resets the access token and changes the password', async () => {
    const { tab, problems, close } = await openTab();
    try {
      await signInWithPassword(tab, fx.agent.email);
      await tab.click('.sidebar a:has-text("Profile")');
      await tab.waitForSelector('form[aria-label="Your details"]');
      await tab.fill('form[aria-label="Your details"] input[name=display_name]', 'Agent A.');
      await tab.fill('form[aria-label="Your details"] input[name=name]', 'Agent Aardvark');
      await tab.click('form[aria-label="Your details"] button[type=submit]');
      await tab.waitForSelector('.sidebar .user:has-text("Agent Aardvark")');
      const token = fx.agent.access_token;
      const asAgent = (t: string) => server().request('GET', '/api/v1/profile', { token: t });
      expect((await asAgent(token)).body).toMatchObject({ name: 'Agent Aardvark', display_name: 'Agent A.' });

      await tab.selectOption('.availability select', 'busy');
      await tab.waitForFunction(
        () => document.querySelector<HTMLSelectElement>('.availability select')?.value === 'busy',
      );
      await expect
        .poll(async () => (await asAgent(token)).body.accounts.find((a: any) => a.id === fx.account.id).availability)
        .toBe('busy');

      // the token: shown on demand, reset after a second click; the old one stops working
      await tab.click('button:has-text("Show Access token")');
      expect(await tab.textContent('[data-secret="Access token"]')).toBe(token);
      await tab.click('button:has-text("Reset access token")');
      await tab.click('button:has-text("Confirm reset")');
      // the new token replaces the shown one, hidden again until asked for
      await tab.waitForSelector('[data-secret="Access token"]:has-text("•")');
      await tab.click('button:has-text("Show Access token")');
      const fresh = (await tab.textContent('[data-secret="Access token"]')) ?? '';
      expect(fresh).not.toBe(token);
      expect((await asAgent(token)).status).toBe(401);
      expect((await asAgent(fresh)).status).toBe(200);
      fx.agent.access_token = fresh;

      // password: a wrong current password is refused; the right one changes it
      const form = 'form[aria-label="Change password"]';
      await tab.fill(`${form} input[name=current_password]`, 'not it');
      await tab.fill(`${form} input[name=password]`, 'N3w-Passw0rd!');
      await tab.fill(`${form} input[name=password_confirmation]`, 'N3w-Passw0rd!');
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector(`${form} [role=alert]`);
      await tab.fill(`${form} input[name=current_password]`, STRONG_PASSWORD);
      await tab.click(`${form} button[type=submit]`);
      await tab.waitForSelector(`${form} [role=status]:has-text("Password changed")`);
      const signIn = await server().request('POST', '/auth/sign_in', {
        body: { email: fx.agent.email, password: 'N3w-Passw0rd!' },
      });
      expect(signIn.status).toBe(200);
      // the refused wrong password is the only failed request
      expect(problems.filter((p) => !p.includes('422'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('has no serious or critical axe-core violations on sign-in, the inbox, a conversation, settings, profile and reports', async () => {
    const inbox = await buildInbox(fx);
    const contact = await createContact(inbox.inbox_identifier, 'Axe Visitor');
    await contact.say('Is this page accessible?');
    // axe's source is injected as an inline script, which the page's CSP forbids: this context only
    const { tab, close } = await openTab({ bypassCSP: true });
    try {
      const pages: Record<string, unknown> = {};
      await tab.goto(`${server().url}/app/login`);
      await tab.waitForSelector('.login-form');
      pages.signIn = await axeViolations(tab);

      await signInWithPassword(tab, fx.admin.email);
      await tab.click('button[data-tab=all]');
      await tab.waitForSelector(`a.conversation-row[data-conversation-id="${contact.conversationId}"]`);
      pages.list = await axeViolations(tab);

      await tab.click(`a.conversation-row[data-conversation-id="${contact.conversationId}"]`);
      await tab.waitForSelector('.messages li.incoming:has-text("Is this page accessible?")');
      pages.conversation = await axeViolations(tab);

      await tab.click('.sidebar a:has-text("Settings")');
      await tab.waitForSelector('tr[data-id]');
      pages.inboxes = await axeViolations(tab);
      await tab.goto(settingsUrl(`inboxes/${inbox.id}`));
      await tab.waitForSelector('form[aria-label="Inbox members"] input');
      pages.inbox = await axeViolations(tab);
      await tab.goto(settingsUrl('webhooks'));
      await tab.waitForSelector('form[aria-label="Add webhook"]');
      pages.webhooks = await axeViolations(tab);
      // the automation and macro editors, open, with two conditions and two actions
      await tab.goto(settingsUrl('automation'));
      await tab.click('button:has-text("Add automation rule")');
      await tab.click('form[aria-label="Add automation rule"] button:has-text("Add condition")');
      await tab.click('form[aria-label="Add automation rule"] button:has-text("Add action")');
      await tab.selectOption('select[aria-label="Action 2"]', 'send_email_to_team');
      pages.automation = await axeViolations(tab);
      await tab.goto(settingsUrl('macros'));
      await tab.click('button:has-text("Add macro")');
      await tab.selectOption('select[aria-label="Action 1"]', 'add_label');
      pages.macros = await axeViolations(tab);

      await tab.click('.sidebar a:has-text("Profile")');
      await tab.waitForSelector('form[aria-label="Change password"]');
      pages.profile = await axeViolations(tab);

      await tab.click('.sidebar a:has-text("Reports")');
      await tab.waitForSelector('.heatmap');
      pages.reports = await axeViolations(tab);
      await tab.click('.reports-nav a[href$="/reports/conversations"]');
      await tab.waitForSelector('.report-chart');
      pages.reportCharts = await axeViolations(tab);
      await tab.click('.reports-nav a[href$="/reports/csat"]');
      await tab.waitForSelector('table[aria-label="CSAT responses"]');
      pages.csat = await axeViolations(tab);

      // the check itself can fail: an unlabelled control is a critical violation
      await tab.evaluate(() => document.body.append(document.createElement('input')));
      expect((await axeViolations(tab)).map((v: { id: string }) => v.id)).toContain('label');

      expect(pages).toEqual({
        signIn: [],
        list: [],
        conversation: [],
        inboxes: [],
        inbox: [],
        webhooks: [],
        automation: [],
        macros: [],
        profile: [],
        reports: [],
        reportCharts: [],
        csat: [],
      });
    } finally {
      await close();
    }
  }, 90_000);
});
