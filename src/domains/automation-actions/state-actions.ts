import type { ActionHandler } from './types.js';

/** Actions that change assigning, labels, status, priority, mute (automation rules and macros). */
export const STATE_ACTIONS: Readonly<Record<string, ActionHandler>> = {};
