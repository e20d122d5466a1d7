/**
 * Chatwoot's app_account_conversation_url: a conversation in the agent dashboard (/app), where the
 * links of mails and of CSV exports lead. `base` is the installation's public address (FRONTEND_URL).
 */
export const conversationUrl = (base: string, accountId: number, displayId: number) =>
  `${base}/app/accounts/${accountId}/conversations/${displayId}`;
