import { listLabels } from '../api/account-data.js';
import { useAccountList } from '../lib/account-list.js';

export const SORTS = [
  { value: '-last_activity_at', label: 'Last activity' },
  { value: 'name', label: 'Name (A–Z)' },
  { value: '-name', label: 'Name (Z–A)' },
  { value: 'email', label: 'Email' },
  { value: '-created_at', label: 'Newest' },
  { value: 'created_at', label: 'Oldest' },
  { value: 'city', label: 'City' },
  { value: 'country', label: 'Country' },
];

/** A label picker for the list (GET /contacts?labels[]=…). */
export function LabelFilter({
  accountId,
  value,
  onChange,
}: {
  accountId: number;
  value?: string;
  onChange(label: string | undefined): void;
}) {
  const labels = useAccountList('labels', accountId, listLabels);
  if (labels.length === 0) return null;
  return (
    <select
      aria-label="Contact label"
      value={value ?? ''}
      onChange={(e) => onChange(e.currentTarget.value || undefined)}
    >
      <option value="">Any label</option>
      {labels.map((label) => (
        <option key={label.id} value={label.title}>
          {label.title}
        </option>
      ))}
    </select>
  );
}
