import { useEffect, useRef, useState } from 'preact/hooks';
import { useFocusOnShow } from '../lib/focus.js';
import { type Article, listArticles, listPortals, publicArticleUrl } from '../api/help-center.js';
import { useHelpCenterEnabled } from './feature.js';
import './article-picker.css';

/** A published article found for the reply box, with its public address. */
export interface FoundArticle {
  article: Article;
  portal: string;
  url: string;
}

/** The account's published articles matching `query`, from every portal that is not archived. */
async function searchPublished(accountId: number, query: string): Promise<FoundArticle[]> {
  const portals = (await listPortals(accountId)).filter((p) => !p.archived);
  const pages = await Promise.all(
    portals.map((portal) =>
      listArticles(accountId, portal.slug, { status: 'published', query: query || undefined }).then((page) =>
        page.payload.map((article) => ({
          article,
          portal: portal.name,
          url: publicArticleUrl(portal.slug, article.slug),
        })),
      ),
    ),
  );
  return pages.flat().slice(0, 20);
}

/** What goes into the reply: Chatwoot's plain editor inserts "Read more" and the article's link. */
export const articleSnippet = (found: FoundArticle) => `Read more: ${found.url}`;

/**
 * The reply box's "Insert article" (Chatwoot's ArticleSearch popover): search the account's
 * published articles and put one's public link into the reply. Shown only with the help center.
 */
export function ArticlePicker({ accountId, onInsert }: { accountId: number; onInsert(text: string): void }) {
  const enabled = useHelpCenterEnabled(accountId);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<FoundArticle[] | undefined>(undefined);
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    let current = true;
    setError('');
    const timer = setTimeout(() => {
      searchPublished(accountId, query.trim()).then(
        (items) => current && setFound(items),
        (e: Error) => current && setError(e.message),
      );
    }, 200);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [open, query, accountId]);
  useFocusOnShow(open, () => input.current);

  if (!enabled) return null;
  const close = () => {
    setOpen(false);
    setQuery('');
    setFound(undefined);
    opener.current?.focus();
  };
  return (
    <>
      <button
        ref={opener}
        type="button"
        class="insert-article"
        aria-expanded={open}
        aria-controls="article-picker"
        onClick={() => (open ? close() : setOpen(true))}
      >
        Insert article
      </button>
      {open && (
        <div
          class="article-picker"
          id="article-picker"
          role="dialog"
          aria-label="Insert an article"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              close();
            }
          }}
        >
          <label>
            Search articles
            <input
              ref={input}
              type="search"
              value={query}
              onInput={(e) => setQuery(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Enter searches here; it must not send the reply
                if (e.key === 'Enter') e.preventDefault();
              }}
            />
          </label>
          {error && <p role="alert">{error}</p>}
          {!found ? (
            <p role="status">Searching…</p>
          ) : found.length === 0 ? (
            <p role="status">No published article found.</p>
          ) : (
            <ul aria-label="Articles">
              {found.map((item) => (
                <li key={`${item.url}`} data-article={item.article.id}>
                  <div>
                    <strong>{item.article.title}</strong>
                    <span class="muted">
                      {item.portal} · {item.article.locale}
                      {item.article.category.name ? ` · ${item.article.category.name}` : ''}
                    </span>
                  </div>
                  <a href={item.url} target="_blank" rel="noopener noreferrer">
                    Open<span class="visually-hidden"> {item.article.title}</span>
                  </a>
                  <button
                    type="button"
                    onClick={() => {
                      onInsert(articleSnippet(item));
                      close();
                    }}
                  >
                    Insert<span class="visually-hidden"> {item.article.title}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={close}>
            Close
          </button>
        </div>
      )}
    </>
  );
}
