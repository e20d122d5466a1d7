import { useState } from 'preact/hooks';
import type { AutomationRule, RuleFields } from '../api/automation-rules.js';
import { type ActionChoices, ActionList } from './action-list.js';
import { type ConditionSpec, EVENTS, eventOf, ruleActions } from './catalog.js';
import { ConditionList } from './condition-list.js';
import { EditorFooter, useSave } from './editor-screen.js';
import {
  type ActionRow,
  actionRows,
  actionsOf,
  type ConditionRow,
  conditionRows,
  conditionSpecs,
  conditionsOf,
  newAction,
  newCondition,
  specOf,
} from './model.js';

/**
 * Chatwoot's automation rule form: name, description, the event, its conditions and actions.
 * Changing the event keeps the conditions and actions it still allows.
 */
export function RuleEditor({
  rule,
  choices,
  customs,
  onSave,
  onCancel,
}: {
  rule?: AutomationRule;
  choices: ActionChoices;
  /** The account's custom attributes as conditions (useCustomConditions). */
  customs: readonly ConditionSpec[];
  onSave(fields: RuleFields): Promise<unknown>;
  onCancel(): void;
}) {
  const [name, setName] = useState(rule?.name ?? '');
  const [description, setDescription] = useState(rule?.description ?? '');
  const [event, setEvent] = useState(rule ? eventOf(rule.event_name).key : 'message_created');
  const [conditions, setConditions] = useState<ConditionRow[]>(() =>
    rule?.conditions.length
      ? conditionRows(rule.conditions)
      : [newCondition(eventOf('message_created').conditions[0]!)],
  );
  const specs = conditionSpecs(event, customs, conditions);
  const allowed = ruleActions(event, choices.slaPolicies.length > 0);
  const [actions, setActions] = useState<ActionRow[]>(() =>
    rule?.actions.length ? actionRows(rule.actions, rule.files) : [newAction(allowed[0]!)],
  );
  const changeEvent = (next: string) => {
    const nextSpecs = conditionSpecs(next, customs, conditions);
    const kept = conditions.filter((c) => specOf(nextSpecs, c));
    setConditions(kept.length ? kept : [newCondition(nextSpecs[0]!)]);
    const names = new Set(ruleActions(next, choices.slaPolicies.length > 0));
    const keptActions = actions.filter((a) => names.has(a.name));
    setActions(keptActions.length ? keptActions : [newAction([...names][0]!)]);
    setEvent(next);
  };

  const { error, busy, submit } = useSave(() =>
    onSave({
      name: name.trim(),
      description: description.trim() || null,
      event_name: event,
      conditions: conditionsOf(specs, conditions),
      actions: actionsOf(actions),
      active: rule?.active ?? true,
    }),
  );

  const title = rule ? `Edit ${rule.name}` : 'Add automation rule';
  return (
    <form class="settings-form rule-editor" aria-label={title} onSubmit={submit}>
      <h3>{title}</h3>
      <div class="field">
        <label for="rule-name">Name</label>
        <input id="rule-name" name="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="rule-description">Description</label>
        <input
          id="rule-description"
          name="description"
          value={description}
          onInput={(e) => setDescription(e.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label for="rule-event">Event</label>
        <select id="rule-event" name="event_name" value={event} onChange={(e) => changeEvent(e.currentTarget.value)}>
          {EVENTS.map((ev) => (
            <option key={ev.key} value={ev.key}>
              {ev.label}
            </option>
          ))}
        </select>
      </div>
      <ConditionList specs={specs} rows={conditions} lookups={choices.lookups} onChange={setConditions} />
      <ActionList rows={actions} names={allowed} choices={choices} onChange={setActions} />
      <EditorFooter error={error} busy={busy} submitLabel={rule ? 'Save rule' : 'Create rule'} onCancel={onCancel} />
    </form>
  );
}
