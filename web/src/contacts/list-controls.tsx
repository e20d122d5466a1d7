import { useState } from 'preact/hooks';
import { listLabels } from '../api/account-data.js';
import type { FilterCondition } from '../api/contacts.js';
import { useAccountList } from '../lib/account-list.js';
import { useContactAttributeDefinitions } from './custom-attributes.js';

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

/** Chatwoot's contact filter attributes (the standard ones; custom attributes are added after). */
const ATTRIBUTES = [
  { key: 'name', label: 'Name' },
  { key: 'email', label: 'Email' },
  { key: 'phone_number', label: 'Phone' },
  { key: 'identifier', label: 'Identifier' },
  { key: 'city', label: 'City' },
  { key: 'country_code', label: 'Country code' },
  { key: 'company', label: 'Company' },
];

const OPERATORS = [
  { value: 'equal_to', label: 'is' },
  { value: 'not_equal_to', label: 'is not' },
  { value: 'contains', label: 'contains' },
  { value: 'does_not_contain', label: 'does not contain' },
  { value: 'is_present', label: 'is present' },
  { value: 'is_not_present', label: 'is not present' },
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

/** One filter condition (POST /contacts/filter): attribute, operator, value. */
export function FilterForm({
  accountId,
  active,
  onApply,
}: {
  accountId: number;
  active: boolean;
  onApply(conditions: FilterCondition[] | undefined): void;
}) {
  const definitions = useContactAttributeDefinitions(accountId);
  const [operator, setOperator] = useState('contains');
  const needsValue = operator !== 'is_present' && operator !== 'is_not_present';
  const submit = (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const value = String(form.get('value') ?? '').trim();
    if (needsValue && !value) return;
    onApply([
      {
        attribute_key: String(form.get('attribute')),
        filter_operator: operator,
        values: needsValue ? [value] : [],
        query_operator: 'and',
      },
    ]);
  };
  return (
    <form class="contact-filter" aria-label="Filter contacts" onSubmit={submit}>
      <select name="attribute" aria-label="Filter attribute">
        {ATTRIBUTES.map((a) => (
          <option key={a.key} value={a.key}>
            {a.label}
          </option>
        ))}
        {definitions.map((d) => (
          <option key={d.attribute_key} value={d.attribute_key}>
            {d.attribute_display_name}
          </option>
        ))}
      </select>
      <select aria-label="Filter operator" value={operator} onChange={(e) => setOperator(e.currentTarget.value)}>
        {OPERATORS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {needsValue && <input name="value" aria-label="Filter value" />}
      <button type="submit">Apply filter</button>
      {active && (
        <button type="button" onClick={() => onApply(undefined)}>
          Clear filter
        </button>
      )}
    </form>
  );
}
