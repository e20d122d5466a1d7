import { Type, type Static } from 'typebox';
import { LIMITS, ShortText } from '../../core/http/schemas.js';

const Param = (description: string) => Type.Optional(Type.String({ maxLength: LIMITS.short, description }));

/** AppliedSlasController's filters (all optional strings, as Rails params are). */
export const AppliedSlaQuery = Type.Object({
  since: Param('Unix seconds; with `until`, applied SLAs created in [since, until)'),
  until: Param('Unix seconds (exclusive)'),
  inbox_id: Param("The conversation's inbox"),
  team_id: Param("The conversation's team"),
  sla_policy_id: Param('The applied policy'),
  label_list: Type.Optional(ShortText({ description: "Text within the conversation's label list" })),
  assigned_agent_id: Param("The conversation's assignee"),
  page: Param('25 per page, from 1'),
});
export type AppliedSlaQuery = Static<typeof AppliedSlaQuery>;
