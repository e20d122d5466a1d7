import { request } from '../http.js';

// The account's enabled features (GET /api/v1/accounts/:id `features`), which decide which settings
// screens show: Confab reports only the features it serves, as Chatwoot's dashboard reads them.

export const getAccountFeatures = (accountId: number) =>
  request<{ features?: Record<string, boolean> }>('GET', `/api/v1/accounts/${accountId}`).then((b) => b.features ?? {});

/** A macro (`_macro.json.jbuilder`): actions run on a conversation in one click. */
export interface Macro {
  id: number;
  name: string;
  visibility: 'personal' | 'global';
  actions: Array<{ action_name: string; action_params?: unknown[] }>;
}

/** An automation rule (`_automation_rule.json.jbuilder`). */
export interface AutomationRule {
  id: number;
  name: string;
  description: string | null;
  event_name: string;
  conditions: unknown[];
  actions: Array<{ action_name: string; action_params?: unknown[] }>;
  active: boolean;
}

/** An SLA policy (`_sla_policy.json.jbuilder`); thresholds in seconds. */
export interface SlaPolicy {
  id: number;
  name: string;
  description: string | null;
  first_response_time_threshold: number | null;
  next_response_time_threshold: number | null;
  resolution_time_threshold: number | null;
  only_during_business_hours: boolean;
}

const base = (accountId: number) => `/api/v1/accounts/${accountId}`;

export const listMacros = (accountId: number) =>
  request<{ payload: Macro[] }>('GET', `${base(accountId)}/macros`).then((b) => b.payload);
export const createMacro = (accountId: number, macro: Omit<Macro, 'id'>) =>
  request<unknown>('POST', `${base(accountId)}/macros`, macro);
export const deleteMacro = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${base(accountId)}/macros/${id}`);

export const listAutomationRules = (accountId: number) =>
  request<{ payload: AutomationRule[] }>('GET', `${base(accountId)}/automation_rules`).then((b) => b.payload);
export const createAutomationRule = (accountId: number, rule: Omit<AutomationRule, 'id'>) =>
  request<unknown>('POST', `${base(accountId)}/automation_rules`, rule);
export const deleteAutomationRule = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${base(accountId)}/automation_rules/${id}`);

export const listSlaPolicies = (accountId: number) =>
  request<{ payload: SlaPolicy[] }>('GET', `${base(accountId)}/sla_policies`).then((b) => b.payload);
export const createSlaPolicy = (accountId: number, policy: Omit<SlaPolicy, 'id'>) =>
  request<unknown>('POST', `${base(accountId)}/sla_policies`, { sla_policy: policy });
export const deleteSlaPolicy = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${base(accountId)}/sla_policies/${id}`);
