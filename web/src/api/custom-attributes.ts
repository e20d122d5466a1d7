import { request } from './http.js';

/** A custom attribute definition (GET /custom_attribute_definitions). */
export interface AttributeDefinition {
  id: number;
  attribute_display_name: string;
  attribute_key: string;
  attribute_display_type: string;
  attribute_values: string[];
  attribute_description?: string | null;
}

/** The account's definitions for contacts or for conversations. */
export const listAttributeDefinitions = (accountId: number, model: 'contact_attribute' | 'conversation_attribute') =>
  request<AttributeDefinition[]>(
    'GET',
    `/api/v1/accounts/${accountId}/custom_attribute_definitions?attribute_model=${model}`,
  );
