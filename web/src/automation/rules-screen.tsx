import { useState } from 'preact/hooks';
import {
  type AutomationRule,
  cloneAutomationRule,
  createAutomationRule,
  deleteAutomationRule,
  listAutomationRules,
  updateAutomationRule,
} from '../api/automation-rules.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import { useLoad } from '../settings/use-load.js';
import { EVENTS } from './catalog.js';
import { idNames, useActionChoices } from './choices.js';
import { describeActions } from './model.js';
import { RuleEditor } from './rule-editor.js';
import './automation.css';

/**
 * Settings › Automation: the account's rules with their event and actions; each can be switched
 * on or off, edited, cloned or deleted, and new ones are built in the editor. Every change reloads
 * the list from the API.
 */
export function AutomationRulesScreen({ accountId, sla }: { accountId: number; sla: boolean }) {
  const { data, error, reload } = useLoad(() => listAutomationRules(accountId), [accountId]);
  const choices = useActionChoices(accountId, sla);
  const names = idNames(choices);
  const [editing, setEditing] = useState<AutomationRule | 'new' | undefined>(undefined);
  const [failure, setFailure] = useState('');
  const act = (work: () => Promise<unknown>) => {
    setFailure('');
    work()
      .then(reload)
      .catch((e: Error) => setFailure(e.message));
  };
  return (
    <section class="settings-section automation-screen" aria-labelledby="settings-title">
      <h2 id="settings-title">Automation</h2>
      <p class="muted">Rules act on conversations when an event matches their conditions.</p>
      {(error || failure) && <p role="alert">{error || failure}</p>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && data.length === 0 && <p class="muted">None yet.</p>}
      {data && data.length > 0 && (
        <table class="settings-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Event</th>
              <th scope="col">Actions</th>
              <th scope="col">Active</th>
              <th scope="col">
                <span class="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((rule) => (
              <tr key={rule.id} data-id={rule.id}>
                <td>
                  {rule.name}
                  {rule.description && <div class="muted">{rule.description}</div>}
                </td>
                <td>{EVENTS.find((e) => e.key === rule.event_name)?.label ?? rule.event_name}</td>
                <td>{describeActions(rule.actions, names)}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${rule.name} active`}
                    checked={rule.active}
                    onChange={(e) => {
                      const active = e.currentTarget.checked;
                      act(() => updateAutomationRule(accountId, rule.id, { active }));
                    }}
                  />
                </td>
                <td class="row-actions">
                  <button type="button" aria-label={`Edit ${rule.name}`} onClick={() => setEditing(rule)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    aria-label={`Clone ${rule.name}`}
                    onClick={() => act(() => cloneAutomationRule(accountId, rule.id))}
                  >
                    Clone
                  </button>
                  <ConfirmButton
                    label="Delete"
                    confirmLabel="Confirm delete"
                    subject={rule.name}
                    onConfirm={() => deleteAutomationRule(accountId, rule.id).then(reload)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <RuleEditor
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? undefined : editing}
          choices={choices}
          onCancel={() => setEditing(undefined)}
          onSave={async (fields) => {
            if (editing === 'new') await createAutomationRule(accountId, fields);
            else await updateAutomationRule(accountId, editing.id, fields);
            setEditing(undefined);
            reload();
          }}
        />
      ) : (
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Add automation rule
        </button>
      )}
    </section>
  );
}
