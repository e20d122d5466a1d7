import type { Db } from '../../core/db/kysely.js';
import { claimJobPiece } from '../../core/jobs/marks.js';
import { transactionally } from '../../core/events/bus.js';
import type { AccountCtx } from '../../core/http/account-scope.js';
import { performActions } from '../automation-actions/perform.js';
import type { ActionEntry } from '../automation-actions/types.js';
import { visibilityOf, visiblePredicate } from '../conversations/access.js';
import { findMacro } from './queries.js';
import type { MacroExecutionJob } from './service.js';

const lock = (tx: Db, accountId: number, id: number) =>
  tx
    .selectFrom('conversations')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();

/**
 * MacrosExecutionJob + Macros::ExecutionService: the macro as it is now (nothing when it was
 * deleted) on each of the account's conversations with these display ids that the user may see,
 * in display id order, each in its own transaction and at most once per job (`jobId`, across retries). The actions run as the user (`ctx.actor`,
 * Chatwoot's Current.user = user): messages and notes are theirs, activity messages name them.
 */
export async function runMacro(ctx: AccountCtx, job: MacroExecutionJob, jobId: string): Promise<void> {
  const macro = await findMacro(ctx.db, ctx.account.id, job.macro_id);
  if (!macro || job.conversation_ids.length === 0) return;
  const actions = (Array.isArray(macro.actions) ? macro.actions : []) as ActionEntry[];
  const visibility = await visibilityOf(ctx);
  const rows = await ctx.db
    .selectFrom('conversations')
    .select('id')
    .where('account_id', '=', ctx.account.id)
    .where('display_id', 'in', job.conversation_ids)
    .where(visiblePredicate(visibility, 'conversations'))
    .orderBy('display_id')
    .execute();
  for (const { id } of rows) {
    await transactionally(ctx, async (tx, batch) => {
      const conversation = await lock(tx, ctx.account.id, id);
      // a retry of this job skips the conversations an earlier try finished
      if (conversation && (await claimJobPiece(tx, `macros_execution:${jobId}:${id}`)))
        await performActions({ ctx, tx, batch }, { conversation, actions });
    });
  }
}
