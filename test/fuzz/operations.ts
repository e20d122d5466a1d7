import fc from 'fast-check';
import { DeepJson, hostile, objectFor, toJson, valueFor, type Hints, type JsonSchema } from './arbitraries.js';
import type { World } from './world.js';

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema: JsonSchema;
}
interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: Record<string, unknown>[];
}
export interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

export interface Operation {
  method: string;
  path: string;
  spec: OpenApiOperation;
}

/** A request as the fuzzer sends it; `body` is JSON unless `form` is set. */
export interface FuzzRequest {
  method: string;
  url: string;
  token?: string;
  body?: unknown;
  form?: { fields: [string, string][]; file?: { field: string; name: string; content: string } };
}

/**
 * Operations whose success takes away what later operations need (the administrator's token, the
 * fixture's contact), run last; DELETEs of whole resources run after the rest and name spares.
 */
const LAST = ['/profile/reset_access_token', '/actions/contact_merge', '/auth/sign_out'];
function rank({ method, path, spec }: Operation): number {
  if (LAST.some((suffix) => path.endsWith(suffix))) return 3;
  if (method === 'delete') return spec.requestBody ? 1 : 2;
  return 0;
}

export function operationsOf(api: OpenApi): Operation[] {
  const ops = Object.entries(api.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, spec]) => ({ method, path, spec })),
  );
  return ops.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

/**
 * Request values /openapi.json leaves unbounded: strings without maxLength, numbers without both
 * minimum and maximum (enums and constants are bounded by their values; free JSON by the body
 * limit and the nesting limit). Path parameters are bounded by the router (maxParamLength).
 */
export function unboundedValues(api: OpenApi): string[] {
  const found = new Set<string>();
  const walk = (schema: JsonSchema | undefined, where: string) => {
    if (!schema || schema.enum || schema.const !== undefined) return;
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    if (types.includes('string') && schema.maxLength === undefined) found.add(`${where}: string without maxLength`);
    if (
      (types.includes('integer') || types.includes('number')) &&
      (schema.minimum === undefined || schema.maximum === undefined)
    )
      found.add(`${where}: number without a range`);
    for (const [key, property] of Object.entries(schema.properties ?? {})) walk(property, `${where}.${key}`);
    walk(schema.items, `${where}[]`);
    for (const branch of [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) walk(branch, where);
  };
  for (const op of operationsOf(api)) {
    const name = `${op.method.toUpperCase()} ${op.path}`;
    for (const parameter of op.spec.parameters ?? [])
      if (parameter.in !== 'path') walk(parameter.schema, `${name} ${parameter.in} ${parameter.name}`);
    for (const [type, { schema }] of Object.entries(op.spec.requestBody?.content ?? {}))
      walk(schema, `${name} ${type} body`);
  }
  return [...found];
}

/** Path values that are not ids: past int8, negative, not numbers, near find-my-way's 500-char limit. */
const HOSTILE_PATH = [
  '9223372036854775808',
  '2147483648',
  '-1',
  '0',
  '1.5',
  'abc',
  '%00',
  'a'.repeat(490),
  '１２',
  '1e3',
  ' 1',
];

/** The real object a path parameter names: the spare for a DELETE that would remove it. */
function realParam(op: Operation, name: string, world: World): string {
  const segments = op.path.split('/');
  const position = segments.indexOf(`{${name}}`);
  if (op.path.startsWith('/public/')) {
    const p = world.publicIds;
    if (name === 'inbox_identifier') return p.inbox_identifier;
    if (name === 'contact_identifier') return p.contact_identifier;
    if (name === 'conversation_id') return p.conversation;
    if (segments[position - 1] === 'csat_survey') return p.csat;
    return segments[position - 1] === 'messages' ? p.message : p.conversation;
  }
  const byName: Record<string, string> = {
    account_id: 'accounts',
    contact_id: 'contacts',
    team_id: 'teams',
    conversation_id: 'conversations',
    inbox_id: 'inboxes',
    delivery_id: 'deliveries',
  };
  let collection = byName[name] ?? segments[position - 1] ?? '';
  if (collection === 'agent_bots' && op.path.startsWith('/platform/')) collection = 'platform:agent_bots';
  const isLast = position === segments.length - 1;
  const destroys = op.method === 'delete' && !op.spec.requestBody && isLast;
  return (destroys ? world.victims[collection] : undefined) ?? world.ids[collection] ?? 'x';
}

const asQueryValue = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? toJson(value) : String(value);
/**
 * Query values stay short enough that a dozen of them fit Node's 16 kB header limit (past it Node
 * answers 431 before any route runs); 1,000 characters are still past every declared bound.
 */
const asQueryParam = (value: unknown) => asQueryValue(value).slice(0, 1_000);

function formOf(body: unknown): [string, string][] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [['content', asQueryValue(body)]];
  return Object.entries(body).flatMap(([key, value]) =>
    Array.isArray(value)
      ? value.map((item): [string, string] => [`${key}[]`, asQueryValue(item)])
      : [[key, asQueryValue(value)]],
  );
}

