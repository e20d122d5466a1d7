import { validationFailed } from '../errors.js';

/**
 * Runs a write whose unique index guards `attribute` (or, for tables with several, the attribute
 * a violated index names); a violation answers like Rails' uniqueness validation (422
 * "<Attribute> has already been taken"), including when two requests race.
 */
export async function takenAs<T>(
  attribute: string | ((error: unknown) => string | undefined),
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const field =
      (error as { code?: string })?.code === '23505'
        ? typeof attribute === 'string'
          ? attribute
          : attribute(error)
        : undefined;
    if (field) throw validationFailed([{ attribute: field, message: 'has already been taken' }]);
    throw error;
  }
}
