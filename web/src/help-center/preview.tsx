import DOMPurify, { type Config } from 'dompurify';
import MarkdownIt from 'markdown-it';
import { useEffect, useRef } from 'preact/hooks';

// The editor's preview of an article: its Markdown rendered as the public page renders it
// (markdown-it with raw HTML on), then sanitised by DOMPurify before it touches the document, so a
// <script>, an on* handler or a javascript: link in an article never runs in the inbox.

const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

/** The tags and attributes the public page's sanitiser drops too, on top of DOMPurify's own list. */
const PURIFY: Config = {
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
  FORBID_ATTR: ['style', 'class'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|tel:|#|\/(?!\/))/i,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/** Markdown as a sanitised fragment. */
export function renderPreview(content: string): DocumentFragment {
  return DOMPurify.sanitize(markdown.render(content), { ...PURIFY, RETURN_DOM_FRAGMENT: true });
}

export function ArticlePreview({ content }: { content: string }) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    target.current?.replaceChildren(renderPreview(content));
  }, [content]);
  return <div class="hc-preview" ref={target} aria-label="Preview" role="document" />;
}
