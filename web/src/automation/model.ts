import type { ActionFile, RuleAction, RuleCondition } from '../api/automation-rules.js';
import {
  ACTION_TYPES,
  type ConditionSpec,
  type CustomModel,
  conditionId,
  customCondition,
  EVENTS,
  eventOf,
  PRESENCE,
} from './catalog.js';

// The editors' rows and their conversion to and from what the API stores. A row keeps what the
// person typed (a comma-separated text stays text) and becomes Chatwoot's payload only on save.

export interface ConditionRow {
  key: string;
  /** Set when the key is one of the account's custom attributes: whose it is. */
  custom?: CustomModel;
  operator: string;
  /** The text or the chosen option's value. */
  value: string;
  /** How this row joins the next one. */
  join: 'and' | 'or';
}

export interface ActionRow {
  name: string;
  /** A chosen id, a text, a URL, a status or priority. */
  value: string;
  /** Chosen labels, or teams of send_email_to_team. */
  list: string[];
  /** send_attachment: the name of the file its value (a blob's id or signed id) names. */
  file?: string;
}

/**
 * What an event's conditions may read: its own attributes, then the account's custom ones, then
 * any custom key `rows` name that is not (or not yet) among them, as text, so a stored rule shows
 * what it reads while the definitions load or after one was deleted.
 */
export function conditionSpecs(
  event: string,
  customs: readonly ConditionSpec[],
  rows: readonly ConditionRow[] = [],
): ConditionSpec[] {
  const specs = [...eventOf(event).conditions, ...customs];
  for (const row of rows) {
    if (row.custom && !specOf(specs, row))
      specs.push(
        customCondition(
          { attribute_key: row.key, attribute_display_name: row.key, attribute_display_type: 'text' },
          row.custom,
        ),
      );
  }
  return specs;
}

export const specOf = (specs: readonly ConditionSpec[], row: { key: string; custom?: CustomModel }) =>
  specs.find((s) => conditionId(s) === conditionId(row));

export function newCondition(spec: ConditionSpec): ConditionRow {
  return { key: spec.key, custom: spec.custom, operator: spec.operators[0]!, value: '', join: 'and' };
}

export const newAction = (name: string): ActionRow => ({ name, value: '', list: [] });

/** Every event's own attribute keys. */
const STANDARD_KEYS = new Set(EVENTS.flatMap((e) => e.conditions.map((c) => c.key)));

/** A stored custom_attribute_type; a key that is no standard attribute is the contact's when none is stored. */
function customOf(c: RuleCondition): CustomModel | undefined {
  if (c.custom_attribute_type === 'conversation_attribute' || c.custom_attribute_type === 'contact_attribute')
    return c.custom_attribute_type;
  // ConditionsFilterService reads a custom key without a type as the contact's
  return STANDARD_KEYS.has(c.attribute_key) ? undefined : 'contact_attribute';
}

/** Stored conditions as rows (values of a comma-separated attribute joined back into one text). */
export function conditionRows(conditions: readonly RuleCondition[]): ConditionRow[] {
  return conditions.map((c) => {
    const values = Array.isArray(c.values) ? c.values : [];
    return {
      key: c.attribute_key,
      custom: customOf(c),
      operator: c.filter_operator,
      value: c.attribute_key === 'content' ? values.join(', ') : String(values[0] ?? ''),
      join: String(c.query_operator ?? 'and').toLowerCase() === 'or' ? 'or' : 'and',
    };
  });
}

const ID_INPUTS = new Set(['inbox', 'agent', 'team']);

/** One row's values as Chatwoot stores them (ids and numbers as numbers, a checkbox as a boolean). */
function valuesOf(spec: ConditionSpec | undefined, row: ConditionRow): Array<string | number | boolean> {
  if (spec?.input === 'comma')
    return row.value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const text = row.value.trim();
  if (!text) return [];
  if (spec?.input === 'checkbox') return [text === 'true'];
  if (row.operator === 'days_before' || spec?.input === 'number' || (spec && ID_INPUTS.has(spec.input))) {
    const number = Number(text);
    return Number.isFinite(number) ? [number] : [text];
  }
  return [text];
}

