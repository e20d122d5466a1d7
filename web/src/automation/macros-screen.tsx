import { useState } from 'preact/hooks';
import { createMacro, deleteMacro, executeMacro, listMacros, type Macro, updateMacro } from '../api/macros.js';
import { idNames, useActionChoices } from './choices.js';
import { EditorScreen } from './editor-screen.js';
import { MacroEditor } from './macro-editor.js';
import { describeActions } from './model.js';
import './automation.css';

/**
 * Settings › Macros: the account's global macros and the user's own, each editable and deletable,
 * new ones built in the editor, and any of them run on a conversation by its number.
 */
export function MacrosScreen({ accountId }: { accountId: number }) {
  const choices = useActionChoices(accountId, false);
  const names = idNames(choices);
  return (
    <EditorScreen
      title="Macros"
      description="Actions an agent runs on a conversation in one click, in this order."
      load={() => listMacros(accountId)}
      deps={[accountId]}
      columns={[
        { label: 'Name', render: (macro) => macro.name },
        { label: 'Visible to', render: (macro) => (macro.visibility === 'global' ? 'Everyone' : 'Only you') },
        { label: 'Actions', render: (macro) => describeActions(macro.actions, names, macro.files) },
      ]}
      remove={(macro) => deleteMacro(accountId, macro.id)}
      addLabel="Add macro"
      editor={(macro, exits) => (
        <MacroEditor
          macro={macro}
          choices={choices}
          onCancel={exits.cancel}
          onSave={async (fields) => {
            if (macro) await updateMacro(accountId, macro.id, fields);
            else await createMacro(accountId, fields);
            exits.saved();
          }}
        />
      )}
      after={(macros) => <RunMacro accountId={accountId} macros={macros} />}
    />
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
