import { useEffect } from 'preact/hooks';
import {
  type AgentSummary,
  type InboxSummary,
  type LabelSummary,
  listAgents,
  listInboxes,
  listLabels,
  listTeams,
  type TeamSummary,
} from '../api/account-data.js';
import { createStore, useStore } from '../lib/store.js';

/** The account's agents, teams, inboxes and labels: read once per account, shared by filters, actions and bulk actions. */
export interface Lookups {
  accountId: number;
  agents: AgentSummary[];
  teams: TeamSummary[];
  inboxes: InboxSummary[];
  labels: LabelSummary[];
}

export const lookups = createStore<Lookups>({ accountId: 0, agents: [], teams: [], inboxes: [], labels: [] });

let loading = 0;

/** Reads the four lists of an account into the store (an answer for another account is dropped). */
function readAll(accountId: number) {
  const fill = <K extends keyof Omit<Lookups, 'accountId'>>(key: K, read: Promise<Lookups[K]>) =>
    read
      .then((found) => lookups.set((s) => (s.accountId === accountId ? { ...s, [key]: found } : s)))
      .catch(() => undefined);
  return Promise.all([
    fill('agents', listAgents(accountId)),
    fill('teams', listTeams(accountId)),
    fill('inboxes', listInboxes(accountId)),
    fill('labels', listLabels(accountId)),
  ]);
}

function load(accountId: number) {
  if (loading === accountId || lookups.get().accountId === accountId) return;
  loading = accountId;
  lookups.set({ accountId, agents: [], teams: [], inboxes: [], labels: [] });
  void readAll(accountId).finally(() => {
    if (loading === accountId) loading = 0;
  });
}

/** The lookups of an account, loaded on first use. */
export function useLookups(accountId: number): Lookups {
  useEffect(() => load(accountId), [accountId]);
  const value = useStore(lookups);
  return value.accountId === accountId ? value : { accountId, agents: [], teams: [], inboxes: [], labels: [] };
}

/**
 * Reads the account's lookups again (settings may have changed its agents, teams, inboxes or
 * labels), keeping the old ones on screen until the new ones arrive.
 */
export function refreshLookups(accountId: number) {
  if (lookups.get().accountId !== accountId) return load(accountId);
  void readAll(accountId);
}
