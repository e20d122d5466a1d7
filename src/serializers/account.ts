// Mirrors app/views/platform/api/v1/models/_account.json.jbuilder (Platform API).
import { Type, type Static } from 'typebox';
import { enabledFeatures } from '../accounts/features.js';
import type { Account } from '../db/schema.js';
import { ACCOUNT_STATUSES, enumName } from './enums.js';

const FeatureMap = Type.Record(Type.String(), Type.Boolean(), { description: 'Enabled features only, each true' });

export const PlatformAccountSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  locale: Type.String(),
  domain: Type.Union([Type.String(), Type.Null()]),
  support_email: Type.Union([Type.String(), Type.Null()]),
  features: FeatureMap,
  enabled_features: Type.Optional(FeatureMap),
  custom_attributes: Type.Record(Type.String(), Type.Unknown()),
  limits: Type.Record(Type.String(), Type.Unknown()),
  status: Type.Enum(ACCOUNT_STATUSES),
}, { title: 'PlatformAccount' });

export type PlatformAccountJson = Static<typeof PlatformAccountSchema>;

/**
 * Chatwoot renamed `enabled_features` to `features` in this partial; both carry the same map
 * here so clients written against either version find it.
 */
export function platformAccountJson(account: Account): PlatformAccountJson {
  const features = enabledFeatures(account.features);
  return {
    id: account.id,
    name: account.name,
    locale: account.locale,
    domain: account.domain,
    support_email: account.support_email,
    features,
    enabled_features: features,
    custom_attributes: account.custom_attributes,
    limits: account.limits,
    status: enumName(ACCOUNT_STATUSES, account.status),
  };
}
