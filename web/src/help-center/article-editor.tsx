import { useEffect, useState } from 'preact/hooks';
import {
  type Article,
  type ArticleInput,
  type ArticleStatus,
  createArticle,
  deleteArticle,
  getArticle,
  listCategories,
  type Portal,
  publicArticleUrl,
  updateArticle,
} from '../api/help-center.js';
import { navigate } from '../lib/router.js';
import { ConfirmButton } from '../settings/confirm-button.js';
import { useLoad } from '../settings/use-load.js';
import { errorText } from './errors.js';
import { LazyPreview } from './lazy-preview.js';
import { helpCenterPath } from './route.js';

interface Draft {
  title: string;
  description: string;
  category: string;
  content: string;
}

const draftOf = (article?: Article): Draft => ({
  title: article?.title ?? '',
  description: article?.description ?? '',
  category: article?.category.id ? `${article.category.id}` : '',
  content: article?.content ?? '',
});

/**
 * A new article or an existing one (NewArticle, EditArticle and ArticleSettings): title,
 * description, category, Markdown content with a sanitised preview; saved as it is, or published,
 * moved back to draft or archived; deleted. Administrators only, as ArticlePolicy has it.
 */
export function ArticleEditor({
  accountId,
  userId,
  administrator,
  portal,
  locale,
  id,
}: {
  accountId: number;
  userId: number;
  administrator: boolean;
  portal: Portal;
  locale: string;
  id?: number;
}) {
  const existing = useLoad(
    () => (id === undefined ? Promise.resolve(undefined) : getArticle(accountId, portal.slug, id)),
    [accountId, portal.slug, id],
  );
  const categories = useLoad(() => listCategories(accountId, portal.slug, locale), [accountId, portal.slug, locale]);
  const article = existing.data;
  const [draft, setDraft] = useState<Draft>(draftOf());
  const [previewing, setPreviewing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  useEffect(() => setDraft(draftOf(article)), [article?.id]);

  if (!administrator) return <p>Only administrators can write articles.</p>;
  if (id !== undefined && !article) {
    return <p role={existing.error ? 'alert' : 'status'}>{existing.error || 'Loading…'}</p>;
  }

  const set = (field: keyof Draft) => (e: Event) =>
    setDraft((d) => ({ ...d, [field]: (e.currentTarget as HTMLInputElement).value }));

  const save = async (nextStatus?: ArticleStatus) => {
    setBusy(true);
    setError('');
    setStatus('');
    const input: ArticleInput = {
      title: draft.title.trim(),
      description: draft.description.trim() || null,
      content: draft.content,
      category_id: draft.category ? Number(draft.category) : null,
      ...(nextStatus && { status: nextStatus }),
    };
    try {
      if (article) {
        const saved = await updateArticle(accountId, portal.slug, article.id, input);
        existing.setData(saved);
        setStatus(nextStatus ? `The article is ${saved.status} now.` : 'Saved.');
      } else {
        const saved = await createArticle(accountId, portal.slug, { ...input, author_id: userId, locale });
        navigate(helpCenterPath.article(accountId, portal.slug, locale, saved.id), { replace: true });
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings-section hc-section hc-editor" aria-labelledby="hc-title">
      <div class="hc-heading">
        <h2 id="hc-title">{article ? `Edit article: ${article.title}` : 'New article'}</h2>
        <a href={`/app${helpCenterPath.articles(accountId, portal.slug, locale)}`}>Back to articles</a>
      </div>
      {article && (
        <p>
          Status: <span class={`hc-status hc-status-${article.status}`}>{article.status}</span>
          {article.status === 'published' && !portal.archived && (
            <>
              {' · '}
              <a href={publicArticleUrl(portal.slug, article.slug)} target="_blank" rel="noopener noreferrer">
                View the public page
              </a>
            </>
          )}
        </p>
      )}
      <form
        aria-label="Article"
        class="hc-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          Title
          <input name="title" required value={draft.title} onInput={set('title')} />
        </label>
        <label>
          Description
          <textarea name="description" rows={2} value={draft.description} onInput={set('description')} />
        </label>
        <label>
          Category
          <select name="category" value={draft.category} onChange={set('category')}>
            <option value="">No category</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={`${c.id}`}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset class="hc-write">
          <legend>Content (Markdown)</legend>
          <div class="hc-write-tabs">
            <button type="button" aria-pressed={!previewing} onClick={() => setPreviewing(false)}>
              Write
            </button>
            <button type="button" aria-pressed={previewing} onClick={() => setPreviewing(true)}>
              Preview
            </button>
          </div>
          {previewing ? (
            <LazyPreview content={draft.content} />
          ) : (
            <textarea
              name="content"
              aria-label="Content"
              rows={16}
              required
              value={draft.content}
              onInput={set('content')}
            />
          )}
        </fieldset>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="hc-actions">
          <button type="submit" class="primary" disabled={busy}>
            {article ? 'Save' : 'Save draft'}
          </button>
          {article?.status !== 'published' && (
            <button type="button" disabled={busy} onClick={() => void save('published')}>
              Publish
            </button>
          )}
          {article && article.status !== 'draft' && (
            <button type="button" disabled={busy} onClick={() => void save('draft')}>
              Move to draft
            </button>
          )}
          {article && article.status !== 'archived' && (
            <button type="button" disabled={busy} onClick={() => void save('archived')}>
              Archive
            </button>
          )}
          {article && (
            <ConfirmButton
              label="Delete article"
              confirmLabel="Confirm delete"
              onConfirm={async () => {
                await deleteArticle(accountId, portal.slug, article.id);
                navigate(helpCenterPath.articles(accountId, portal.slug, locale));
              }}
            />
          )}
        </div>
        <p role="status" class="muted">
          {status}
        </p>
      </form>
    </section>
  );
}
