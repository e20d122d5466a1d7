import type { ComponentChildren } from 'preact';
import { getAccountFeatures } from '../api/admin/features.js';
import { useLoad } from '../settings/use-load.js';
import { ConversationsReport } from './conversations-report.js';
import { CsatReport } from './csat-report.js';
import { EntityReport } from './entity-report.js';
import { Overview } from './overview.js';
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
      <nav aria-label="Reports" class="settings-nav reports-nav">
        <ul>
          {served.map((s) => (
            <li key={s.path}>
              <a
                href={`/app/accounts/${accountId}/reports/${s.path}`}
                aria-current={s.path === section ? 'page' : undefined}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
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
    default:
      return undefined;
  }
}
