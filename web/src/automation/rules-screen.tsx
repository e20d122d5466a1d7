import {
  cloneAutomationRule,
  createAutomationRule,
  deleteAutomationRule,
  listAutomationRules,
  updateAutomationRule,
} from '../api/automation-rules.js';
import { EVENTS } from './catalog.js';
import { idNames, useActionChoices, useCustomConditions } from './choices.js';
import { EditorScreen } from './editor-screen.js';
import { describeActions } from './model.js';
import { RuleEditor } from './rule-editor.js';
import './automation.css';

/**
 * Settings › Automation: the account's rules with their event and actions; each can be switched
 * on or off, edited, cloned or deleted, and new ones are built in the editor.
 */
export function AutomationRulesScreen({ accountId, sla }: { accountId: number; sla: boolean }) {
  const choices = useActionChoices(accountId, sla);
  const customs = useCustomConditions(accountId);
  const names = idNames(choices);
  return (
    <EditorScreen
      title="Automation"
      description="Rules act on conversations when an event matches their conditions."
      load={() => listAutomationRules(accountId)}
      deps={[accountId]}
      columns={[
        {
          label: 'Name',
          render: (rule) => (
            <>
              {rule.name}
              {rule.description && <div class="muted">{rule.description}</div>}
            </>
          ),
        },
        { label: 'Event', render: (rule) => EVENTS.find((e) => e.key === rule.event_name)?.label ?? rule.event_name },
        { label: 'Actions', render: (rule) => describeActions(rule.actions, names, rule.files) },
      ]}
      rowButtons={(rule, act) => (
        <>
          <label class="check">
            <input
              type="checkbox"
              aria-label={`${rule.name} active`}
              checked={rule.active}
              onChange={(e) => {
                const active = e.currentTarget.checked;
                act(() => updateAutomationRule(accountId, rule.id, { active }));
              }}
            />
            Active
          </label>
          <button
            type="button"
            aria-label={`Clone ${rule.name}`}
            onClick={() => act(() => cloneAutomationRule(accountId, rule.id))}
          >
            Clone
          </button>
        </>
      )}
      remove={(rule) => deleteAutomationRule(accountId, rule.id)}
      addLabel="Add automation rule"
      editor={(rule, exits) => (
        <RuleEditor
          rule={rule}
          choices={choices}
          customs={customs}
          onCancel={exits.cancel}
          onSave={async (fields) => {
            if (rule) await updateAutomationRule(accountId, rule.id, fields);
            else await createAutomationRule(accountId, fields);
            exits.saved();
          }}
        />
      )}
    />
  );
}
