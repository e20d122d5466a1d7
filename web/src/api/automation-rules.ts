import { request } from './http.js';

// The automation rules resource (Chatwoot's dashboard/api/automation.js): administrators only.

/** One condition as Chatwoot stores it; `query_operator` joins it to the next one (null on the last). */
export interface RuleCondition {
  attribute_key: string;
  filter_operator: string;
  values: Array<string | number | boolean>;
  query_operator: 'and' | 'or' | null;
  /** A custom attribute's owner: conversation_attribute or contact_attribute. */
  custom_attribute_type?: string;
}

/** One action: its name and params (ids, titles, a text, or `{team_ids, message}`). */
export interface RuleAction {
  action_name: string;
  action_params?: unknown[];
}

/** A file a send_attachment action sends (the partial's `files`, AutomationRule#file_base_data). */
export interface ActionFile {
  blob_id: number;
  filename: string;
  file_url: string;
}

/** An automation rule (`_automation_rule.json.jbuilder`). */
export interface AutomationRule {
  id: number;
  name: string;
  description: string | null;
  event_name: string;
  conditions: RuleCondition[];
  actions: RuleAction[];
  active: boolean;
  /** Present when a send_attachment action names a file. */
  files?: ActionFile[];
}

export type RuleFields = Omit<AutomationRule, 'id' | 'files'>;

const base = (accountId: number) => `/api/v1/accounts/${accountId}/automation_rules`;

export const listAutomationRules = (accountId: number) =>
  request<{ payload: AutomationRule[] }>('GET', base(accountId)).then((b) => b.payload);

export const createAutomationRule = (accountId: number, rule: RuleFields) =>
  request<{ payload: AutomationRule }>('POST', base(accountId), rule).then((b) => b.payload);

/** PATCH: only the fields given change (toggling `active` sends just that). */
export const updateAutomationRule = (accountId: number, id: number, rule: Partial<RuleFields>) =>
  request<{ payload: AutomationRule }>('PATCH', `${base(accountId)}/${id}`, rule).then((b) => b.payload);

export const deleteAutomationRule = (accountId: number, id: number) => request('DELETE', `${base(accountId)}/${id}`);

/** POST /:id/clone: a copy under the same name. */
export const cloneAutomationRule = (accountId: number, id: number) =>
  request<{ payload: AutomationRule }>('POST', `${base(accountId)}/${id}/clone`).then((b) => b.payload);

/**
 * POST /upload (multipart `attachment`), as the dashboard's automation and macro editors store a
 * send_attachment file before saving: the rule or macro then names the blob by its signed id.
 */
export async function uploadActionFile(accountId: number, file: File) {
  const form = new FormData();
  form.append('attachment', file);
  return request<{ blob_key: string; blob_id: number; file_url: string }>(
    'POST',
    `/api/v1/accounts/${accountId}/upload`,
    form,
  );
}
