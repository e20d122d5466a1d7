/** Rails' as_json timestamp: ISO 8601 with milliseconds, e.g. "2024-01-01T10:00:00.000Z". */
export function isoTime(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return new Date(value).toISOString();
}

/** jbuilder `.to_i`: epoch seconds, 0 when unset. */
export function epochSeconds(value: Date | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return Math.floor(new Date(value).getTime() / 1000);
}
