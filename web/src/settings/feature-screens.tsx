import { createSlaPolicy, deleteSlaPolicy, listSlaPolicies } from '../api/admin/features.js';
import { CrudSection } from './crud-section.js';
import { type FieldValue, text, textOrNull } from './form.js';

// The screen of a feature an account may have switched off: SLA policies. (Automation rules and
// macros have their editors in web/src/automation/.)

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
