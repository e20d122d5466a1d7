import {
  createAutomationRule,
  createMacro,
  createSlaPolicy,
  deleteAutomationRule,
  deleteMacro,
  deleteSlaPolicy,
  listAutomationRules,
  listMacros,
  listSlaPolicies,
} from '../api/admin/features.js';
import { CrudSection } from './crud-section.js';
import { type FieldValue, text, textOrNull } from './form.js';

// Screens of features an account may have switched off: automation rules, macros, SLA policies.
// Their full builders (many conditions and actions) are Chatwoot's; these make the common one-step case.

/** Actions a macro or rule can take with at most one text parameter. */
const ACTIONS = [
  { value: 'add_label', label: 'Add label' },
  { value: 'remove_label', label: 'Remove label' },
  { value: 'send_message', label: 'Send message' },
  { value: 'add_private_note', label: 'Add private note' },
  { value: 'change_priority', label: 'Change priority (low, medium, high, urgent)' },
  { value: 'resolve_conversation', label: 'Resolve' },
  { value: 'snooze_conversation', label: 'Snooze' },
  { value: 'mute_conversation', label: 'Mute' },
];
const NO_PARAMS = new Set(['resolve_conversation', 'snooze_conversation', 'mute_conversation']);

const actionOf = (name: FieldValue | undefined, param: FieldValue | undefined) => {
  const action = text(name);
  return NO_PARAMS.has(action) ? { action_name: action } : { action_name: action, action_params: [text(param)] };
};
const describeActions = (actions: Array<{ action_name: string; action_params?: unknown[] }>) =>
  actions.map((a) => [a.action_name, ...(a.action_params ?? [])].join(' ')).join(', ');

export function MacrosScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Macros"
      description="Actions an agent runs on a conversation in one click."
      load={() => listMacros(accountId)}
      deps={[accountId]}
      nameOf={(m) => m.name}
      columns={[
        { label: 'Name', render: (m) => m.name },
        { label: 'Visible to', render: (m) => (m.visibility === 'global' ? 'Everyone' : 'Only you') },
        { label: 'Actions', render: (m) => describeActions(m.actions) },
      ]}
      createLabel="Add macro"
      fields={[
        { name: 'name', label: 'Name', required: true },
        {
          name: 'visibility',
          label: 'Visible to',
          type: 'select',
          options: [
            { value: 'global', label: 'Everyone' },
            { value: 'personal', label: 'Only you' },
          ],
        },
        { name: 'action', label: 'Action', type: 'select', options: ACTIONS },
        { name: 'param', label: 'Its value (label, message or priority)' },
      ]}
      create={(v) =>
        createMacro(accountId, {
          name: text(v.name),
          visibility: text(v.visibility) === 'personal' ? 'personal' : 'global',
          actions: [actionOf(v.action, v.param)],
        })
      }
      remove={(m) => deleteMacro(accountId, m.id)}
    />
  );
}

const EVENTS = [
  'message_created',
  'conversation_created',
  'conversation_updated',
  'conversation_opened',
  'conversation_resolved',
];

export function AutomationRulesScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Automation"
      description="Rules act on conversations when an event matches their conditions."
      load={() => listAutomationRules(accountId)}
      deps={[accountId]}
      nameOf={(r) => r.name}
      columns={[
        { label: 'Name', render: (r) => r.name },
        { label: 'Event', render: (r) => r.event_name },
        { label: 'Actions', render: (r) => describeActions(r.actions) },
        { label: 'Active', render: (r) => (r.active ? 'Yes' : 'No') },
      ]}
      createLabel="Add automation rule"
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description' },
        { name: 'event_name', label: 'When', type: 'select', options: EVENTS },
        { name: 'contains', label: 'The message contains', required: true },
        { name: 'action', label: 'Then', type: 'select', options: ACTIONS },
        { name: 'param', label: 'Its value (label, message or priority)' },
      ]}
      create={(v) =>
        createAutomationRule(accountId, {
          name: text(v.name),
          description: textOrNull(v.description),
          event_name: text(v.event_name),
          conditions: [
            { attribute_key: 'content', filter_operator: 'contains', values: [text(v.contains)], query_operator: null },
          ],
          actions: [actionOf(v.action, v.param)],
          active: true,
        })
      }
      remove={(r) => deleteAutomationRule(accountId, r.id)}
    />
  );
}

const minutes = (seconds: number | null) => (seconds === null ? '—' : `${Math.round(seconds / 60)} min`);
const seconds = (value: FieldValue | undefined) => (text(value) ? Math.round(Number(text(value)) * 60) : null);

export function SlaPoliciesScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="SLA policies"
      description="Targets for first response, next response and resolution."
      load={() => listSlaPolicies(accountId)}
      deps={[accountId]}
      nameOf={(p) => p.name}
      columns={[
        { label: 'Name', render: (p) => p.name },
        { label: 'First response', render: (p) => minutes(p.first_response_time_threshold) },
        { label: 'Next response', render: (p) => minutes(p.next_response_time_threshold) },
        { label: 'Resolution', render: (p) => minutes(p.resolution_time_threshold) },
        { label: 'Business hours only', render: (p) => (p.only_during_business_hours ? 'Yes' : 'No') },
      ]}
      createLabel="Add SLA policy"
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description' },
        { name: 'first', label: 'First response within (minutes)', type: 'number' },
        { name: 'next', label: 'Next response within (minutes)', type: 'number' },
        { name: 'resolution', label: 'Resolution within (minutes)', type: 'number' },
        { name: 'only_during_business_hours', label: 'Count business hours only', type: 'checkbox' },
      ]}
      create={(v) =>
        createSlaPolicy(accountId, {
          name: text(v.name),
          description: textOrNull(v.description),
          first_response_time_threshold: seconds(v.first),
          next_response_time_threshold: seconds(v.next),
          resolution_time_threshold: seconds(v.resolution),
          only_during_business_hours: v.only_during_business_hours === true,
        })
      }
      remove={(p) => deleteSlaPolicy(accountId, p.id)}
    />
  );
}
