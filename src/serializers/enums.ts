/** Chatwoot's integer enums, rendered as their names on the wire. */
export const ACCOUNT_STATUSES = ['active', 'suspended'] as const;
export const ACCOUNT_USER_ROLES = ['agent', 'administrator'] as const;
export const AVAILABILITIES = ['online', 'offline', 'busy'] as const;
export const BOT_TYPES = ['webhook'] as const;

export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];
export type AccountUserRole = (typeof ACCOUNT_USER_ROLES)[number];
export type Availability = (typeof AVAILABILITIES)[number];

export function enumName<T extends readonly string[]>(names: T, value: number): T[number] {
  return names[value] ?? names[0]!;
}

export function enumValue<T extends readonly string[]>(names: T, name: T[number]): number {
  return names.indexOf(name);
}
