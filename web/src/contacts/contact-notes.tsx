import { useEffect, useState } from 'preact/hooks';
import { addNote, type ContactNote, deleteNote, editNote, listNotes } from '../api/contacts.js';
import { shortTime } from '../lib/time.js';

/** Notes on the contact (newest first): add, edit, delete. Text is rendered as text. */
export function ContactNotes({ accountId, contactId }: { accountId: number; contactId: number }) {
  const [notes, setNotes] = useState<ContactNote[]>([]);
  const [draft, setDraft] = useState('');
  const [editing, setEditing] = useState<number>();
  const [error, setError] = useState('');
  useEffect(() => {
    let current = true;
    listNotes(accountId, contactId)
      .then((found) => current && setNotes(found))
      .catch((e) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [accountId, contactId]);

  const run = async (action: () => Promise<void>) => {
    setError('');
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const add = (event: Event) => {
    event.preventDefault();
    const content = draft.trim();
    if (!content) return;
    void run(async () => {
      const note = await addNote(accountId, contactId, content);
      setNotes((all) => [note, ...all]);
      setDraft('');
    });
  };
  const save = (note: ContactNote, content: string) =>
    run(async () => {
      const updated = await editNote(accountId, contactId, note.id, content);
      setNotes((all) => all.map((n) => (n.id === note.id ? updated : n)));
      setEditing(undefined);
    });
  const remove = (note: ContactNote) =>
    run(async () => {
      await deleteNote(accountId, contactId, note.id);
      setNotes((all) => all.filter((n) => n.id !== note.id));
    });

  return (
    <section class="contact-notes" aria-label="Notes">
      <h3>Notes</h3>
      <form onSubmit={add} class="note-form">
        <label class="visually-hidden" for={`note-${contactId}`}>
          New note
        </label>
        <textarea
          id={`note-${contactId}`}
          rows={2}
          value={draft}
          placeholder="Add a note about this contact"
          onInput={(e) => setDraft(e.currentTarget.value)}
        />
        <button type="submit" disabled={!draft.trim()}>
          Add note
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      <ul class="notes">
        {notes.map((note) => (
          <li key={note.id} data-note-id={note.id}>
            {editing === note.id ? (
              <form
                class="note-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  const text = String(new FormData(e.currentTarget).get('content') ?? '').trim();
                  if (text) void save(note, text);
                }}
              >
                <textarea name="content" aria-label="Edit note" rows={2} defaultValue={note.content} />
                <button type="submit">Save</button>
                <button type="button" onClick={() => setEditing(undefined)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <p class="note-content">{note.content}</p>
                <span class="note-meta">
                  {note.user?.name ? `${note.user.name} · ` : ''}
                  {shortTime(note.created_at)}{' '}
                  <button type="button" class="link" onClick={() => setEditing(note.id)}>
                    Edit
                  </button>{' '}
                  <button type="button" class="link" onClick={() => void remove(note)}>
                    Delete
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