const fileArb = (field: string) =>
  fc.record({
    field: fc.constant(field),
    name: fc.constantFrom('a.png', `${'n'.repeat(3_000)}.png`, 'ü ✓.txt', '../../etc/passwd', ''),
    content: fc.constantFrom(
      'id,name,email,identifier\n1,Ann,ann@example.com,ann',
      `name,identifier,email\n${'a'.repeat(3_000)},${'b'.repeat(3_000)},x@example.com\n`,
      '\u00ff\u00fe',
    ),
  });

/** An arbitrary request for one operation, as the account's administrator (or the platform app). */
export function requestFor(op: Operation, world: World): fc.Arbitrary<FuzzRequest> {
  const hints: Hints = { knownIds: world.knownIds };
  const params = op.spec.parameters ?? [];
  const pathArbs: Record<string, fc.Arbitrary<string>> = {};
  // from the template: a route whose params schema names only `id` still has `{account_id}`
  for (const [, name] of op.path.matchAll(/\{(\w+)\}/g)) {
    pathArbs[name!] = fc.oneof(
      { weight: 6, arbitrary: fc.constant(realParam(op, name!, world)) },
      { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_PATH) },
    );
  }
  const queryArbs: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of params.filter((x) => x.in === 'query')) queryArbs[p.name] = valueFor(p.schema, p.name, hints);
  const content = op.spec.requestBody?.content ?? {};
  const json = content['application/json']?.schema;
  const bodyArb: fc.Arbitrary<unknown> = json
    ? fc.oneof({ weight: 6, arbitrary: objectFor(json, hints) }, { weight: 1, arbitrary: hostile })
    : fc.constant(undefined);
  const multipart = 'multipart/form-data' in content || op.path.endsWith('/contacts/import');
  const formArb = multipart
    ? fc.option(
        fc.record({
          fields: bodyArb.map(formOf),
          file: fc.option(fileArb(op.path.endsWith('/import') ? 'import_file' : 'attachments[]'), { nil: undefined }),
        }),
        { nil: undefined, freq: 2 },
      )
    : fc.constant(undefined);
  const security = JSON.stringify(op.spec.security ?? []);
  const token = security.includes('platformAppToken')
    ? world.platformToken
    : security.includes('userToken')
      ? world.fx.admin.access_token
      : undefined;

  return fc
    .record({
      path: fc.record(pathArbs),
      query: fc.record(queryArbs, { requiredKeys: [] }),
      body: bodyArb,
      form: formArb,
    })
    .map(({ path, query, body, form }) => {
      const filled = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
        encodeURIComponent(path[name] ?? 'x').replace(/%2500/g, '%00'),
      );
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (Array.isArray(value)) for (const item of value) search.append(`${key}[]`, asQueryParam(item));
        else search.append(key, asQueryParam(value));
      }
      const qs = search.toString();
      return {
        method: op.method.toUpperCase(),
        url: qs ? `${filled}?${qs}` : filled,
        token,
        ...(form ? { form } : { body }),
      };
    });
}

/** Sends a fuzzed request; bodies only where fetch allows them. */
export async function send(baseUrl: string, req: FuzzRequest): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  if (req.token) headers.api_access_token = req.token;
  let body: string | FormData | undefined;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (req.form) {
      const form = new FormData();
      for (const [key, value] of req.form.fields) form.append(key, value);
      if (req.form.file) form.append(req.form.file.field, new Blob([req.form.file.content]), req.form.file.name);
      body = form;
    } else if (req.body !== undefined) {
      body = toJson(req.body);
      headers['content-type'] = 'application/json';
    }
  }
  const response = await fetch(new URL(req.url, baseUrl), { method: req.method, headers, body });
  return { status: response.status, text: await response.text() };
}

/** A value shortened for a message: long strings cut, deep nesting and long lists summarised. */
function summarise(value: unknown, depth = 0): unknown {
  if (value instanceof DeepJson) return `…(JSON nested ${value.depth} deep)`;
  if (typeof value === 'string') return value.length > 60 ? `${value.slice(0, 20)}…(${value.length} chars)` : value;
  if (!value || typeof value !== 'object') return value;
  if (depth > 4) return '…(nested deeper)';
  if (Array.isArray(value)) return value.slice(0, 5).map((item) => summarise(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, summarise(item, depth + 1)]));
}

/** A request shortened for a failure message. */
export function describe(req: FuzzRequest): string {
  const text = JSON.stringify(
    summarise({
      ...req,
      token: req.token ? '[token]' : undefined,
      url: req.url.length > 200 ? `${req.url.slice(0, 200)}…` : req.url,
    }),
  );
  return text.length > 1_500 ? `${text.slice(0, 1_500)}…` : text;
}
