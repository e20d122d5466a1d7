import { Type } from 'typebox';

/** Rails' `head :ok`: status 200 and no body. */
export const EmptyBody = Type.String({ maxLength: 0, description: 'Empty body' });
