import { useState } from 'preact/hooks';
import { changeParticipants, listParticipants } from '../api/conversation-actions.js';
import type { Sender } from '../api/types.js';
import { useLookups } from '../conversations/lookups.js';
import { Menu } from '../lib/menu.js';
import { useLoaded } from '../lib/use-loaded.js';

/** The agents taking part (Chatwoot's "Conversation participants"): a checkbox per agent. */
export function Participants({
  accountId,
  conversationId,
  assigneeId,
}: {
  accountId: number;
  conversationId: number;
  /** An assignment adds the assignee: the list is read again when it changes. */
  assigneeId?: number;
}) {
  const { agents } = useLookups(accountId);
  const [participants, setList] = useLoaded<Sender[]>([], () => listParticipants(accountId, conversationId), [
    accountId,
    conversationId,
    assigneeId,
  ]);
  const [error, setError] = useState('');

  const ids = participants.map((p) => p.id);
  const toggle = async (userId: number, name: string, on: boolean) => {
    setError('');
    // the box shows the change at once; the server's list replaces it
    setList((now) => (on ? [...now, { id: userId, name }] : now.filter((p) => p.id !== userId)));
    try {
      await changeParticipants(accountId, conversationId, [userId], on);
    } catch (e) {
      setError((e as Error).message);
    }
    setList(await listParticipants(accountId, conversationId).catch(() => participants));
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
                onChange={(e) => void toggle(agent.id, agent.name, e.currentTarget.checked)}
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
