import { useState } from 'preact/hooks';
import { type BulkChange, bulkUpdateConversations } from '../api/bulk-actions.js';
import { SnoozeChoices } from '../conversation-actions/snooze-choices.js';
import { Choice, type ChoiceOption } from '../lib/choice.js';
import { Menu } from '../lib/menu.js';
import { useStore } from '../lib/store.js';
import { useLookups } from './lookups.js';
import { clearSelection, selectAll, selection } from './selection.js';
import './bulk.css';

const STATUSES: ChoiceOption[] = [
  ['open', 'Open'],
  ['pending', 'Pending'],
  ['resolved', 'Resolved'],
];

/**
 * Shown while conversations are ticked: set their status, assignee or team, or add a label, in one
 * POST /bulk_actions (the server applies it in a job; the rows change as /cable reports each one).
 */
export function BulkBar({ accountId, visibleIds }: { accountId: number; visibleIds: number[] }) {
  const selected = useStore(selection);
  const { agents, teams, labels } = useLookups(accountId);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  if (selected.size === 0)
    return done ? (
      <p class="bulk-done" role="status">
        {done}
      </p>
    ) : null;

  const ids = [...selected];
  const apply = async (change: BulkChange, what: string) => {
    setError('');
    try {
      await bulkUpdateConversations(accountId, ids, change);
      clearSelection();
      setDone(`${what}: ${ids.length} conversation${ids.length === 1 ? '' : 's'}`);
      setTimeout(() => setDone(''), 4000);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const picker = (label: string, name: string, options: ChoiceOption[], onPick: (value: string) => void) => (
    <Choice
      label={label}
      name={name}
      value=""
      placeholder={`${label}…`}
      options={options}
      onChange={(v) => v && onPick(v)}
    />
  );
  return (
    <section class="bulk-bar" aria-label="Bulk actions">
      <span class="bulk-count">{selected.size} selected</span>
      <label class="bulk-all">
        <input
          type="checkbox"
          checked={visibleIds.length > 0 && visibleIds.every((id) => selected.has(id))}
          onChange={(e) => (e.currentTarget.checked ? selectAll(visibleIds) : clearSelection())}
        />
        All loaded
      </label>
      {picker('Set status', 'bulk-status', STATUSES, (status) => apply({ fields: { status } }, `Status ${status}`))}
      <Menu label="Snooze the selected conversations" buttonLabel="Snooze…" class="bulk-snooze">
        {(close) => (
          <SnoozeChoices
            idPrefix="bulk"
            onPick={(until) => {
              close();
              const when = until === null ? 'until next reply' : `until ${new Date(until * 1000).toLocaleString()}`;
              void apply({ fields: { status: 'snoozed', snoozed_until: until } }, `Snoozed ${when}`);
            }}
          />
        )}
      </Menu>
      {picker(
        'Assign agent',
        'bulk-assignee',
        [[0, 'None'], ...agents.map((a): ChoiceOption => [a.id, a.available_name || a.name])],
        (id) => apply({ fields: { assignee_id: Number(id) || null } }, 'Assigned'),
      )}
      {picker('Assign team', 'bulk-team', [[0, 'None'], ...teams.map((t): ChoiceOption => [t.id, t.name])], (id) =>
        apply({ fields: { team_id: Number(id) || null } }, 'Team set'),
      )}
      {picker(
        'Add label',
        'bulk-label',
        labels.map((l): ChoiceOption => [l.title, l.title]),
        (title) => apply({ labels: { add: [title] } }, `Label ${title} added`),
      )}
      <button type="button" onClick={clearSelection}>
        Clear
      </button>
      {error && <span role="alert">{error}</span>}
    </section>
  );
}
