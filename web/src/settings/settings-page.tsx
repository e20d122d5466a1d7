import type { ComponentChildren } from 'preact';
import { AgentsScreen, TeamScreen, TeamsScreen } from './people-screens.js';
import { InboxesScreen, InboxScreen } from './inboxes-screen.js';
import { AgentBotsScreen, CannedResponsesScreen, CustomAttributesScreen, LabelsScreen } from './simple-screens.js';
import { WebhookScreen, WebhooksScreen } from './webhooks-screen.js';
import './settings.css';

/** The sections, in the order of Chatwoot's settings menu. */
export const SETTINGS_SECTIONS = [
  { path: 'inboxes', label: 'Inboxes' },
  { path: 'agents', label: 'Agents' },
  { path: 'teams', label: 'Teams' },
  { path: 'labels', label: 'Labels' },
  { path: 'canned-responses', label: 'Canned responses' },
  { path: 'custom-attributes', label: 'Custom attributes' },
  { path: 'webhooks', label: 'Webhooks' },
  { path: 'agent-bots', label: 'Agent bots' },
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
  if (!administrator) {
    return (
      <main class="settings-page">
        <h1>Settings</h1>
        <p>Only administrators can change the account's settings.</p>
      </main>
    );
  }
  const screen = pickScreen(accountId, userId, section, id);
  return (
    <main class="settings-page">
      <h1>Settings</h1>
      <nav aria-label="Settings" class="settings-nav">
        <ul>
          {SETTINGS_SECTIONS.map((s) => (
            <li key={s.path}>
              <a
                href={`/app/accounts/${accountId}/settings/${s.path}`}
                aria-current={s.path === section ? 'page' : undefined}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="settings-body">{screen ?? <p>No such settings page.</p>}</div>
    </main>
  );
}

function pickScreen(accountId: number, userId: number, section: string, id?: number): ComponentChildren {
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
    case 'agent-bots':
      return <AgentBotsScreen accountId={accountId} />;
    default:
      return undefined;
  }
}
