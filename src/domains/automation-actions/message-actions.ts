import type { ActionHandler } from './types.js';

/** Actions that change messages, private notes, attachments, e-mails, webhook events. */
export const MESSAGE_ACTIONS: Readonly<Record<string, ActionHandler>> = {};
