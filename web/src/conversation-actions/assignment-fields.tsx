import { assign, type Priority, togglePriority } from '../api/conversation-actions.js';
import type { Conversation } from '../api/types.js';
import { useLookups } from '../conversations/lookups.js';
import { useAction } from './use-action.js';

const PRIORITIES: Priority[] = ['urgent', 'high', 'medium', 'low'];
const title = (word: string) => word[0]!.toUpperCase() + word.slice(1);

/** Assignee, team and priority: three labelled pickers, each applied as soon as it changes. */
export function AssignmentFields({ accountId, conversation }: { accountId: number; conversation: Conversation }) {
  const { agents, teams } = useLookups(accountId);
  const { busy, error, run } = useAction(conversation.id);
  const assigneeId = conversation.meta?.assignee?.id ?? 0;
  const teamId = conversation.meta?.team?.id ?? 0;
  return (
    <div class="assignment-fields">
      <label>
        Assignee
        <select
          name="assignee"
          value={assigneeId}
          disabled={busy}
          onChange={(e) => {
            const id = Number(e.currentTarget.value);
            void run(async () => {
              const agent = await assign(accountId, conversation.id, { assignee_id: id });
              return { meta: { ...conversation.meta, assignee: agent } };
            });
          }}
        >
          <option value={0}>None</option>
          {agents.map((agent) => (
            <option key={agent.id} value={agent.id}>
              {agent.available_name || agent.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Team
        <select
          name="team"
          value={teamId}
          disabled={busy}
          onChange={(e) => {
            const id = Number(e.currentTarget.value);
            void run(async () => {
              const team = await assign(accountId, conversation.id, { team_id: id });
              return { meta: { ...conversation.meta, team: team ? { id: team.id, name: team.name } : null } };
            });
          }}
        >
          <option value={0}>None</option>
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select
          name="priority"
          value={conversation.priority ?? ''}
          disabled={busy}
          onChange={(e) => {
            const priority = (e.currentTarget.value || null) as Priority | null;
            void run(async () => {
              await togglePriority(accountId, conversation.id, priority);
              return { priority };
            });
          }}
        >
          <option value="">None</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {title(priority)}
            </option>
          ))}
        </select>
      </label>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
