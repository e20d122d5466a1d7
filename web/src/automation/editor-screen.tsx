import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { type Column, RecordTable } from '../lib/record-table.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import { useLoad } from '../settings/use-load.js';
import { saveError } from './errors.js';

/** What an editor is given: save went through (the list reloads), or the person cancelled. */
export interface EditorExits {
  saved(): void;
  cancel(): void;
}

/**
 * A settings screen of records built in an editor (automation rules, macros): the list as a table
 * with Edit, the screen's own row buttons and Delete (asked twice); the editor in place of the
 * "Add" button, for a new record or the one being edited. Every change reloads the list from the API.
 */
export function EditorScreen<T extends { id: number; name: string }>({
  title,
  description,
  load,
  deps,
  columns,
  rowButtons,
  remove,
  editor,
  addLabel,
  after,
}: {
  title: string;
  description: string;
  load(): Promise<T[]>;
  deps: unknown[];
  columns: Column<T>[];
  /** Buttons of a row besides Edit and Delete; `act` runs a change, reloads and shows its error. */
  rowButtons?(item: T, act: (work: () => Promise<unknown>) => void): ComponentChildren;
  remove(item: T): Promise<unknown>;
  editor(item: T | undefined, exits: EditorExits): ComponentChildren;
  addLabel: string;
  /** Shown below, once the list is loaded. */
  after?(items: T[]): ComponentChildren;
}) {
  const { data, error, reload } = useLoad(load, deps);
  const [editing, setEditing] = useState<T | 'new' | undefined>(undefined);
  const [failure, setFailure] = useState('');
  const act = (work: () => Promise<unknown>) => {
    setFailure('');
    work()
      .then(reload)
      .catch((e: unknown) => setFailure(saveError(e)));
  };
  const exits: EditorExits = {
    saved: () => {
      setEditing(undefined);
      reload();
    },
    cancel: () => setEditing(undefined),
  };
  return (
    <section class="settings-section editor-screen" aria-labelledby="settings-title">
      <h2 id="settings-title">{title}</h2>
      <p class="muted">{description}</p>
      {(error || failure) && <p role="alert">{error || failure}</p>}
      {!data && !error && <p class="muted">Loading…</p>}
      {data && data.length === 0 && <p class="muted">None yet.</p>}
      {data && data.length > 0 && (
        <RecordTable
          items={data}
          columns={columns}
          actionsLabel="Change"
          actions={(item) => (
            <>
              <button type="button" aria-label={`Edit ${item.name}`} onClick={() => setEditing(item)}>
                Edit
              </button>
              {rowButtons?.(item, act)}
              <ConfirmButton
                label="Delete"
                confirmLabel="Confirm delete"
                subject={item.name}
                onConfirm={() => remove(item).then(reload)}
              />
            </>
          )}
        />
      )}
      {editing ? (
        <div key={editing === 'new' ? 'new' : editing.id}>{editor(editing === 'new' ? undefined : editing, exits)}</div>
      ) : (
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          {addLabel}
        </button>
      )}
      {data && data.length > 0 && after?.(data)}
    </section>
  );
}

/** An editor form's submit: busy while saving, the API's refusal in words. */
export function useSave(save: () => Promise<unknown>) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      await save();
    } catch (e) {
      setError(saveError(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

/** An editor form's end: the API's refusal, the save and cancel buttons. */
export function EditorFooter({
  error,
  busy,
  submitLabel,
  onCancel,
}: {
  error: string;
  busy: boolean;
  submitLabel: string;
  onCancel(): void;
}) {
  return (
    <>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
