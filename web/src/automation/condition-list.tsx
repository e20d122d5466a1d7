import type { Lookups } from '../conversations/lookups.js';
import { Choice, type ChoiceOption } from '../lib/choice.js';
import { JoinSelect, OPERATOR_LABELS } from '../lib/filter-words.js';
import { type ConditionSpec, eventOf, MESSAGE_TYPES, PRESENCE, PRIORITIES, STATUSES } from './catalog.js';
import { type ConditionRow, newCondition, specOf } from './model.js';

/**
 * A rule's conditions: attribute, operator and value per row, each row joined to the next by AND
 * or OR (Chatwoot's query_operator), only the attributes and operators the event allows.
 */
export function ConditionList({
  event,
  rows,
  lookups,
  onChange,
}: {
  event: string;
  rows: ConditionRow[];
  lookups: Lookups;
  onChange(rows: ConditionRow[]): void;
}) {
  const specs = eventOf(event).conditions;
  const set = (i: number, row: ConditionRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset class="editor-list conditions-list">
      <legend>Conditions</legend>
      <ol>
        {rows.map((row, i) => {
          const spec = specOf(event, row.key) ?? specs[0]!;
          const n = i + 1;
          return (
            <li key={i} class="editor-row" data-condition-row={i}>
              <select
                aria-label={`Attribute of condition ${n}`}
                name={`condition-${i}-attribute`}
                value={spec.key}
                onChange={(e) => {
                  const next = specOf(event, e.currentTarget.value)!;
                  set(i, { ...row, key: next.key, operator: next.operators[0]!, value: '' });
                }}
              >
                {specs.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.label}
                  </option>
                ))}
              </select>
              <select
                aria-label={`Operator of condition ${n}`}
                name={`condition-${i}-operator`}
                value={row.operator}
                onChange={(e) => set(i, { ...row, operator: e.currentTarget.value })}
              >
                {spec.operators.map((o) => (
                  <option key={o} value={o}>
                    {OPERATOR_LABELS[o] ?? o}
                  </option>
                ))}
              </select>
              {!PRESENCE.has(row.operator) && (
                <ConditionValue
                  n={n}
                  name={`condition-${i}-value`}
                  spec={spec}
                  lookups={lookups}
                  value={row.value}
                  onChange={(value) => set(i, { ...row, value })}
                />
              )}
              <button
                type="button"
                aria-label={`Remove condition ${n}`}
                disabled={rows.length === 1}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
              >
                ✕
              </button>
              {i < rows.length - 1 && (
                <JoinSelect
                  label={`Join condition ${n} to the next with`}
                  name={`condition-${i}-join`}
                  value={row.join}
                  onChange={(join) => set(i, { ...row, join })}
                />
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" class="add-row" onClick={() => onChange([...rows, newCondition(event)])}>
        Add condition
      </button>
    </fieldset>
  );
}

function ConditionValue({
  n,
  name,
  spec,
  lookups,
  value,
  onChange,
}: {
  n: number;
  name: string;
  spec: ConditionSpec;
  lookups: Lookups;
  value: string;
  onChange(value: string): void;
}) {
  const label = `Value of condition ${n}`;
  const options: ChoiceOption[] | undefined =
    spec.input === 'status'
      ? STATUSES.map((s) => [s, s])
      : spec.input === 'priority'
        ? PRIORITIES.map((p) => [p, p])
        : spec.input === 'message_type'
          ? MESSAGE_TYPES.map((t) => [t, t])
          : spec.input === 'inbox'
            ? lookups.inboxes.map((x) => [x.id, x.name])
            : spec.input === 'agent'
              ? lookups.agents.map((a) => [a.id, a.available_name || a.name])
              : spec.input === 'team'
                ? lookups.teams.map((t) => [t.id, t.name])
                : undefined;
  if (options) {
    return (
      <Choice label={label} name={name} value={value} placeholder="Choose…" options={options} onChange={onChange} />
    );
  }
  return (
    <input
      aria-label={spec.hint ? `${label} (${spec.hint})` : label}
      name={name}
      value={value}
      placeholder={spec.hint}
      onInput={(e) => onChange(e.currentTarget.value)}
    />
  );
}
