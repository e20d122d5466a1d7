import { setLabels } from '../api/conversation-actions.js';
import type { Conversation } from '../api/types.js';
import { useLookups } from '../conversations/lookups.js';
import { useAction } from './use-action.js';

/** The conversation's labels as chips with a remove button, and a picker of the account's other labels. */
export function LabelEditor({ accountId, conversation }: { accountId: number; conversation: Conversation }) {
  const { labels: all } = useLookups(accountId);
  const { busy, error, run } = useAction(conversation.id);
  const current = conversation.labels ?? [];
  const save = (labels: string[]) => run(async () => ({ labels: await setLabels(accountId, conversation.id, labels) }));
  const addable = all.filter((label) => !current.includes(label.title));
  return (
    <div class="label-editor">
      <ul class="label-chips" aria-label="Labels">
        {current.map((title) => (
          <li key={title} class="label-chip" data-label={title}>
            {title}
            <button
              type="button"
              aria-label={`Remove label ${title}`}
              disabled={busy}
              onClick={() => save(current.filter((l) => l !== title))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {addable.length > 0 && (
        <select
          aria-label="Add label"
          name="add-label"
          value=""
          disabled={busy}
          onChange={(e) => {
            const title = e.currentTarget.value;
            if (title) void save([...current, title]);
          }}
        >
          <option value="">+ Label</option>
          {addable.map((label) => (
            <option key={label.id} value={label.title}>
              {label.title}
            </option>
          ))}
        </select>
      )}
      {error && <span role="alert">{error}</span>}
    </div>
  );
}
