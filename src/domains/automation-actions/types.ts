import type { RawBuilder } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import type { Conversation } from '../../core/db/schema.js';
import type { AccountWork } from '../../core/http/account-scope.js';

/** One entry of an automation rule's or a macro's `actions`, as Chatwoot stores it. */
export interface ActionEntry {
  action_name: string;
  action_params?: unknown[];
}

/**
 * One action Chatwoot's ActionService (and its AutomationRules / Macros subclasses) performs on a
 * conversation. `work.ctx.actor` says who runs it: an automation rule (`kind: 'automation'`, named
 * "Automation System") or the user executing a macro; the handler goes through the same
 * single-conversation helpers as an agent's change, so activity messages, events, webhooks and
 * notifications are the same.
 */
export interface ActionHandler {
  /** Applies the action to the conversation (locked by the caller); returns it as it is afterwards. */
  run(work: AccountWork, input: { conversation: Conversation; params: unknown[] }): Promise<Conversation>;
  /**
   * Checks the params when a rule or macro is saved: a 422 message, or null. Ids named in params must
   * belong to the account; run() checks again, since stored ids can go stale.
   */
  check?(db: Db, input: { accountId: number; params: unknown[] }): Promise<string | null>;
  /**
   * The params as they are stored, once check() passed (send_attachment: a direct upload's
   * signed id becomes the blob's numeric id, as Chatwoot does on save). Absent: stored as given.
   */
  normalize?(db: Db, input: { accountId: number; params: unknown[] }): Promise<unknown[]>;
  /**
   * SQL over the conversation (`conversations`, and `conversation_labels.names`: its label titles,
   * null when it has none — the automation drainer's read provides both) that is true
   * when run() would change nothing — no write, no event, no activity message: a label the
   * conversation already has, the priority it already has. The automation drainer reads it with
   * the rules' conditions and records such an action as done without a transaction of its own
   * (a rule that tags a conversation matches each later message too). Absent, or null for these
   * params: run() decides.
   */
  unchanged?(params: unknown[]): RawBuilder<boolean> | null;
}

/** What happened to one action of a run (recorded for an automation rule's runs). */
export interface ActionOutcome {
  action_name: string;
  applied: boolean;
  error?: string;
}

/**
 * Thrown by a handler that, on a re-check, finds nothing it may do (an agent no longer in the
 * inbox, a deleted team): Chatwoot's `return unless ...`. performActions records it as not applied
 * and goes on; nothing is written.
 */
export class ActionSkipped extends Error {}
