import type { ComponentChildren } from 'preact';
import { getAccountFeatures } from '../api/admin/features.js';
import { SectionMenu } from '../lib/section-menu.js';
import { useLoad } from '../lib/use-loaded.js';
import { BotReport } from './bot-report.js';
import { ConversationsReport } from './conversations-report.js';
import { CsatReport } from './csat-report.js';
import { EntityReport } from './entity-report.js';
import { Overview } from './overview.js';
import { SlaReport } from './sla-report.js';
import './reports.css';

/** The sections of Chatwoot's reports menu, each with the account feature it also needs (beyond `reports`). */
export const REPORT_SECTIONS = [
  { path: 'overview', label: 'Overview', feature: undefined },
  { path: 'conversations', label: 'Conversations', feature: undefined },
  { path: 'agents', label: 'Agents', feature: 'agent_management' },
  { path: 'inboxes', label: 'Inboxes', feature: 'inbox_management' },
  { path: 'labels', label: 'Labels', feature: 'labels' },
  { path: 'teams', label: 'Teams', feature: 'team_management' },
  { path: 'csat', label: 'CSAT', feature: undefined },
  { path: 'sla', label: 'SLA', feature: 'sla' },
  // Chatwoot's sidebar offers the bot report to every account, whether it has a bot or not
  { path: 'bot', label: 'Bot', feature: undefined },
] as const;

/** /accounts/:account/reports/:section — administrators of an account with the `reports` feature. */
export function ReportsPage({
  accountId,
  administrator,
  section,
}: {
  accountId: number;
  administrator: boolean;
  section: string;
}) {
  const features = useLoad(() => getAccountFeatures(accountId), [accountId]);
  const frame = (body: ComponentChildren) => (
    <main class="settings-page reports-page">
      <h1>Reports</h1>
      {body}
    </main>
  );
  // Chatwoot's ReportPolicy: the API answers 401 to agents, and the sidebar does not offer the link
  if (!administrator) return frame(<p>Only administrators can read the account's reports.</p>);
  if (!features.data) return frame(<p role={features.error ? 'alert' : undefined}>{features.error || 'Loading…'}</p>);
  if (!features.data.reports) return frame(<p>Reports are not enabled for this account.</p>);
  const served = REPORT_SECTIONS.filter((s) => !s.feature || features.data?.[s.feature]);
  const screen = served.some((s) => s.path === section) ? pickScreen(accountId, section) : undefined;
  return frame(
    <>
      <SectionMenu
        label="Reports"
        className="reports-nav"
        base={`/app/accounts/${accountId}/reports`}
        sections={served}
        current={section}
      />
      <div class="reports-body">{screen ?? <p>No such report.</p>}</div>
    </>,
  );
}

function pickScreen(accountId: number, section: string): ComponentChildren {
  switch (section) {
    case 'overview':
      return <Overview accountId={accountId} />;
    case 'conversations':
      return <ConversationsReport accountId={accountId} />;
    case 'agents':
      return <EntityReport key="agent" accountId={accountId} entity="agent" />;
    case 'inboxes':
      return <EntityReport key="inbox" accountId={accountId} entity="inbox" />;
    case 'labels':
      return <EntityReport key="label" accountId={accountId} entity="label" />;
    case 'teams':
      return <EntityReport key="team" accountId={accountId} entity="team" />;
    case 'csat':
      return <CsatReport accountId={accountId} />;
    case 'sla':
      return <SlaReport accountId={accountId} />;
    case 'bot':
      return <BotReport accountId={accountId} />;
    default:
      return undefined;
  }
}
