import type { FastifyBodyParser, FastifyRequest } from 'fastify';
import { validationFailed } from '../errors.js';

/**
 * Deepest JSON nesting a request may carry: the json gem's default `max_nesting`, so Rails (and
 * Chatwoot) refuse the same documents as malformed. Deeper values also break JavaScript itself:
 * JSON.parse takes them, but JSON.stringify overflows the stack at a few thousand levels, which
 * would be a 500 wherever such a value is stored as jsonb or echoed back.
 */
export const MAX_JSON_DEPTH = 100;

/** Whether JSON text nests arrays/objects deeper than `max` (a scan; strings are skipped). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Fastify's own error for a malformed JSON body, so the error handler answers it as one (400). */
function tooDeep(): Error {
  return Object.assign(new Error(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`), {
    code: 'FST_ERR_CTP_INVALID_JSON_BODY',
    statusCode: 400,
  });
}

type Done = (error: Error | null, body?: unknown) => void;
type JsonParser = (request: FastifyRequest, body: string, done: Done) => void;

/**
 * Wraps Fastify's default JSON parser (with its prototype-poisoning checks) with the nesting
 * limit. The default parser is the callback form of FastifyBodyParser.
 */
export function boundedJsonParser(defaultParser: FastifyBodyParser<string>): JsonParser {
  const parse = defaultParser as JsonParser;
  return (request, body, done) => (jsonTooDeep(body) ? done(tooDeep()) : parse(request, body, done));
}

/**
 * Where a request value is a number that is not finite, as a path for the error ("page",
 * "profile/account_id"); undefined when there is none.
 *
 * JSON has no Infinity, but ajv's type coercion turns the text "1e400" or "Infinity" into one for
 * an integer or number schema, and then skips that schema's minimum and maximum (its limit checks
 * only look at finite numbers). Such a value would reach PostgreSQL ("Infinity" is no bigint) or
 * Date arithmetic, so it is refused after validation, as a schema failure would be.
 */
export function nonFiniteNumberAt(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return path;
    } else if (Array.isArray(item) || isPlainObject(item)) {
      // parsed JSON, query strings and form fields only: plain data, no cycles (uploads are not walked)
      for (const [key, child] of Object.entries(item)) stack.push([child, path ? `${path}/${key}` : key]);
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** preHandler hook: a non-finite number anywhere in the validated input is a 422, as its schema failure would be. */
export async function rejectNonFiniteNumbers(request: FastifyRequest): Promise<void> {
  for (const part of [request.params, request.query, request.body]) {
    const path = nonFiniteNumberAt(part);
    if (path === undefined) continue;
    const attribute =
      path
        .split('/')
        .filter((segment) => !/^\d+$/.test(segment))
        .at(-1) || 'base';
    throw validationFailed([{ attribute, message: 'is invalid' }]);
  }
}
