// markdown-it and sanitize-html (which brings postcss) are about a tenth of the server's bundle:
// they are loaded by the first article page a node renders, not by every start of every node.
let renderer: Promise<typeof import('./markdown-render.js')> | undefined;

/** Article content (Markdown, possibly with HTML) as safe HTML for a public page. */
export async function renderArticle(content: string | null): Promise<string> {
  if (!content) return '';
  renderer ??= import('./markdown-render.js');
  return (await renderer).renderMarkdown(content);
}
