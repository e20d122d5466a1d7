// Mirrors app/views/platform/api/v1/models/_account.json.jbuilder (Platform API).
import { Type, type Static } from 'typebox';
import { enabledFeatures } from '../core/db/account-features.js';
import type { Account } from '../core/db/schema.js';
import { ACCOUNT_STATUSES, enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';

const FeatureMap = Type.Record(Type.String(), Type.Boolean(), { description: 'Enabled features only, each true' });

export const PlatformAccountSchema = Type.Object(
  {
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
  },
  { title: 'PlatformAccount' },
);

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

// Mirrors app/views/api/v1/models/_account.json.jbuilder (Application API, GET /api/v1/accounts/:id).
export const CacheKeysSchema = Type.Object({ label: Type.String(), inbox: Type.String(), team: Type.String() });

export const AccountSchema = Type.Object(
  {
    settings: Type.Record(Type.String(), Type.Unknown()),
    created_at: Type.String(),
    custom_attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    domain: Type.Union([Type.String(), Type.Null()]),
    features: FeatureMap,
    id: Type.Integer(),
    locale: Type.String(),
    name: Type.String(),
    support_email: Type.Union([Type.String(), Type.Null()]),
    status: Type.Enum(ACCOUNT_STATUSES),
    cache_keys: CacheKeysSchema,
    auto_resolve_duration: Type.Union([Type.Integer(), Type.Null()], { description: 'Older Chatwoot key; days' }),
    latest_chatwoot_version: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { title: 'Account' },
);

export type CacheKeys = Static<typeof CacheKeysSchema>;

export function accountJson(account: Account, cacheKeys: CacheKeys): Static<typeof AccountSchema> {
  return {
    settings: account.settings,
    created_at: isoTime(account.created_at)!,
    // the plan keys are always present once the object is (jbuilder emits them with nil)
    ...(Object.keys(account.custom_attributes).length
      ? {
          custom_attributes: {
            plan_name: null,
            subscribed_quantity: null,
            subscription_status: null,
            subscription_ends_on: null,
            ...account.custom_attributes,
          },
        }
      : {}),
    domain: account.domain,
    features: enabledFeatures(account.features),
    id: account.id,
    locale: account.locale,
    name: account.name,
    support_email: account.support_email,
    status: enumName(ACCOUNT_STATUSES, account.status),
    cache_keys: cacheKeys,
    auto_resolve_duration: account.auto_resolve_duration,
  };
}
