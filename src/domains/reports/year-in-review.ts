/**
 * Api::V2::Accounts::YearInReviewsController#show (YearInReviewBuilder): the calling user's year —
 * conversations assigned to them created in it, their busiest day, their average first response.
 * Any member of the account may ask (no policy); the year is 2025, as upstream's controller fixes
 * it; days are UTC days (Time.zone).
 */
import { sql } from 'kysely';
import { actorUserId, type AccountCtx } from '../../core/http/account-scope.js';

/** The year upstream's controller passes to the builder. */
export const REVIEW_YEAR = 2025;

export interface YearInReview {
  year: number;
  total_conversations: number;
  busiest_day: { date: string; count: number } | null;
  support_personality: { avg_response_time_seconds: number };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export async function yearInReview(ctx: AccountCtx): Promise<YearInReview> {
  const userId = actorUserId(ctx);
  const from = new Date(Date.UTC(REVIEW_YEAR, 0, 1));
  const to = new Date(Date.UTC(REVIEW_YEAR + 1, 0, 1));
  // one statement: the count, the busiest UTC day (the earliest of equals, as max_by keeps the
  // first) and the average first response of the user's reporting events created in the year
  const { rows } = await sql<{ total: string; day: string | null; day_count: string | null; avg: number | null }>`
    with mine as (
      select c.created_at from conversations c
      where c.account_id = ${ctx.account.id} and c.assignee_id = ${userId}
        and c.created_at >= ${from} and c.created_at < ${to}
    ), busiest as (
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n
      from mine group by 1 order by n desc, day asc limit 1
    )
    select (select count(*) from mine) as total,
      (select day from busiest) as day, (select n from busiest) as day_count,
      (select avg(e.value) from reporting_events e
        where e.account_id = ${ctx.account.id} and e.name = 'first_response' and e.user_id = ${userId}
          and e.created_at >= ${from} and e.created_at < ${to}) as avg`.execute(ctx.db);
  const row = rows[0]!;
  const day = row.day === null ? null : new Date(`${row.day}T00:00:00Z`);
  return {
    year: REVIEW_YEAR,
    total_conversations: Number(row.total),
    // strftime('%b %d'): "Mar 05"
    busiest_day:
      day === null
        ? null
        : {
            date: `${MONTHS[day.getUTCMonth()]} ${String(day.getUTCDate()).padStart(2, '0')}`,
            count: Number(row.day_count),
          },
    support_personality: { avg_response_time_seconds: row.avg === null ? 0 : Math.trunc(Number(row.avg)) },
  };
}
