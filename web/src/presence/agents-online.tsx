import { listAgents } from '../api/agent-list.js';
import { useAccountList } from '../lib/account-list.js';
import { useStore } from '../lib/store.js';
import { presence } from './store.js';
import './presence.css';

/** An availability dot with its name for screen readers. */
export function AvailabilityDot({ status }: { status: string }) {
  return (
    <span class={`dot dot-${status}`} data-availability={status}>
      <span class="visually-hidden">{status}</span>
    </span>
  );
}

/** The account's agents with availability dots, live from presence.update. */
export function AgentsOnline({ accountId, userId }: { accountId: number; userId: number }) {
  const agents = useAccountList('agents', accountId, listAgents);
  const { users } = useStore(presence);
  if (agents.length === 0) return null;
  return (
    <details class="agents-online">
      <summary>
        Agents <span class="agents-count">{Object.keys(users).length} online</span>
      </summary>
      <ul aria-label="Agents">
        {agents.map((agent) => {
          // presence lists the users online, each with the availability they chose
          const status = users[agent.id] ?? 'offline';
          return (
            <li key={agent.id} data-agent-id={agent.id}>
              <AvailabilityDot status={status} /> {agent.available_name || agent.name}
              {agent.id === userId ? ' (you)' : ''}
            </li>
          );
        })}
      </ul>
    </details>
  );
}