/** Rows as the API's conditions; the last one's query_operator is null. Throws on an empty value. */
export function conditionsOf(specs: readonly ConditionSpec[], rows: readonly ConditionRow[]): RuleCondition[] {
  return rows.map((row, i) => {
    const spec = specOf(specs, row);
    const values = PRESENCE.has(row.operator) ? [] : valuesOf(spec, row);
    if (!PRESENCE.has(row.operator) && values.length === 0)
      throw new Error(`Condition ${i + 1} (${spec?.label ?? row.key}) needs a value`);
    return {
      attribute_key: row.key,
      filter_operator: row.operator,
      values,
      query_operator: i === rows.length - 1 ? null : row.join,
      ...(row.custom ? { custom_attribute_type: row.custom } : {}),
    };
  });
}

/** Stored actions as rows; `files` (the record's) name the blobs of send_attachment actions. */
export function actionRows(actions: readonly RuleAction[], files: readonly ActionFile[] = []): ActionRow[] {
  return actions.map((a) => {
    const params = Array.isArray(a.action_params) ? a.action_params : [];
    const input = ACTION_TYPES[a.action_name]?.input;
    if (input === 'attachment') {
      const id = params[0] === undefined || params[0] === null ? '' : String(params[0]);
      return { name: a.action_name, value: id, list: [], file: files.find((f) => String(f.blob_id) === id)?.filename };
    }
    if (input === 'labels') return { name: a.action_name, value: '', list: params.map(String) };
    if (input === 'team_message') {
      const p = (params[0] ?? {}) as { team_ids?: unknown[]; message?: unknown };
      return { name: a.action_name, value: String(p.message ?? ''), list: (p.team_ids ?? []).map(String) };
    }
    return {
      name: a.action_name,
      value: params[0] === undefined || params[0] === null ? '' : String(params[0]),
      list: [],
    };
  });
}

/** Rows as the API's actions. Throws when an action lacks what it needs. */
export function actionsOf(rows: readonly ActionRow[]): RuleAction[] {
  return rows.map((row, i) => {
    const type = ACTION_TYPES[row.name];
    const missing = () => new Error(`Action ${i + 1} (${type?.label ?? row.name}) needs a value`);
    switch (type?.input) {
      case undefined:
      case 'none':
        return { action_name: row.name };
      case 'labels':
        if (row.list.length === 0) throw missing();
        return { action_name: row.name, action_params: row.list };
      case 'team_message':
        if (row.list.length === 0 || !row.value.trim()) throw missing();
        return { action_name: row.name, action_params: [{ team_ids: row.list.map(Number), message: row.value }] };
      case 'attachment':
      case 'agent':
      case 'team':
      case 'sla': {
        if (!row.value) throw missing();
        const id = Number(row.value);
        return { action_name: row.name, action_params: [Number.isInteger(id) ? id : row.value] };
      }
      default:
        if (!row.value.trim()) throw missing();
        return { action_name: row.name, action_params: [type?.input === 'message' ? row.value : row.value.trim()] };
    }
  });
}

/** Names of the ids actions hold (agents, teams), for their description. */
export type IdNames = Partial<Record<'agent' | 'team', ReadonlyMap<string, string>>>;

/** "Add labels: billing, vip; Assign a team: Billing" for a list (ids and files shown by name when known). */
export function describeActions(
  actions: readonly RuleAction[],
  names: IdNames = {},
  files: readonly ActionFile[] = [],
): string {
  const fileNames = new Map(files.map((f) => [String(f.blob_id), f.filename]));
  return actions
    .map((a) => {
      const type = ACTION_TYPES[a.action_name];
      const label = type?.label ?? a.action_name;
      const known =
        type?.input === 'agent' || type?.input === 'team'
          ? names[type.input]
          : type?.input === 'attachment'
            ? fileNames
            : undefined;
      const params = (a.action_params ?? [])
        .filter((p) => typeof p === 'string' || typeof p === 'number')
        .map((p) => known?.get(String(p)) ?? p);
      return params.length ? `${label}: ${params.join(', ')}` : label;
    })
    .join('; ');
}
