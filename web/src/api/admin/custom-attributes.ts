import { request } from '../http.js';

export const DISPLAY_TYPES = ['text', 'number', 'currency', 'percent', 'link', 'date', 'list', 'checkbox'] as const;
export const ATTRIBUTE_MODELS = ['conversation_attribute', 'contact_attribute'] as const;

/** `_custom_attribute_definition.json.jbuilder`. */
export interface CustomAttribute {
  id: number;
  attribute_display_name: string;
  attribute_display_type: (typeof DISPLAY_TYPES)[number];
  attribute_description: string | null;
  attribute_key: string;
  attribute_values: unknown[];
  attribute_model: (typeof ATTRIBUTE_MODELS)[number];
}

export type CustomAttributeInput = Partial<Omit<CustomAttribute, 'id'>>;

const path = (accountId: number) => `/api/v1/accounts/${accountId}/custom_attribute_definitions`;

export const listCustomAttributes = (accountId: number) => request<CustomAttribute[]>('GET', path(accountId));
export const createCustomAttribute = (accountId: number, input: CustomAttributeInput) =>
  request<CustomAttribute>('POST', path(accountId), { custom_attribute_definition: input });
export const deleteCustomAttribute = (accountId: number, id: number) =>
  request<unknown>('DELETE', `${path(accountId)}/${id}`);
export const updateCustomAttribute = (accountId: number, id: number, input: CustomAttributeInput) =>
  request<CustomAttribute>('PATCH', `${path(accountId)}/${id}`, { custom_attribute_definition: input });
