import { Type } from 'typebox';

/**
 * Path ids arrive as strings. Rails' `find("abc")` casts to 0 and answers 404, so a malformed
 * id is "not found", never a 422 or a 500.
 */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\d{1,15}$/.test(raw)) return undefined;
  const id = Number(raw);
  return id > 0 ? id : undefined;
}

export const IdParams = Type.Object({ id: Type.String({ description: 'Numeric id' }) });
