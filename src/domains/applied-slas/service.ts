import { sql } from 'kysely';
import { featureEnabled } from '../../core/db/account-features.js';
import { SLA_STATUS } from '../../core/db/enums.js';
import type { SlaEvent, SlaPolicy } from '../../core/db/schema.js';
import { unauthorizedAction } from '../../core/errors.js';
import { conversationUrl } from '../../core/dashboard-urls.js';
import { requireAdministrator, type AccountCtx } from '../../core/http/account-scope.js';
import { parseId } from '../../core/http/ids.js';
import { appliedSlaJson, slaEventJson } from '../../serializers/applied-sla.js';
import { userPushJson } from '../../serializers/message.js';
import { usersWithAvailability } from '../conversations/views.js';
import type { AppliedSlaQuery } from './schemas.js';

/**
 * enterprise AppliedSlasController: the `sla` feature must be on (401 otherwise), then
 * administrators only. Filters: created in [since, until) when both are given (DateRangeHelper),
 * the conversation's inbox, team, assignee, label list (a substring of "a, b", as upstream's LIKE
 * over cached_label_list), the policy. index and download list the missed ones (missed or active
 * with misses).
 */
export const RESULTS_PER_PAGE = 25;
const MISSED = [SLA_STATUS.missed, SLA_STATUS.active_with_misses];

function authorize(ctx: AccountCtx) {
  if (!featureEnabled(ctx.account.features, 'sla')) throw unauthorizedAction();
  requireAdministrator(ctx);
}

/** The conversation's label list as acts_as_taggable caches it: "a, b" in tagging order. */
const LABEL_LIST = sql<string>`array_to_string(array(select t.name from taggings t
  where t.taggable_type = 'Conversation' and t.taggable_id = c.id order by t.id), ', ')`;

/** A filter value Rails would find nothing for ('abc' casts to 0 there too). */
const idParam = (raw: string | undefined) => (raw === undefined || raw === '' ? undefined : (parseId(raw) ?? 0));

