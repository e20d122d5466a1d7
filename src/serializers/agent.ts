// Mirrors app/views/api/v1/models/_agent.json.jbuilder: a user as a member of the current account.
import { createHash } from 'node:crypto';
import { Type, type Static } from 'typebox';
import type { AccountUser, User } from '../core/db/schema.js';
import { ACCOUNT_USER_ROLES, AVAILABILITIES, enumName } from '../core/db/enums.js';
import type { AgentView } from '../core/db/views.js';

export type { AgentView };

export const AgentSchema = Type.Object(
  {
    id: Type.Integer(),
    account_id: Type.Integer(),
    availability_status: Type.Enum(AVAILABILITIES, { description: 'Live presence; offline when not connected' }),
    auto_offline: Type.Boolean(),
    confirmed: Type.Boolean(),
    email: Type.String(),
    provider: Type.String(),
    available_name: Type.String(),
    custom_attributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    name: Type.String(),
    role: Type.Enum(ACCOUNT_USER_ROLES),
    thumbnail: Type.String(),
  },
  { title: 'Agent' },
);

export type AgentJson = Static<typeof AgentSchema>;

/** UserAttributeHelpers#available_name: the display name when set, else the name. */
export const availableName = (user: Pick<User, 'display_name' | 'name'>) =>
  user.display_name?.trim() ? user.display_name : user.name;

/**
 * Gravatar URLs by email, as computed: a message renders its sender three or four times (the
 * response, the broadcast, the webhook's body, a notification), and the hash was 2-3% of the
 * Application API's CPU for a reply (bench:message profile). Bounded: emptied when full.
 */
const gravatars = new Map<string, string>();
const GRAVATARS_KEPT = 10_000;

/** Chatwoot falls back to a Gravatar that 404s when none exists, so clients show initials. */
export function thumbnailFor(user: User): string {
  if (user.avatar_url) return user.avatar_url;
  let url = gravatars.get(user.email);
  if (url === undefined) {
    const hash = createHash('md5').update(user.email.trim().toLowerCase()).digest('hex');
    url = `https://www.gravatar.com/avatar/${hash}?d=404`;
    if (gravatars.size >= GRAVATARS_KEPT) gravatars.clear();
    gravatars.set(user.email, url);
  }
  return url;
}

/**
 * Chatwoot's AvailabilityStatusable: with auto_offline off the stored availability stands;
 * otherwise the live presence (OnlineStatusTracker), "offline" without a live session.
 */
export function availabilityStatus(
  accountUser: Pick<AccountUser, 'availability' | 'auto_offline'>,
  online = false,
): (typeof AVAILABILITIES)[number] {
  if (!accountUser.auto_offline || online) return enumName(AVAILABILITIES, accountUser.availability);
  return 'offline';
}

export function agentJson({ user, accountUser, online }: AgentView): AgentJson {
  return {
    id: user.id,
    account_id: accountUser.account_id,
    availability_status: availabilityStatus(accountUser, online),
    auto_offline: accountUser.auto_offline,
    confirmed: user.confirmed_at !== null,
    email: user.email,
    provider: user.provider,
    available_name: availableName(user),
    ...(Object.keys(user.custom_attributes).length ? { custom_attributes: user.custom_attributes } : {}),
    name: user.name,
    role: enumName(ACCOUNT_USER_ROLES, accountUser.role),
    thumbnail: thumbnailFor(user),
  };
}
