/**
 * Account feature flags, named as in Chatwoot's config/features.yml: the default a new account
 * gets, and whether Confab serves the screens and routes behind the flag. The dashboard and the
 * mobile app show a screen only when its flag is on, so a flag Confab does not serve is never
 * reported on, whatever is stored: turning a feature on for everyone is flipping `served` here.
 */
interface FeatureFlag {
  /** config/features.yml `enabled`: what a new account starts with. */
  readonly default: boolean;
  /** Confab has the routes the flag's screens call. */
  readonly served: boolean;
}

const flag = (defaultOn: boolean, served: boolean): FeatureFlag => ({ default: defaultOn, served });

/** In features.yml's order. */
export const FEATURES: Readonly<Record<string, FeatureFlag>> = Object.freeze({
  inbound_emails: flag(true, false), // no email channel
  channel_email: flag(true, false),
  channel_facebook: flag(true, false),
  channel_twitter: flag(true, false),
  ip_lookup: flag(false, false),
  disable_branding: flag(false, false), // a widget setting; no web widget
  email_continuity_on_api_channel: flag(false, false),
  help_center: flag(true, true), // portals, categories, articles, the public pages at /hc/:slug
  agent_bots: flag(true, true),
  macros: flag(true, true),
  agent_management: flag(true, true),
  team_management: flag(true, true),
  inbox_management: flag(true, true), // API channel inboxes
  labels: flag(true, true),
  custom_attributes: flag(true, true),
  automations: flag(true, true), // automation rules: CRUD, clone, runs; state actions
  canned_responses: flag(true, true),
  integrations: flag(true, false), // /integrations/apps and hooks
  voice_recorder: flag(true, true), // audio attachments on messages
  channel_website: flag(true, false), // no web widget
  campaigns: flag(false, false),
  reports: flag(true, true), // reporting events written with their cause; the v1 conversation events, v2 reports
  crm: flag(true, true), // contacts, notes, import and export
  auto_resolve_conversations: flag(true, true), // a job resolves inactive conversations every minute
  custom_reply_email: flag(false, false),
  custom_reply_domain: flag(false, false),
  audit_logs: flag(false, false),
  inbox_view: flag(false, true), // the notifications API
  sla: flag(false, true), // SLA policies, applied SLAs and their reports, misses checked on time
  linear_integration: flag(false, false),
  captain_integration: flag(false, false),
  custom_roles: flag(false, false),
  chatwoot_v4: flag(true, true), // the dashboard's layout, no routes of its own
  channel_instagram: flag(true, false),
  crm_integration: flag(false, false),
  notion_integration: flag(false, false),
  whatsapp_embedded_signup: flag(false, false),
  whatsapp_campaign: flag(false, false),
  companies: flag(false, true), // companies CRUD and search, contacts linked by their e-mail's domain
  assignment_v2: flag(false, true), // assignment and agent capacity policies, the V2 assignment job
  advanced_assignment: flag(false, true), // V2's balanced order, agent capacity and exclusion rules
});

/** What a new account stores, as Chatwoot seeds it from features.yml. */
export const FEATURE_DEFAULTS: Readonly<Record<string, boolean>> = Object.freeze(
  Object.fromEntries(Object.entries(FEATURES).map(([name, f]) => [name, f.default])),
);

/**
 * Applies `{feature: enabled}` toggles the way Chatwoot's platform controller does
 * (enable_features / disable_features per key), and stores them as given: an unserved feature
 * stays off in every answer (enabledFeatures) until Confab serves it. Unknown names are ignored,
 * as Chatwoot's FlagShihTzu ignores flags it does not define.
 */
export function applyFeatureToggles(current: Record<string, boolean>, toggles: Record<string, unknown> | undefined) {
  const next = { ...FEATURE_DEFAULTS, ...current };
  for (const [name, value] of Object.entries(toggles ?? {})) {
    if (!Object.hasOwn(FEATURES, name)) continue;
    next[name] = value === true || value === 'true' || value === 1 || value === '1';
  }
  return next;
}

/** Account#feature_enabled?: the flag is on and Confab serves it. */
export function featureEnabled(features: Record<string, boolean> | null | undefined, name: string): boolean {
  return FEATURES[name]?.served === true && ({ ...FEATURE_DEFAULTS, ...features }[name] ?? false) === true;
}

/** Chatwoot's `enabled_features`: the flags that are on, and only those Confab serves. */
export function enabledFeatures(features: Record<string, boolean>): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries({ ...FEATURE_DEFAULTS, ...features }).filter(([name, on]) => on && FEATURES[name]?.served),
  );
}
