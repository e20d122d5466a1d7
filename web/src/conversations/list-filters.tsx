import { useEffect, useState } from 'preact/hooks';
import { type InboxSummary, type LabelSummary, listInboxes, listLabels } from '../api/account-data.js';
import type { ListFilter, StatusFilter } from '../api/conversations.js';

const STATUSES: StatusFilter[] = ['open', 'pending', 'snoozed', 'resolved', 'all'];
const title = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** Status, inbox and label pickers above the list. */
export function ListFilters({
  accountId,
  filter,
  onChange,
}: {
  accountId: number;
  filter: ListFilter;
  onChange(change: Partial<ListFilter>): void;
}) {
  const [inboxes, setInboxes] = useState<InboxSummary[]>([]);
  const [labels, setLabels] = useState<LabelSummary[]>([]);
  useEffect(() => {
    let current = true;
    listInboxes(accountId)
      .then((found) => current && setInboxes(found))
      .catch(() => undefined);
    listLabels(accountId)
      .then((found) => current && setLabels(found))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [accountId]);

  return (
    <div class="list-filters">
      <select
        aria-label="Status"
        value={filter.status}
        onChange={(e) => onChange({ status: e.currentTarget.value as StatusFilter })}
      >
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {title(status)}
          </option>
        ))}
      </select>
      {inboxes.length > 1 && (
        <select
          aria-label="Inbox"
          value={filter.inboxId ?? ''}
          onChange={(e) => onChange({ inboxId: Number(e.currentTarget.value) || undefined })}
        >
          <option value="">All inboxes</option>
          {inboxes.map((inbox) => (
            <option key={inbox.id} value={inbox.id}>
              {inbox.name}
            </option>
          ))}
        </select>
      )}
      {labels.length > 0 && (
        <select
          aria-label="Label"
          value={filter.label ?? ''}
          onChange={(e) => onChange({ label: e.currentTarget.value || undefined })}
        >
          <option value="">Any label</option>
          {labels.map((label) => (
            <option key={label.id} value={label.title}>
              {label.title}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
