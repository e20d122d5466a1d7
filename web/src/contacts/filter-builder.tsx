import { useState } from 'preact/hooks';
import type { FilterCondition } from '../api/contacts.js';
import { JoinSelect, OPERATOR_LABELS } from '../lib/filter-words.js';
import { useContactAttributeDefinitions } from './custom-attributes.js';

const EQ = ['equal_to', 'not_equal_to'];
const EQ_CONTAINS = ['equal_to', 'not_equal_to', 'contains', 'does_not_contain'];
const ANY = [...EQ_CONTAINS, 'is_present', 'is_not_present'];

/** Chatwoot's standard contact filter attributes with the operators the server takes for each (filter_keys.yml). */
const ATTRIBUTES: ReadonlyArray<{ key: string; label: string; operators: string[] }> = [
  { key: 'name', label: 'Name', operators: EQ_CONTAINS },
  { key: 'email', label: 'Email', operators: EQ_CONTAINS },
  { key: 'phone_number', label: 'Phone', operators: [...EQ_CONTAINS, 'starts_with'] },
  { key: 'identifier', label: 'Identifier', operators: EQ },
  { key: 'city', label: 'City', operators: EQ_CONTAINS },
  { key: 'country_code', label: 'Country code', operators: EQ },
  { key: 'company', label: 'Company', operators: EQ_CONTAINS },
];

interface Row {
  key: string;
  operator: string;
  value: string;
  join: 'and' | 'or';
}

const newRow = (): Row => ({ key: 'name', operator: 'contains', value: '', join: 'and' });
const needsValue = (operator: string) => operator !== 'is_present' && operator !== 'is_not_present';

/**
 * The contacts filter (POST /contacts/filter): several conditions, each joined to the next by AND
 * or OR as Chatwoot's query_operator; custom attributes (any operator, the server checks) follow
 * the standard ones. The first row keeps the plain labels "Filter attribute", "Filter operator",
 * "Filter value"; later rows add their number.
 */
export function FilterBuilder({
  accountId,
  active,
  onApply,
}: {
  accountId: number;
  active: boolean;
  onApply(conditions: FilterCondition[] | undefined): void;
}) {
  const definitions = useContactAttributeDefinitions(accountId);
  const [rows, setRows] = useState<Row[]>([newRow()]);
  const [error, setError] = useState('');
  const operatorsOf = (key: string) => ATTRIBUTES.find((a) => a.key === key)?.operators ?? ANY;
  const set = (i: number, row: Row) => setRows(rows.map((r, j) => (j === i ? row : r)));

  const submit = (event: Event) => {
    event.preventDefault();
    const blank = rows.findIndex((r) => needsValue(r.operator) && !r.value.trim());
    if (blank >= 0) return setError(`Condition ${blank + 1} needs a value`);
    setError('');
    onApply(
      rows.map((r, i) => ({
        attribute_key: r.key,
        filter_operator: r.operator,
        values: needsValue(r.operator) ? [r.value.trim()] : [],
        // the last condition's operator joins nothing; Chatwoot's dashboard sends it all the same
        query_operator: i === rows.length - 1 ? 'and' : r.join,
      })),
    );
  };
  const suffix = (i: number) => (i === 0 ? '' : ` ${i + 1}`);
  return (
    <form class="contact-filter" aria-label="Filter contacts" onSubmit={submit}>
      <ol class="filter-rows">
        {rows.map((row, i) => (
          <li key={i} data-filter-row={i}>
            <select
              aria-label={`Filter attribute${suffix(i)}`}
              value={row.key}
              onChange={(e) => {
                const key = e.currentTarget.value;
                set(i, { ...row, key, operator: operatorsOf(key)[0]!, value: '' });
              }}
            >
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
            <select
              aria-label={`Filter operator${suffix(i)}`}
              value={row.operator}
              onChange={(e) => set(i, { ...row, operator: e.currentTarget.value })}
            >
              {operatorsOf(row.key).map((o) => (
                <option key={o} value={o}>
                  {OPERATOR_LABELS[o]}
                </option>
              ))}
            </select>
            {needsValue(row.operator) && (
              <input
                aria-label={`Filter value${suffix(i)}`}
                value={row.value}
                onInput={(e) => set(i, { ...row, value: e.currentTarget.value })}
              />
            )}
            {rows.length > 1 && (
              <button
                type="button"
                aria-label={`Remove filter condition ${i + 1}`}
                onClick={() => setRows(rows.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            )}
            {i < rows.length - 1 && (
              <JoinSelect
                label={`Join filter condition ${i + 1} to the next with`}
                value={row.join}
                onChange={(join) => set(i, { ...row, join })}
              />
            )}
          </li>
        ))}
      </ol>
      <div class="filter-buttons">
        <button type="button" onClick={() => setRows([...rows, newRow()])}>
          Add condition
        </button>
        <button type="submit">Apply filter</button>
        {active && (
          <button
            type="button"
            onClick={() => {
              setRows([newRow()]);
              onApply(undefined);
            }}
          >
            Clear filter
          </button>
        )}
      </div>
      {error && <span role="alert">{error}</span>}
    </form>
  );
}
