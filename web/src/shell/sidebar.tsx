import type { Profile } from '../api/types.js';
import { signOutNow } from '../auth/state.js';
import { cableState } from '../cable/live.js';
import { navigate } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { HelpCenterLink } from '../help-center/entry.js';
import { NotificationBell } from '../notifications/bell.js';
import { AgentsOnline } from '../presence/agents-online.js';
import { ReportsLink } from '../reports/reports-link.js';
import './nav.css';

/** The user, the account switcher (when there are several), the connection state and sign out. */
export function Sidebar({ profile, accountId }: { profile: Profile; accountId: number }) {
  const cable = useStore(cableState);
  return (
    <nav class="sidebar" aria-label="Main">
      <p class="brand">Confab</p>
      <p class="user" title={profile.email}>
        {profile.name}
      </p>
      {profile.accounts.length > 1 ? (
        <label>
          Account
          <select
            aria-label="Account"
            value={accountId}
            onChange={(e) => navigate(`/accounts/${e.currentTarget.value}/conversations`)}
          >
            {profile.accounts.map((account) => (
              <option key={account.id} value={account.id}>
                {account.name}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p class="account">{profile.accounts[0]?.name}</p>
      )}
      <ul class="sidebar-links">
        <li>
          <a href={`/app/accounts/${accountId}/conversations`}>Conversations</a>
        </li>
        <li>
          <a href={`/app/accounts/${accountId}/contacts`}>Contacts</a>
        </li>
        <HelpCenterLink accountId={accountId} />
        <ReportsLink
          accountId={accountId}
          administrator={profile.accounts.find((a) => a.id === accountId)?.role === 'administrator'}
        />
        {profile.accounts.find((a) => a.id === accountId)?.role === 'administrator' && (
          <li>
            <a href={`/app/accounts/${accountId}/settings/inboxes`}>Settings</a>
          </li>
        )}
        <li>
          <a href={`/app/accounts/${accountId}/profile`}>Profile</a>
        </li>
      </ul>
      <NotificationBell accountId={accountId} />
      <AgentsOnline accountId={accountId} userId={profile.id} />
      <p class={`cable cable-${cable}`} role="status" data-cable={cable}>
        {cable === 'connected' ? 'Live' : cable === 'connecting' ? 'Connecting…' : 'Offline, reconnecting…'}
      </p>
      <button type="button" class="sign-out" onClick={() => void signOutNow()}>
        Sign out
      </button>
    </nav>
  );
}
