import { useState } from 'preact/hooks';
import { listAgents, listInboxes, listTeams } from '../api/account-data.js';
import { Choice, type ChoiceOption } from '../lib/choice.js';
import { useLoaded } from '../lib/use-loaded.js';

/** One filter select of a report: label, name, value, the "all" text, the options, what a change does. */
export type FilterChoice = [
  label: string,
  name: string,
  value: string,
  placeholder: string,
  options: ChoiceOption[],
  onChange: (value: string) => void,
];

/** A report's filter selects, in order. */
export const FilterChoices = ({ choices }: { choices: FilterChoice[] }) => (
  <>
    {choices.map(([label, name, value, placeholder, options, onChange]) => (
      <Choice
        key={name}
        label={label}
        name={name}
        value={value}
        placeholder={placeholder}
        options={options}
        onChange={onChange}
      />
    ))}
  </>
);

/**
 * The page of a list that belongs to the filters it was chosen with (`key`): new filters start
 * again from the first page.
 */
export function usePage(key: string) {
  const [paging, setPaging] = useState({ key, page: 1 });
  const page = paging.key === key ? paging.page : 1;
  return [page, (next: number) => setPaging({ key, page: next })] as const;
}

/** Previous / next buttons and "Page n of m", as a labelled nav. */
export function Pager({
  label,
  page,
  pages,
  onPage,
}: {
  label: string;
  page: number;
  pages: number;
  onPage(page: number): void;
}) {
  return (
    <nav class="report-pager" aria-label={label}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous page
      </button>
      <span>{`Page ${page} of ${pages}`}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        Next page
      </button>
    </nav>
  );
}

/**
 * The agent, inbox and team filters that the CSAT and SLA reports share: the values chosen (''
 * for all) and their selects, with the account's agents, inboxes and teams as options.
 */
export function useAgentInboxTeamFilters(accountId: number) {
  const [agent, setAgent] = useState('');
  const [inbox, setInbox] = useState('');
  const [team, setTeam] = useState('');
  const [agents] = useLoaded([], () => listAgents(accountId), [accountId]);
  const [inboxes] = useLoaded([], () => listInboxes(accountId), [accountId]);
  const [teams] = useLoaded([], () => listTeams(accountId), [accountId]);
  const choices: FilterChoice[] = [
    ['Agent', 'agent', agent, 'All agents', agents.map((a) => [a.id, a.available_name || a.name]), setAgent],
    ['Inbox', 'inbox', inbox, 'All inboxes', inboxes.map((i) => [i.id, i.name]), setInbox],
    ['Team', 'team', team, 'All teams', teams.map((t) => [t.id, t.name]), setTeam],
  ];
  return { agent, inbox, team, choices };
}
