/**
 * Account feature flags, named as in Chatwoot's config/features.yml, with the default a new
 * account gets. Chatwoot renders an account's features as a name -> boolean map.
 */
export const FEATURE_DEFAULTS: Readonly<Record<string, boolean>> = Object.freeze({
  inbound_emails: true,
  channel_email: true,
  channel_facebook: true,
  channel_twitter: true,
  ip_lookup: false,
  disable_branding: false,
  email_continuity_on_api_channel: false,
  help_center: true,
  agent_bots: true,
  macros: true,
  agent_management: true,
  team_management: true,
  inbox_management: true,
  labels: true,
  custom_attributes: true,
  automations: true,
  canned_responses: true,
  integrations: true,
  voice_recorder: true,
  channel_website: true,
  campaigns: false,
  reports: true,
  crm: true,
  auto_resolve_conversations: true,
  custom_reply_email: false,
  custom_reply_domain: false,
  audit_logs: false,
  inbox_view: false,
  sla: false,
  linear_integration: false,
  captain_integration: false,
  custom_roles: false,
  chatwoot_v4: true,
  channel_instagram: true,
  crm_integration: false,
  notion_integration: false,
  whatsapp_embedded_signup: false,
  whatsapp_campaign: false,
});

/**
 * Applies `{feature: enabled}` toggles the way Chatwoot's platform controller does
 * (enable_features / disable_features per key). Unknown names are ignored, as Chatwoot's
 * FlagShihTzu ignores flags it does not define.
 */
export function applyFeatureToggles(current: Record<string, boolean>, toggles: Record<string, unknown> | undefined) {
  const next = { ...FEATURE_DEFAULTS, ...current };
  for (const [name, value] of Object.entries(toggles ?? {})) {
    if (!(name in FEATURE_DEFAULTS)) continue;
    next[name] = value === true || value === 'true' || value === 1 || value === '1';
  }
  return next;
}

/** Only the enabled ones, as Chatwoot's `enabled_features`. */
export function enabledFeatures(features: Record<string, boolean>): Record<string, boolean> {
  return Object.fromEntries(Object.entries({ ...FEATURE_DEFAULTS, ...features }).filter(([, on]) => on));
}
