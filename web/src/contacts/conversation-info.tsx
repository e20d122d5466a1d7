import { listInboxes } from '../api/account-data.js';
import type { Conversation } from '../api/types.js';
import { useAccountList } from '../lib/account-list.js';

interface Browser {
  browser_name?: string;
  browser_version?: string;
  platform_name?: string;
  platform_version?: string;
}

/** Where the conversation came from: inbox, browser, referer, start time (additional_attributes). */
export function ConversationInfo({ accountId, conversation }: { accountId: number; conversation: Conversation }) {
  const inboxes = useAccountList('inboxes', accountId, listInboxes);
  const extra = ((conversation as { additional_attributes?: Record<string, unknown> }).additional_attributes ?? {}) as {
    browser?: Browser;
    referer?: unknown;
    initiated_at?: { timestamp?: unknown };
  };
  const browser = extra.browser;
  const rows: Array<[string, string]> = [];
  const inbox = inboxes.find((i) => i.id === conversation.inbox_id);
  if (inbox) rows.push(['Inbox', inbox.name]);
  if (browser?.browser_name)
    rows.push(['Browser', [browser.browser_name, browser.browser_version].filter(Boolean).join(' ')]);
  if (browser?.platform_name)
    rows.push(['Platform', [browser.platform_name, browser.platform_version].filter(Boolean).join(' ')]);
  if (typeof extra.referer === 'string' && extra.referer) rows.push(['Referer', extra.referer]);
  if (typeof extra.initiated_at?.timestamp === 'string') rows.push(['Started', extra.initiated_at.timestamp]);
  return (
    <section class="conversation-info" aria-label="Conversation information">
      <h3>Conversation</h3>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} data-info={label.toLowerCase()}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
