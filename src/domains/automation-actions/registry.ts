import { MESSAGE_ACTIONS } from './message-actions.js';
import { SLA_ACTIONS } from './sla-action.js';
import { STATE_ACTIONS } from './state-actions.js';
import type { ActionHandler } from './types.js';

/** Every action a rule or macro can name, by Chatwoot's action_name; each group lives in its own file. */
export const ACTION_HANDLERS: Readonly<Record<string, ActionHandler>> = {
  ...STATE_ACTIONS,
  ...MESSAGE_ACTIONS,
  ...SLA_ACTIONS,
};

/** The handler of an action name, or undefined: own keys only, so "constructor" names no handler. */
export const actionHandler = (name: string): ActionHandler | undefined =>
  Object.hasOwn(ACTION_HANDLERS, name) ? ACTION_HANDLERS[name] : undefined;
