import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { refreshLookups } from '../conversations/lookups.js';
import { forgetAccountLists } from '../lib/account-list.js';
import { SectionMenu } from '../lib/section-menu.js';
import { getAccountFeatures } from '../api/admin/features.js';
import { SlaPoliciesScreen } from './feature-screens.js';
import { LazyAutomation } from './lazy-automation.js';
import { AgentsScreen, TeamScreen, TeamsScreen } from './people-screens.js';
import { InboxesScreen, InboxScreen } from './inboxes-screen.js';
import { AgentBotsScreen, CannedResponsesScreen, CustomAttributesScreen, LabelsScreen } from './simple-screens.js';
import { WebhookScreen, WebhooksScreen } from './webhooks-screen.js';
import { useLoad } from './use-load.js';
import './settings.css';

/**
 * The sections, in the order of Chatwoot's settings menu, each with the account feature that shows
 * it (config/features.yml); webhooks need none.
 */
export const SETTINGS_SECTIONS = [
  { path: 'inboxes', label: 'Inboxes', feature: 'inbox_management' },
  { path: 'agents', label: 'Agents', feature: 'agent_management' },
  { path: 'teams', label: 'Teams', feature: 'team_management' },
  { path: 'labels', label: 'Labels', feature: 'labels' },
  { path: 'canned-responses', label: 'Canned responses', feature: 'canned_responses' },
  { path: 'custom-attributes', label: 'Custom attributes', feature: 'custom_attributes' },
  { path: 'automation', label: 'Automation', feature: 'automations' },
  { path: 'macros', label: 'Macros', feature: 'macros' },
  { path: 'sla', label: 'SLA policies', feature: 'sla' },
  { path: 'webhooks', label: 'Webhooks', feature: undefined },
  { path: 'agent-bots', label: 'Agent bots', feature: 'agent_bots' },
] as const;

/**
 * /accounts/:account/settings/:section[/:id] — administrators only (the API refuses agents too;
 * the sidebar does not offer the link to them).
 */
export function SettingsPage({
  accountId,
  userId,
  administrator,
  section,
  id,
}: {
  accountId: number;
  userId: number;
  administrator: boolean;
  section: string;
  id?: number;
}) {
  const features = useLoad(() => getAccountFeatures(accountId), [accountId]);
  // what settings changed (agents, teams, inboxes, labels) reaches the inbox's pickers on the way out
  useEffect(
    () => () => {
      refreshLookups(accountId);
      forgetAccountLists();
    },
    [accountId],
  );
  if (!administrator) {
    return (
      <main class="settings-page">
        <h1>Settings</h1>
        <p>Only administrators can change the account's settings.</p>
      </main>
    );
  }
  if (!features.data) {
    return (
      <main class="settings-page">
        <h1>Settings</h1>
        <p role={features.error ? 'alert' : undefined}>{features.error || 'Loading…'}</p>
      </main>
    );
  }
  const served = SETTINGS_SECTIONS.filter((s) => !s.feature || features.data?.[s.feature]);
  const screen =
    served.some((s) => s.path === section) && pickScreen(accountId, userId, section, id, features.data.sla === true);
  return (
    <main class="settings-page">
      <h1>Settings</h1>
      <SectionMenu label="Settings" base={`/app/accounts/${accountId}/settings`} sections={served} current={section} />
      <div class="settings-body">{screen ?? <p>No such settings page.</p>}</div>
    </main>
  );
}

function pickScreen(
  accountId: number,
  userId: number,
  section: string,
  id: number | undefined,
  sla: boolean,
): ComponentChildren {
  switch (section) {
    case 'inboxes':
      return id ? <InboxScreen accountId={accountId} inboxId={id} /> : <InboxesScreen accountId={accountId} />;
    case 'agents':
      return <AgentsScreen accountId={accountId} userId={userId} />;
    case 'teams':
      return id ? <TeamScreen accountId={accountId} teamId={id} /> : <TeamsScreen accountId={accountId} />;
    case 'labels':
      return <LabelsScreen accountId={accountId} />;
    case 'canned-responses':
      return <CannedResponsesScreen accountId={accountId} />;
    case 'custom-attributes':
      return <CustomAttributesScreen accountId={accountId} />;
    case 'webhooks':
      return id ? <WebhookScreen accountId={accountId} webhookId={id} /> : <WebhooksScreen accountId={accountId} />;
    case 'automation':
      return <LazyAutomation screen="rules" accountId={accountId} sla={sla} />;
    case 'macros':
      return <LazyAutomation screen="macros" accountId={accountId} sla={sla} />;
    case 'sla':
      return <SlaPoliciesScreen accountId={accountId} />;
    case 'agent-bots':
      return <AgentBotsScreen accountId={accountId} />;
    default:
      return undefined;
  }
}
