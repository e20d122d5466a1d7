import { useEffect, useState } from 'preact/hooks';
import { listParticipants, setParticipants } from '../api/conversation-actions.js';
import type { Sender } from '../api/types.js';
import { useLookups } from '../conversations/lookups.js';
import { Menu } from '../lib/menu.js';

/** The agents taking part (Chatwoot's "Conversation participants"): a checkbox per agent. */
export function Participants({ accountId, conversationId }: { accountId: number; conversationId: number }) {
  const { agents } = useLookups(accountId);
  const [participants, setList] = useState<Sender[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    let current = true;
    listParticipants(accountId, conversationId)
      .then((found) => current && setList(found))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [accountId, conversationId]);

  const ids = participants.map((p) => p.id);
  const toggle = async (userId: number, on: boolean) => {
    setError('');
    try {
      setList(
        await setParticipants(accountId, conversationId, on ? [...ids, userId] : ids.filter((id) => id !== userId)),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="participants">
      <Menu label="Participants" buttonLabel={`Participants (${participants.length})`}>
        {() =>
          agents.map((agent) => (
            <label key={agent.id} class="menu-check">
              <input
                type="checkbox"
                data-participant={agent.id}
                checked={ids.includes(agent.id)}
                onChange={(e) => void toggle(agent.id, e.currentTarget.checked)}
              />
              {agent.available_name || agent.name}
            </label>
          ))
        }
      </Menu>
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
