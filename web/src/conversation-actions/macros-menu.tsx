import { useState } from 'preact/hooks';
import { executeMacro, listMacros, type MacroSummary } from '../api/macros.js';
import { Menu } from '../lib/menu.js';
import { useLoaded } from '../lib/use-loaded.js';

/**
 * The account's macros, run on this conversation (Chatwoot's macros panel); the server applies
 * their actions in a job and /cable brings the changes. Hidden when there are none.
 */
export function MacrosMenu({ accountId, conversationId }: { accountId: number; conversationId: number }) {
  const [macros] = useLoaded<MacroSummary[]>([], () => listMacros(accountId), [accountId]);
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  if (macros.length === 0) return null;
  const run = async (macro: MacroSummary) => {
    setError('');
    setNote('');
    try {
      await executeMacro(accountId, macro.id, [conversationId]);
      setNote(`Ran ${macro.name}`);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div class="macros">
      <Menu label="Macros" buttonLabel="Macros">
        {(close) =>
          macros.map((macro) => (
            <button
              key={macro.id}
              type="button"
              data-macro={macro.id}
              onClick={() => {
                close();
                void run(macro);
              }}
            >
              {macro.name}
            </button>
          ))
        }
      </Menu>
      {note && (
        <span class="macro-note" role="status">
          {note}
        </span>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
