import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Article content is Markdown, which may carry HTML (Chatwoot's editor writes some). markdown-it
// renders it with raw HTML on; sanitize-html then keeps only an allowlist of tags and attributes,
// so no script, event handler, style, frame, form or javascript: URL ever reaches a page.
const markdown = new MarkdownIt({ html: true, linkify: true, typographer: false });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'style'),
    'img',
    'h1',
    'h2',
    'del',
    'ins',
    'details',
    'summary',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'name', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    code: ['class'],
    th: ['align', 'colspan', 'rowspan'],
    td: ['align', 'colspan', 'rowspan'],
    ol: ['start'],
    h1: ['id'],
    h2: ['id'],
    h3: ['id'],
    h4: ['id'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow' }),
  },
};

/** Article content (Markdown, possibly with HTML) as safe HTML for a public page. */
export function renderMarkdown(content: string): string {
  return sanitizeHtml(markdown.render(content), SANITIZE);
}
