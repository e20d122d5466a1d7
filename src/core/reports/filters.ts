/**
 * A report's id filters as Rails casts them (`where(team_id: params[:team_id]) if
 * params[:team_id].present?`): shared by the summary, live and CSAT reports.
 */
import { parseId } from '../http/ids.js';
import { isBlank } from '../http/values.js';

/** One id: blank (`present?` false) is no filter; text that is no id matches nothing (0). */
export function idFilter(raw: string | undefined): number | undefined {
  if (raw === undefined || isBlank(raw)) return undefined;
  return parseId(raw.trim()) ?? 0;
}

/** An id list (`inbox_ids[]=1&inbox_ids[]=2`, or one plain value), blanks dropped, non-ids as 0. */
export function idList(raw: string | string[] | undefined): number[] {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.flatMap((value) => {
    const id = idFilter(value);
    return id === undefined ? [] : [id];
  });
}
