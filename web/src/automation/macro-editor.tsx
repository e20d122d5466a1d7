import { useState } from 'preact/hooks';
import type { Macro, MacroFields } from '../api/macros.js';
import { type ActionChoices, ActionList } from './action-list.js';
import { MACRO_ACTIONS } from './catalog.js';
import { EditorFooter, useSave } from './editor-screen.js';
import { type ActionRow, actionRows, actionsOf, newAction } from './model.js';

const VISIBILITIES = [
  ['global', 'Everyone in the account'],
  ['personal', 'Only me'],
] as const;

/** Chatwoot's macro form: a name, who sees it, and its actions in the order they run. */
export function MacroEditor({
  macro,
  choices,
  onSave,
  onCancel,
}: {
  macro?: Macro;
  choices: ActionChoices;
  onSave(fields: MacroFields): Promise<unknown>;
  onCancel(): void;
}) {
  const [name, setName] = useState(macro?.name ?? '');
  const [visibility, setVisibility] = useState<'global' | 'personal'>(macro?.visibility ?? 'global');
  const [actions, setActions] = useState<ActionRow[]>(() =>
    macro?.actions.length ? actionRows(macro.actions, macro.files) : [newAction(MACRO_ACTIONS[0]!)],
  );
  const { error, busy, submit } = useSave(() => onSave({ name: name.trim(), visibility, actions: actionsOf(actions) }));
  const title = macro ? `Edit ${macro.name}` : 'Add macro';
  return (
    <form class="settings-form macro-editor" aria-label={title} onSubmit={submit}>
      <h3>{title}</h3>
      <div class="field">
        <label for="macro-name">Name</label>
        <input id="macro-name" name="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
      </div>
      <fieldset class="checks">
        <legend>Visible to</legend>
        {VISIBILITIES.map(([value, text]) => (
          <label key={value} class="check">
            <input
              type="radio"
              name="visibility"
              value={value}
              checked={visibility === value}
              onChange={() => setVisibility(value)}
            />
            {text}
          </label>
        ))}
      </fieldset>
      <ActionList rows={actions} names={MACRO_ACTIONS} choices={choices} onChange={setActions} />
      <EditorFooter error={error} busy={busy} submitLabel={macro ? 'Save macro' : 'Create macro'} onCancel={onCancel} />
    </form>
  );
}
