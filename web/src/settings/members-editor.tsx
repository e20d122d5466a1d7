import { useEffect, useState } from 'preact/hooks';
import { listAgents } from '../api/admin/agents.js';
import { useLoad } from './use-load.js';

/**
 * The agents of the account as checkboxes, the current members ticked; Save sends the whole set
 * (PATCH …members replaces it, as Chatwoot's dashboard does).
 */
export function MembersEditor({
  accountId,
  title,
  load,
  save,
}: {
  accountId: number;
  title: string;
  load(): Promise<Array<{ id: number }>>;
  save(userIds: number[]): Promise<Array<{ id: number }>>;
}) {
  const agents = useLoad(() => listAgents(accountId), [accountId]);
  const members = useLoad(load, [accountId]);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [status, setStatus] = useState('');
  useEffect(() => {
    if (members.data) setChosen(new Set(members.data.map((m) => m.id)));
  }, [members.data]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setStatus('Saving…');
    try {
      const saved = await save([...chosen]);
      setChosen(new Set(saved.map((m) => m.id)));
      setStatus(`Saved: ${saved.length} member${saved.length === 1 ? '' : 's'}`);
    } catch (e) {
      setStatus((e as Error).message);
    }
  };

  const error = agents.error || members.error;
  return (
    <form class="settings-form members" aria-label={title} onSubmit={submit}>
      <fieldset class="checks">
        <legend>{title}</legend>
        {error && <p role="alert">{error}</p>}
        {agents.data?.map((agent) => (
          <label key={agent.id} class="check">
            <input
              type="checkbox"
              name="user_ids"
              value={agent.id}
              checked={chosen.has(agent.id)}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(agent.id);
                else next.delete(agent.id);
                setChosen(next);
              }}
            />
            {agent.name} <span class="muted">{agent.email}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" class="primary" disabled={!agents.data || !members.data}>
        Save members
      </button>
      <p role="status" class="muted">
        {status}
      </p>
    </form>
  );
}