function filtered(ctx: AccountCtx, q: AppliedSlaQuery) {
  let query = ctx.db
    .selectFrom('applied_slas as a')
    .innerJoin('conversations as c', 'c.id', 'a.conversation_id')
    .where('a.account_id', '=', ctx.account.id)
    .where('c.account_id', '=', ctx.account.id);
  const since = q.since === undefined || q.since === '' ? undefined : Number(q.since);
  const until = q.until === undefined || q.until === '' ? undefined : Number(q.until);
  if (since !== undefined && until !== undefined) {
    // Time.zone.at of a non-number is the epoch, as Ruby's to_i makes it 0
    const at = (n: number) => new Date((Number.isFinite(n) ? Math.trunc(n) : 0) * 1000);
    query = query.where('a.created_at', '>=', at(since)).where('a.created_at', '<', at(until));
  }
  const inbox = idParam(q.inbox_id);
  if (inbox !== undefined) query = query.where('c.inbox_id', '=', inbox);
  const team = idParam(q.team_id);
  if (team !== undefined) query = query.where('c.team_id', '=', team);
  const policy = idParam(q.sla_policy_id);
  if (policy !== undefined) query = query.where('a.sla_policy_id', '=', policy);
  const agent = idParam(q.assigned_agent_id);
  if (agent !== undefined) query = query.where('c.assignee_id', '=', agent);
  if (q.label_list) {
    const pattern = `%${q.label_list.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    query = query.where(sql<boolean>`${LABEL_LIST} like ${pattern}`);
  }
  return query;
}

const missedOf = (query: ReturnType<typeof filtered>) => query.where('a.sla_status', 'in', MISSED);
const countOf = async (query: ReturnType<typeof filtered>) =>
  Number((await query.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

/** Ruby's Float#to_s of a percentage rounded to 2 places: 50.0, 66.67. */
const rubyFloat = (x: number) => (Number.isInteger(x) ? `${x}.0` : String(x));

/** GET /applied_slas/metrics. */
export async function appliedSlaMetrics(ctx: AccountCtx, q: AppliedSlaQuery) {
  authorize(ctx);
  const [total, misses] = await Promise.all([countOf(filtered(ctx, q)), countOf(missedOf(filtered(ctx, q)))]);
  const hitRate = misses === 0 ? '100%' : `${rubyFloat(Math.round(((total - misses) / total) * 10000) / 100)}%`;
  return { total_applied_slas: total, number_of_sla_misses: misses, hit_rate: hitRate };
}

/** The missed applied SLAs with what the index and the CSV show of each. */
async function missedRows(ctx: AccountCtx, q: AppliedSlaQuery, page?: number) {
  let query = missedOf(filtered(ctx, q))
    .innerJoin('sla_policies as p', 'p.id', 'a.sla_policy_id')
    .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .leftJoin('teams as tm', 'tm.id', 'c.team_id')
    .leftJoin('inboxes as i', 'i.id', 'c.inbox_id')
    .leftJoin('users as u', 'u.id', 'c.assignee_id')
    .selectAll('a')
    .select([
      sql<Record<string, unknown>>`to_jsonb(p)`.as('policy'),
      'c.display_id',
      'c.assignee_id',
      'ct.name as contact_name',
      'tm.name as team_name',
      'i.name as inbox_name',
      'u.name as assignee_name',
      LABEL_LIST.as('labels'),
    ])
    .orderBy('a.id');
  if (page !== undefined) query = query.limit(RESULTS_PER_PAGE).offset((page - 1) * RESULTS_PER_PAGE);
  const rows = await query.execute();
  const ids = rows.map((r) => r.id);
  const events = ids.length
    ? await ctx.db
        .selectFrom('sla_events')
        .selectAll()
        .where('account_id', '=', ctx.account.id)
        .where('applied_sla_id', 'in', ids)
        .orderBy('id')
        .execute()
    : [];
  const eventsOf = new Map<number, SlaEvent[]>();
  for (const e of events) eventsOf.set(e.applied_sla_id, [...(eventsOf.get(e.applied_sla_id) ?? []), e]);
  return rows.map((row) => {
    const p = row.policy as unknown as SlaPolicy;
    const {
      policy: _p,
      display_id,
      assignee_id,
      contact_name,
      team_name,
      inbox_name,
      assignee_name,
      labels,
      ...applied
    } = row;
    return {
      applied,
      policy: { ...p, created_at: new Date(p.created_at), updated_at: new Date(p.updated_at) } as SlaPolicy,
      display_id,
      assignee_id,
      contact_name,
      team_name,
      inbox_name,
      assignee_name,
      labels,
      events: eventsOf.get(row.id) ?? [],
    };
  });
}

/** GET /applied_slas: a page of the missed ones, `meta.count` all of them. */
export async function listAppliedSlas(ctx: AccountCtx, q: AppliedSlaQuery) {
  authorize(ctx);
  const page = Math.max(1, Math.trunc(Number(q.page ?? 1)) || 1);
  const [count, rows] = await Promise.all([countOf(missedOf(filtered(ctx, q))), missedRows(ctx, q, page)]);
  const assignees = new Map(
    (
      await usersWithAvailability(ctx.db, ctx.account.id, [
        ...new Set(rows.map((r) => r.assignee_id).filter((id): id is number => id !== null)),
      ])
    ).map((a) => [a.user.id, a]),
  );
  return {
    payload: rows.map((row) => {
      const assignee = row.assignee_id === null ? undefined : assignees.get(row.assignee_id);
      return {
        applied_sla: appliedSlaJson({ applied: row.applied, policy: row.policy }),
        conversation: {
          id: row.display_id,
          contact: row.contact_name === null ? {} : { name: row.contact_name },
          labels: row.labels,
          ...(assignee ? { assignee: userPushJson(assignee.user, assignee.availability) } : {}),
        },
        sla_events: row.events.map(slaEventJson),
      };
    }),
    // Rails renders params[:page] as given (a string), 1 without it
    meta: { count, current_page: q.page ?? 1 },
  };
}

const csvCell = (value: unknown) => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** reports.sla_csv in config/locales/en.yml. */
const CSV_HEADERS = [
  'Conversation ID',
  'SLA Policy',
  'Assignee',
  'Team',
  'Inbox',
  'Labels',
  'Link to the Conversation',
  'Breached Events',
];

/** GET /applied_slas/download: breached_conversation.csv, one line per missed applied SLA. */
export async function appliedSlaCsv(ctx: AccountCtx, q: AppliedSlaQuery, ownUrl: string): Promise<string> {
  authorize(ctx);
  const rows = await missedRows(ctx, q);
  const base = ctx.config.frontendUrl ?? ownUrl;
  const lines = [CSV_HEADERS.map(csvCell).join(',')];
  for (const row of rows)
    lines.push(
      [
        row.display_id,
        row.policy.name,
        row.assignee_name,
        row.team_name,
        row.inbox_name,
        row.labels,
        conversationUrl(base, ctx.account.id, row.display_id),
        row.events.map((e) => ['frt', 'nrt', 'rt'][e.event_type]).join(', '),
      ]
        .map(csvCell)
        .join(','),
    );
  return `${lines.join('\n')}\n`;
}
