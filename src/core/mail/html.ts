/** The five characters HTML gives meaning to, escaped: text of a mail's HTML part. */
export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A mail's HTML part around its body. */
export const mailPage = (body: string) => `<!doctype html>\n<html><body>\n${body}\n</body></html>\n`;
