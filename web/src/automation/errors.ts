import { ApiError } from '../api/http.js';

/**
 * A failed save in words: rules and macros answer 422 with `{"error": {"conditions": ["…"]}}`
 * (the model's errors by attribute), which the generic message cannot read.
 */
export function saveError(e: unknown): string {
  if (e instanceof ApiError && e.body && typeof e.body === 'object') {
    const error = (e.body as { error?: unknown }).error;
    if (error && typeof error === 'object') {
      return Object.entries(error as Record<string, unknown>)
        .map(([key, messages]) => `${key}: ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`)
        .join('; ');
    }
  }
  return (e as Error).message;
}
