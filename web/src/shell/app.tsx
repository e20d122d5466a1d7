import { useEffect } from 'preact/hooks';
import { ConfirmationPage } from '../auth/confirmation-page.js';
import { LoginPage } from '../auth/login-page.js';
import { ForgotPasswordPage, SetPasswordPage } from '../auth/password-pages.js';
import { SignupPage } from '../auth/signup-page.js';
import { signupEnabled } from '../api/auth.js';
import { auth, pickAccount } from '../auth/state.js';
import { startLive, stopLive } from '../cable/live.js';
import { ContactPage } from '../contacts/contact-page.js';
import { ContactPanel } from '../contacts/contact-panel.js';
import { ContactsPage } from '../contacts/contacts-page.js';
import { ListPanel } from '../conversations/list-panel.js';
import { HelpCenterScreen } from '../help-center/entry.js';
import { matchHelpCenter } from '../help-center/route.js';
import { matchPath, navigate, useRoute } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { watchAgentTyping } from '../presence/agent-typing.js';
import { TypingIndicator } from '../presence/typing-indicator.js';
import { ConversationView } from '../messages/conversation-view.js';
import { ProfilePage } from '../profile/profile-page.js';
import { LazyReports } from '../reports/lazy-reports.js';
import { SettingsPage } from '../settings/settings-page.js';
import { Sidebar } from './sidebar.js';
import { Shortcuts } from '../shortcuts/shortcuts.js';

/**
 * The pages a mail's link opens (auth-mail/prepare.ts) and the reset of a forgotten password, at
 * Chatwoot's dashboard paths: shown signed in or not, as the link is followed wherever it is opened.
 */
function publicAuthPage(path: string, search: URLSearchParams) {
  if (matchPath('/auth/reset/password', path)) return <ForgotPasswordPage />;
  if (matchPath('/auth/password/edit', path)) return <SetPasswordPage search={search} />;
  if (matchPath('/auth/confirmation', path)) return <ConfirmationPage search={search} />;
  if (matchPath('/auth/signup', path) && signupEnabled()) return <SignupPage />;
  return undefined;
}

/**
 * Routes: /login (also /auth/sign_in, where a confirmed user's mail points), /auth/reset/password,
 * /auth/password/edit, /auth/confirmation, /auth/signup (when the installation takes sign-ups), /accounts/:account/conversations[/:id], /accounts/:account/contacts[/:id],
 * /accounts/:account/settings[/:section[/:id]], /accounts/:account/reports[/:section], /accounts/:account/profile,
 * /accounts/:account/portals… (help center); anything else goes to one of them.
 */
export function App() {
  const state = useStore(auth);
  const { path, search } = useRoute();

  const contactsRoute =
    matchPath('/accounts/:account/contacts', path) ?? matchPath('/accounts/:account/contacts/:contact', path);
  const settings =
    matchPath('/accounts/:account/settings', path) ??
    matchPath('/accounts/:account/settings/:section', path) ??
    matchPath('/accounts/:account/settings/:section/:id', path);
  const profilePage = matchPath('/accounts/:account/profile', path);
  const reports =
    matchPath('/accounts/:account/reports', path) ?? matchPath('/accounts/:account/reports/:section', path);
  const conversationsRoute =
    matchPath('/accounts/:account/conversations', path) ?? matchPath('/accounts/:account/conversations/:id', path);
  const helpCenter = matchHelpCenter(path);
  const inAccount = conversationsRoute ?? contactsRoute ?? settings ?? profilePage ?? helpCenter ?? reports;
  const profile = state.status === 'signed-in' ? state.profile : undefined;
  const accountId = profile ? pickAccount(profile, Number(inAccount?.account)) : undefined;

  const authPage = publicAuthPage(path, search);

  useEffect(() => {
    if (authPage) return;
    if (state.status === 'signed-out' && path !== '/login') navigate('/login', { replace: true });
    else if (profile && (path === '/login' || !inAccount || Number(inAccount.account) !== accountId)) {
      if (accountId) navigate(`/accounts/${accountId}/conversations`, { replace: true });
    }
  }, [state.status, path, accountId]);

  useEffect(() => {
    if (!profile || !accountId) return stopLive();
    startLive({ pubsubToken: profile.pubsub_token, accountId, userId: profile.id });
    return stopLive;
  }, [profile?.id, profile?.pubsub_token, accountId]);

  const openId = conversationsRoute?.id ? Number(conversationsRoute.id) : undefined;
  // the agent's typing indicator follows the reply box of the open conversation
  useEffect(() => (accountId && openId ? watchAgentTyping(accountId, openId) : undefined), [accountId, openId]);

  if (authPage) return authPage;
  if (state.status === 'loading') return <p class="splash">Loading…</p>;
  if (state.status === 'signed-out' || !profile) return <LoginPage search={search} />;
  if (!accountId) {
    return (
      <main class="splash">
        <p>This user belongs to no account.</p>
      </main>
    );
  }
  if (contactsRoute) {
    return (
      <div class="layout">
        <Sidebar profile={profile} accountId={accountId} />
        {contactsRoute.contact ? (
          <ContactPage key={contactsRoute.contact} accountId={accountId} id={Number(contactsRoute.contact)} />
        ) : (
          <ContactsPage accountId={accountId} />
        )}
      </div>
    );
  }
  if (helpCenter) {
    return (
      <div class="layout layout-page">
        <Sidebar profile={profile} accountId={accountId} />
        <HelpCenterScreen
          key={accountId}
          accountId={accountId}
          userId={profile.id}
          administrator={profile.accounts.find((a) => a.id === accountId)?.role === 'administrator'}
          route={helpCenter}
        />
      </div>
    );
  }
  if (reports) {
    const role = profile.accounts.find((a) => a.id === accountId)?.role;
    return (
      <div class="layout layout-page">
        <Sidebar profile={profile} accountId={accountId} />
        <LazyReports
          key={accountId}
          accountId={accountId}
          administrator={role === 'administrator'}
          section={reports.section ?? 'overview'}
        />
      </div>
    );
  }
  if (settings || profilePage) {
    const role = profile.accounts.find((a) => a.id === accountId)?.role;
    return (
      <div class="layout layout-page">
        <Sidebar profile={profile} accountId={accountId} />
        {settings ? (
          <SettingsPage
            key={accountId}
            accountId={accountId}
            userId={profile.id}
            administrator={role === 'administrator'}
            section={settings.section ?? 'inboxes'}
            id={settings.id ? Number(settings.id) : undefined}
          />
        ) : (
          <ProfilePage key={accountId} accountId={accountId} />
        )}
      </div>
    );
  }
  return (
    <div class="layout">
      <Sidebar profile={profile} accountId={accountId} />
      <ListPanel accountId={accountId} userId={profile.id} openId={openId} />
      <main class={openId ? 'detail with-contact' : 'detail'}>
        {openId ? (
          <>
            <div class="conversation-column">
              <ConversationView key={openId} accountId={accountId} userId={profile.id} id={openId} />
              <TypingIndicator conversationId={openId} />
            </div>
            <ContactPanel key={openId} accountId={accountId} conversationId={openId} />
          </>
        ) : (
          <p class="empty">Choose a conversation</p>
        )}
      </main>
      <Shortcuts />
    </div>
  );
}
