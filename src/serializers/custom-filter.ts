// Mirrors app/views/api/v1/models/_custom_filter.json.jbuilder (index, show, create and update views).
import { Type, type Static } from 'typebox';
import type { CustomFilter } from '../core/db/schema.js';
import { enumName } from '../core/db/enums.js';
import { isoTime } from './time.js';

/** custom_filter.rb: enum filter_type: { conversation: 0, contact: 1, report: 2 }. */
export const FILTER_TYPES = ['conversation', 'contact', 'report'] as const;

export const CustomFilterSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    filter_type: Type.Enum(FILTER_TYPES),
    /** Stored as given (the dashboard sends `{payload: [...]}`); the string "{}" when never set. */
    query: Type.Unknown(),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { title: 'CustomFilter' },
);

export function customFilterJson(row: CustomFilter): Static<typeof CustomFilterSchema> {
  return {
    id: row.id,
    name: row.name,
    filter_type: enumName(FILTER_TYPES, row.filter_type),
    query: row.query,
    created_at: isoTime(row.created_at)!,
    updated_at: isoTime(row.updated_at)!,
  };
}
