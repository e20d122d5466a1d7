import type { ActionHandler } from './types.js';

/** Actions that change add_sla (SLA policies). */
export const SLA_ACTIONS: Readonly<Record<string, ActionHandler>> = {};
