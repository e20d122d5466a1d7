import type { Lookups } from '../conversations/lookups.js';
import { Choice, type ChoiceOption } from '../lib/choice.js';
import { JoinSelect, OPERATOR_LABELS } from '../lib/filter-words.js';
import {
  type ConditionSpec,
  conditionId,
  type CustomModel,
  MESSAGE_TYPES,
  PRESENCE,
  PRIORITIES,
  STATUSES,
} from './catalog.js';
import { type ConditionRow, newCondition, specOf } from './model.js';

const GROUPS: ReadonlyArray<[CustomModel, string]> = [
  ['conversation_attribute', 'Conversation custom attributes'],
  ['contact_attribute', 'Contact custom attributes'],
];

/** The attribute picker's options: the event's own, then each model's custom attributes in a group. */
function AttributeOptions({ specs }: { specs: readonly ConditionSpec[] }) {
  return (
    <>
      {specs
        .filter((s) => !s.custom)
        .map((s) => (
          <option key={s.key} value={s.key}>
            {s.label}
          </option>
        ))}
      {GROUPS.map(([model, label]) => {
        const customs = specs.filter((s) => s.custom === model);
        return (
          customs.length > 0 && (
            <optgroup key={model} label={label}>
              {customs.map((s) => (
                <option key={conditionId(s)} value={conditionId(s)}>
                  {s.label}
                </option>
              ))}
            </optgroup>
          )
        );
      })}
    </>
  );
}

/**
 * A rule's conditions: attribute, operator and value per row, each row joined to the next by AND
 * or OR (Chatwoot's query_operator), only the attributes and operators the event allows, and the
 * account's conversation and contact custom attributes with the operators and input of their type.
 */
export function ConditionList({
  specs,
  rows,
  lookups,
  onChange,
}: {
  /** The event's conditions and the custom ones (conditionSpecs). */
  specs: readonly ConditionSpec[];
  rows: ConditionRow[];
  lookups: Lookups;
  onChange(rows: ConditionRow[]): void;
}) {
  const set = (i: number, row: ConditionRow) => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset class="editor-list conditions-list">
      <legend>Conditions</legend>
      <ol>
        {rows.map((row, i) => {
          const spec = specOf(specs, row) ?? specs[0]!;
          const n = i + 1;
          return (
            <li key={i} class="editor-row" data-condition-row={i}>
              <select
                aria-label={`Attribute of condition ${n}`}
                name={`condition-${i}-attribute`}
                value={conditionId(spec)}
                onChange={(e) => {
                  const id = e.currentTarget.value;
                  const next = specs.find((s) => conditionId(s) === id)!;
                  set(i, { ...newCondition(next), join: row.join });
                }}
              >
                <AttributeOptions specs={specs} />
              </select>
              <select
                aria-label={`Operator of condition ${n}`}
                name={`condition-${i}-operator`}
                value={row.operator}
                // days_before counts days where the others take a date: the value starts again
                onChange={(e) => {
                  const operator = e.currentTarget.value;
                  const daysSwitch = (operator === 'days_before') !== (row.operator === 'days_before');
                  set(i, { ...row, operator, value: daysSwitch ? '' : row.value });
                }}
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
                  days={row.operator === 'days_before'}
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
      <button type="button" class="add-row" onClick={() => onChange([...rows, newCondition(specs[0]!)])}>
        Add condition
      </button>
    </fieldset>
  );
}

function ConditionValue({
  n,
  days,
  name,
  spec,
  lookups,
  value,
  onChange,
}: {
  n: number;
  /** days_before: a number of days, whatever the attribute's type. */
  days: boolean;
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
                : spec.input === 'list'
                  ? (spec.options ?? []).map((o) => [o, o])
                  : spec.input === 'checkbox'
                    ? [
                        ['true', 'Checked'],
                        ['false', 'Not checked'],
                      ]
                    : undefined;
  if (options) {
    return (
      <Choice label={label} name={name} value={value} placeholder="Choose…" options={options} onChange={onChange} />
    );
  }
  if (days || spec.input === 'number' || spec.input === 'date') {
    const type = days || spec.input === 'number' ? 'number' : 'date';
    return (
      <input
        type={type}
        aria-label={days ? `${label} (days)` : label}
        name={name}
        value={value}
        min={days ? 0 : undefined}
        step={type === 'number' && !days ? 'any' : undefined}
        onInput={(e) => onChange(e.currentTarget.value)}
      />
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
