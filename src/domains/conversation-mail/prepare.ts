import { sql } from 'kysely';
import type { Db } from '../../core/db/kysely.js';
import { MESSAGE_TYPE } from '../../core/db/enums.js';
import { conversationUrl } from '../../core/dashboard-urls.js';
import type { Mail } from '../../core/mail/mailer.js';
import type { AttachmentUrls } from '../../core/storage/storage.js';
import type { ConversationMailJob } from './queue.js';
import { ACCOUNT_USER_ROLES, enumValue } from '../../core/db/enums.js';
import { ruleDisabledMail, teamAutomationMail, transcriptMail, type TranscriptLine } from './templates.js';

/**
 * Renders a queued conversation mail from the rows as they are now; undefined when there is
 * nothing to send any more (the conversation or the team is gone, the team has no members).
 */
export async function prepareConversationMail(
  db: Db,
  deps: { frontendBase: string; urls: AttachmentUrls },
  job: ConversationMailJob,
): Promise<Mail | undefined> {
  if (job.kind === 'automation_rule_disabled') return ruleDisabled(db, deps.frontendBase, job);
  const conversation = await db
    .selectFrom('conversations')
    .select(['id', 'display_id', 'account_id'])
    .where('account_id', '=', job.account_id)
    .where('id', '=', job.conversation_id)
    .executeTakeFirst();
  if (!conversation) return undefined;
  if (job.kind === 'team_automation') {
    const members = await db
      .selectFrom('team_members')
      .innerJoin('teams', 'teams.id', 'team_members.team_id')
      .innerJoin('users', 'users.id', 'team_members.user_id')
      .select('users.email')
      .where('teams.account_id', '=', job.account_id)
      .where('teams.id', '=', job.team_id)
      .orderBy('team_members.id')
      .execute();
    if (members.length === 0) return undefined;
    return teamAutomationMail({
      to: members.map((m) => m.email),
      message: job.message,
      actionUrl: conversationUrl(deps.frontendBase, conversation.account_id, conversation.display_id),
    });
  }
  return transcriptMail({
    to: job.to,
    displayId: conversation.display_id,
    lines: await transcriptLines(db, deps.urls, conversation.id),
  });
}

/** To the account's administrators, naming the rule as it is now; nothing when it or they are gone. */
async function ruleDisabled(
  db: Db,
  frontendBase: string,
  job: { account_id: number; rule_id: number },
): Promise<Mail | undefined> {
  const [rule, admins] = await Promise.all([
    db
      .selectFrom('automation_rules')
      .select('name')
      .where('account_id', '=', job.account_id)
      .where('id', '=', job.rule_id)
      .executeTakeFirst(),
    db
      .selectFrom('account_users')
      .innerJoin('users', 'users.id', 'account_users.user_id')
      .select('users.email')
      .where('account_users.account_id', '=', job.account_id)
      .where('account_users.role', '=', enumValue(ACCOUNT_USER_ROLES, 'administrator'))
      .orderBy('account_users.id')
      .execute(),
  ]);
  if (!rule || admins.length === 0) return undefined;
  return ruleDisabledMail({
    to: admins.map((a) => a.email),
    ruleName: rule.name,
    actionUrl: `${frontendBase}/app/accounts/${job.account_id}/settings/automation/list`,
  });
}

/** The conversation's chat messages (incoming and outgoing, not private), oldest first, with their files. */
async function transcriptLines(db: Db, urls: AttachmentUrls, conversationId: number): Promise<TranscriptLine[]> {
  const rows = await db
    .selectFrom('messages as m')
    .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'm.sender_id').on('m.sender_type', '=', 'User'))
    .leftJoin('contacts as c', (join) => join.onRef('c.id', '=', 'm.sender_id').on('m.sender_type', '=', 'Contact'))
    .leftJoin('agent_bots as b', (join) => join.onRef('b.id', '=', 'm.sender_id').on('m.sender_type', '=', 'AgentBot'))
    .select([
      'm.id',
      'm.content',
      'm.created_at',
      sql<string | null>`coalesce(nullif(u.display_name, ''), u.name, c.name, b.name)`.as('sender'),
    ])
    .where('m.conversation_id', '=', conversationId)
    .where('m.message_type', 'in', [MESSAGE_TYPE.incoming, MESSAGE_TYPE.outgoing])
    .where('m.private', '=', false)
    .orderBy('m.id')
    .execute();
  const files = rows.length
    ? await db
        .selectFrom('attachments')
        .selectAll()
        .where(
          'message_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('id')
        .execute()
    : [];
  return rows.map((row) => ({
    sender: row.sender ?? 'Bot',
    at: row.created_at,
    content: row.content,
    files: files
      .filter((f) => f.message_id === row.id)
      .map((f) => ({ filename: f.filename ?? 'file', url: urls.dataUrl(f) })),
  }));
}
