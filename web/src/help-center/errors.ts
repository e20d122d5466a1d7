import { ApiError } from '../api/http.js';

/**
 * The message of a failed call, with the help center's own error shape too: a portal update that
 * fails answers `{ error: { slug: ["has already been taken"] } }` (PortalsController rescues it so).
 */
export function errorText(error: unknown): string {
  if (error instanceof ApiError && error.body && typeof error.body === 'object') {
    const { error: inner } = error.body as { error?: unknown };
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const parts = Object.entries(inner as Record<string, unknown>).map(
        ([attribute, messages]) => `${attribute.replaceAll('_', ' ')} ${[messages].flat().join(', ')}`,
      );
      if (parts.length) return parts.join('; ');
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/** Throws the failure again with a readable message: for forms, which show what a submit throws. */
export const failReadably = (error: unknown): never => {
  throw new Error(errorText(error));
};
