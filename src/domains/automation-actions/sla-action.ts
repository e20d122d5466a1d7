import { parseId } from '../../core/http/ids.js';
import { setSlaPolicy, slaApplicable } from '../conversations/sla.js';
import type { ActionHandler } from './types.js';

/** The policy id add_sla names: `action_params: [id]`. */
const policyIdOf = (params: unknown[]) => parseId(params[0]);

/**
 * add_sla (Enterprise::ActionService#add_sla): gives the conversation the account's policy and its
 * applied SLA, only when it has no SLA yet (a conversation's SLA is never replaced) and its contact
 * is not blocked (Conversation#sla_applicable?). Another
 * account's policy, or one deleted since the rule was saved, applies nothing.
 */
const addSla: ActionHandler = {
  async run(work, { conversation, params }) {
    if (conversation.sla_policy_id !== null) return conversation;
    const policyId = policyIdOf(params);
    if (policyId === undefined) return conversation;
    const policy = await work.tx
      .selectFrom('sla_policies')
      .select('id')
      .where('account_id', '=', work.ctx.account.id)
      .where('id', '=', policyId)
      .executeTakeFirst();
    if (!policy || !(await slaApplicable(work.tx, conversation))) return conversation;
    return setSlaPolicy(work, { conversation, policyId: policy.id });
  },
  async check(db, { accountId, params }) {
    const policyId = policyIdOf(params);
    const policy =
      policyId === undefined
        ? undefined
        : await db
            .selectFrom('sla_policies')
            .select('id')
            .where('account_id', '=', accountId)
            .where('id', '=', policyId)
            .executeTakeFirst();
    return policy ? null : 'Sla policy not found';
  },
};

/** Actions that change add_sla (SLA policies). */
export const SLA_ACTIONS: Readonly<Record<string, ActionHandler>> = { add_sla: addSla };
