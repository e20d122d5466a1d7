import { sql } from 'kysely';
import type { Db } from '../core/db/kysely.js';
import type { DeliveryKind } from '../core/db/schema.js';
import { prepared } from '../core/db/prepared.js';

/** A claimed delivery, with the secret that signs it read in the same statement (a rotated secret signs the retries). */
export interface ClaimedDelivery {
  id: string;
  kind: DeliveryKind;
  url: string;
  event: string;
  payload: unknown;
  attempts: number;
  message_id: number | null;
  secret: string | null;
}

/** What one try came to, written back with the others of its batch. */
export interface Outcome {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  code: number | null;
  latencyMs: number;
  error: string | null;
  /** A retry's due time. */
  nextAt: Date | null;
}

/**
 * Claims up to `limit` due deliveries for drainer `me`, at most `perUrl` of one URL and none of
 * the `skipUrls` (receivers this node already has its fill of). A row is free when no drainer has
 * it, or when its drainer's advisory lock can be taken: that node is gone (kill -9, lost network),
 * and its tries come back at once (migration 0155 reads the candidates). The update re-checks `locked_by` on the row it changes, so two
 * nodes that read the same candidates never both claim one. `d.id = any(...)` has the rows found by
 * key: joined to the picked rows alone, the plan (generic, prepared) hashed them against a read of
 * every pending row, 18 ms a claim of 32 at a 15,000 backlog (bench:webhooks drained 750/s).
 */
export async function claimDeliveries(
  db: Db,
  me: string,
  { limit, perUrl, skipUrls }: { limit: number; perUrl: number; skipUrls: string[] },
): Promise<ClaimedDelivery[]> {
  const { rows } = await prepared(sql<ClaimedDelivery>`
    with candidates as (
      select * from webhook_deliveries_candidates(${me}::text, ${skipUrls}::text[], ${limit * 4}::int)
    ), picked as (
      select id, locked_by from (
        select id, locked_by, next_attempt_at, row_number() over (partition by url order by next_attempt_at) as n from candidates
      ) c where n <= ${perUrl} order by next_attempt_at limit ${limit}
    )
    update webhook_deliveries d set locked_by = ${me}
    from picked
    where d.id = picked.id and d.id = any(array(select id from picked))
      and d.status = 'pending' and d.locked_by is not distinct from picked.locked_by
    returning d.id, d.kind, d.url, d.event, d.payload, d.attempts, d.message_id::int as message_id,
      case d.kind
        when 'account_webhook' then (select w.secret from webhooks w where w.id = d.webhook_id)
        when 'api_inbox_webhook' then (select ca.secret from inboxes i join channel_api ca on ca.id = i.channel_id
          where i.id = d.inbox_id and i.channel_type = 'Channel::Api')
        when 'agent_bot_webhook' then (select b.secret from agent_bots b where b.id = d.agent_bot_id)
      end as secret`).execute(db);
  return rows;
}

/**
 * Writes a batch of outcomes in one statement, and hands the rows back (a retry is claimable again at
 * its due time). Prepared, so planned without the batch's size: `d.id = any(ids)` lets that plan
 * find the rows by key (joined to the unnest alone it read the whole table: 0.5 ms a batch at 1,000 rows).
 */
export async function recordOutcomes(db: Db, me: string, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const col = <T>(pick: (o: Outcome) => T) => outcomes.map(pick);
  await prepared(sql`
    update webhook_deliveries d set
      status = o.status, attempts = o.attempts, response_code = o.code, latency_ms = o.latency_ms,
      last_error = o.error, next_attempt_at = coalesce(o.next_at, d.next_attempt_at),
      delivered_at = case when o.status = 'succeeded' then now() else d.delivered_at end,
      locked_by = null, updated_at = now()
    from unnest(${col((o) => o.id)}::uuid[], ${col((o) => o.status)}::text[], ${col((o) => o.attempts)}::int[],
      ${col((o) => o.code)}::int[], ${col((o) => o.latencyMs)}::int[], ${col((o) => o.error)}::text[],
      ${col((o) => o.nextAt?.toISOString() ?? null)}::timestamptz[])
      as o (id, status, attempts, code, latency_ms, error, next_at)
    where d.id = o.id and d.id = any(${col((o) => o.id)}::uuid[]) and d.locked_by = ${me}`).execute(db);
}

/** Hands back what this drainer claimed but has not tried (it is stopping). */
export async function releaseClaims(db: Db, me: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`update webhook_deliveries set locked_by = null where id = any(${ids}::uuid[]) and locked_by = ${me}`.execute(
    db,
  );
}
