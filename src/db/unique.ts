import { validationFailed } from '../errors.js';

/**
 * Runs a write whose unique index guards `attribute`; a violation answers like Rails' uniqueness
 * validation (422 "<Attribute> has already been taken"), including when two requests race.
 */
export async function takenAs<T>(attribute: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string })?.code === '23505') throw validationFailed([{ attribute, message: 'has already been taken' }]);
    throw error;
  }
}
