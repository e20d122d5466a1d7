import { LIMITS } from './schemas.js';

/**
 * Unix seconds as Rails' `DateTime.strptime(value, '%s')` reads them (digits, optionally signed),
 * within the years 0001-9999 (LIMITS.epochMin/epochMax); undefined for anything else.
 */
export function epochDate(raw: unknown): Date | undefined {
  const text = String(raw).trim();
  if (!/^[+-]?\d{1,12}$/.test(text)) return undefined;
  const seconds = Number(text);
  return seconds >= LIMITS.epochMin && seconds <= LIMITS.epochMax ? new Date(seconds * 1000) : undefined;
}

/** Rails' `blank?` for strings: nil, empty or whitespace only. */
export function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}

/** Devise's email_regexp: something@something, no whitespace. */
export function isEmail(value: string): boolean {
  return /^[^@\s]+@[^@\s]+$/.test(value) && value.length <= 255;
}
