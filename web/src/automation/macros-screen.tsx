import { useState } from 'preact/hooks';
import { createMacro, deleteMacro, executeMacro, listMacros, type Macro, updateMacro } from '../api/macros.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import { useLoad } from '../settings/use-load.js';
import { idNames, useActionChoices } from './choices.js';
import { MacroEditor } from './macro-editor.js';
import { describeActions } from './model.js';
import './automation.css';

/**
 * Settings › Macros: the account's global macros and the user's own, each editable and deletable,
 * new ones built in the editor, and any of them run on a conversation by its number.
 */
export function MacrosScreen({ accountId }: { accountId: number }) {
  const { data, error, reload } = useLoad(() => listMacros(accountId), [accountId]);
  const choices = useActionChoices(accountId, false);
  const names = idNames(choices);
  const [editing, setEditing] = useState<Macro | 'new' | undefined>(undefined);
  return (
    <section class="settings-section macros-screen" aria-labelledby="settings-title">
      <h2 id="settings-title">Macros</h2>
      <p class="muted">Actions an agent runs on a conversation in one click, in this order.</p>
      {error && <p role="alert">{error}</p>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && data.length === 0 && <p class="muted">None yet.</p>}
      {data && data.length > 0 && (
        <table class="settings-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Visible to</th>
              <th scope="col">Actions</th>
              <th scope="col">
                <span class="visually-hidden">Change</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((macro) => (
              <tr key={macro.id} data-id={macro.id}>
                <td>{macro.name}</td>
                <td>{macro.visibility === 'global' ? 'Everyone' : 'Only you'}</td>
                <td>{describeActions(macro.actions, names)}</td>
                <td class="row-actions">
                  <button type="button" aria-label={`Edit ${macro.name}`} onClick={() => setEditing(macro)}>
                    Edit
                  </button>
                  <ConfirmButton
                    label="Delete"
                    confirmLabel="Confirm delete"
                    subject={macro.name}
                    onConfirm={() => deleteMacro(accountId, macro.id).then(reload)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <MacroEditor
          key={editing === 'new' ? 'new' : editing.id}
          macro={editing === 'new' ? undefined : editing}
          choices={choices}
          onCancel={() => setEditing(undefined)}
          onSave={async (fields) => {
            if (editing === 'new') await createMacro(accountId, fields);
            else await updateMacro(accountId, editing.id, fields);
            setEditing(undefined);
            reload();
          }}
        />
      ) : (
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          Add macro
        </button>
      )}
      {data && data.length > 0 && <RunMacro accountId={accountId} macros={data} />}
    </section>
  );
}

/** POST /macros/:id/execute on one conversation, by its number. */
function RunMacro({ accountId, macros }: { accountId: number; macros: Macro[] }) {
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const macro = macros.find((m) => m.id === Number(form.get('macro')));
    const conversation = Number(form.get('conversation'));
    setStatus('');
    setError('');
    if (!macro || !Number.isInteger(conversation) || conversation < 1)
      return setError('Choose a macro and a conversation');
    try {
      await executeMacro(accountId, macro.id, [conversation]);
      setStatus(`Ran ${macro.name} on conversation ${conversation}`);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <form class="run-macro" aria-label="Run a macro" onSubmit={submit}>
      <h3>Run a macro</h3>
      <select name="macro" aria-label="Macro to run">
        {macros.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <input name="conversation" type="number" min={1} aria-label="Conversation number" placeholder="Conversation #" />
      <button type="submit">Run</button>
      {error && <span role="alert">{error}</span>}
      <span role="status" class="muted">
        {status}
      </span>
    </form>
  );
}
