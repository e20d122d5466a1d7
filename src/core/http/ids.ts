import { Type } from 'typebox';

/**
 * Ids arrive as path strings, or as numbers or numeric strings in bodies. Rails' `find("abc")`
 * casts to 0 and answers 404, so anything else is "not found", never a 422 or a 500.
 */
export function parseId(raw: unknown): number | undefined {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
}

export const IdParams = Type.Object({ id: Type.String({ description: 'Numeric id' }) });
