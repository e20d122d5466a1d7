import { boundedJsonParser } from '../core/http/input-guards.js';
import type { App } from '../core/http/types.js';

/**
 * Request bodies the way Rails reads them for Chatwoot's PublicController, within the Client API
 * scope only: an empty JSON body is no params (the demo client and the Flutter SDK POST without a
 * body), and form-encoded bodies work too (`name=Jo&custom_attributes[plan]=pro`).
 */
export function registerPublicBodyParsers(scope: App): void {
  const json = boundedJsonParser(scope.getDefaultJsonParser('error', 'error'));
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if ((body as string).trim() === '') return done(null, {});
    return json(request, body as string, done);
  });
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, parseFormBody(body as string));
  });
}

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Rack's nesting, one level deep: `a=1`, `a[]=1&a[]=2`, `a[b]=1`. */
export function parseFormBody(raw: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    const match = /^([^[\]]+)(?:\[([^[\]]*)\])?$/.exec(key);
    if (!match) continue;
    const [, name, inner] = match as unknown as [string, string, string | undefined];
    if (UNSAFE.has(name) || (inner && UNSAFE.has(inner))) continue;
    if (inner === undefined) {
      out[name] = value;
    } else if (inner === '') {
      const list = out[name];
      out[name] = Array.isArray(list) ? [...list, value] : [value];
    } else {
      const hash = out[name];
      out[name] = { ...(hash && typeof hash === 'object' && !Array.isArray(hash) ? hash : {}), [inner]: value };
    }
  }
  return out;
}
