import { request } from '../http.js';

// The account's enabled features (GET /api/v1/accounts/:id `features`), which decide which settings
// screens show: Confab reports only the features it serves, as Chatwoot's dashboard reads them.

export const getAccountFeatures = (accountId: number) =>
  request<{ features?: Record<string, boolean> }>('GET', `/api/v1/accounts/${accountId}`).then((b) => b.features ?? {});

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

export const listSlaPolicies = (accountId: number) =>
  request<{ payload: SlaPolicy[] }>('GET', `${base(accountId)}/sla_policies`).then((b) => b.payload);
export const createSlaPolicy = (accountId: number, policy: Omit<SlaPolicy, 'id'>) =>
  request<unknown>('POST', `${base(accountId)}/sla_policies`, { sla_policy: policy });
export const deleteSlaPolicy = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${base(accountId)}/sla_policies/${id}`);
