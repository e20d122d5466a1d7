import { inviteAgent, listAgents, type Role, removeAgent, updateAgent } from '../api/admin/agents.js';
import {
  createTeam,
  deleteTeam,
  getTeam,
  updateTeam,
  listTeamMembers,
  listTeams,
  setTeamMembers,
} from '../api/admin/teams.js';
import { CrudSection } from './crud-section.js';
import { type FormValues, text, textOrNull } from './form.js';
import { MembersEditor } from './members-editor.js';
import { useLoad } from './use-load.js';

// Agents and teams.

const ROLES = [
  { value: 'agent', label: 'Agent' },
  { value: 'administrator', label: 'Administrator' },
];

export function AgentsScreen({ accountId, userId }: { accountId: number; userId: number }) {
  return (
    <CrudSection
      title="Agents"
      description="An invited agent receives an e-mail to confirm the account and choose a password."
      load={() => listAgents(accountId)}
      deps={[accountId]}
      nameOf={(a) => a.name}
      columns={[
        { label: 'Name', render: (a) => a.name },
        { label: 'E-mail', render: (a) => a.email },
        { label: 'Role', render: (a) => a.role },
        { label: 'Status', render: (a) => (a.confirmed ? a.availability_status : 'invited') },
      ]}
      createLabel="Invite agent"
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'email', label: 'E-mail', type: 'email', required: true },
        { name: 'role', label: 'Role', type: 'select', options: ROLES },
      ]}
      edit={{
        fields: [
          { name: 'name', label: 'Name', required: true },
          { name: 'role', label: 'Role', type: 'select', options: ROLES },
        ],
        values: (a) => ({ name: a.name, role: a.role }),
        save: (a, v) => updateAgent(accountId, a.id, { name: text(v.name), role: text(v.role) as Role }),
      }}
      create={(v) => inviteAgent(accountId, { name: text(v.name), email: text(v.email), role: text(v.role) as Role })}
      remove={(a) =>
        a.id === userId ? Promise.reject(new Error('You cannot remove yourself')) : removeAgent(accountId, a.id)
      }
    />
  );
}

const teamInput = (v: FormValues) => ({
  name: text(v.name),
  description: textOrNull(v.description),
  allow_auto_assign: v.allow_auto_assign === true,
});

export function TeamsScreen({ accountId }: { accountId: number }) {
  return (
    <CrudSection
      title="Teams"
      description="Teams group agents; conversations can be assigned to a team."
      load={() => listTeams(accountId)}
      deps={[accountId]}
      nameOf={(t) => t.name}
      columns={[
        { label: 'Name', render: (t) => <a href={`/app/accounts/${accountId}/settings/teams/${t.id}`}>{t.name}</a> },
        { label: 'Description', render: (t) => t.description },
        { label: 'Auto-assign', render: (t) => (t.allow_auto_assign ? 'Yes' : 'No') },
      ]}
      createLabel="Add team"
      fields={[
        { name: 'name', label: 'Name', required: true },
        { name: 'description', label: 'Description', type: 'textarea' },
        { name: 'allow_auto_assign', label: 'Assign conversations to members automatically', type: 'checkbox' },
      ]}
      create={(v) => createTeam(accountId, teamInput(v))}
      edit={{
        values: (t) => ({ name: t.name, description: t.description ?? '', allow_auto_assign: t.allow_auto_assign }),
        save: (t, v) => updateTeam(accountId, t.id, teamInput(v)),
      }}
      remove={(t) => deleteTeam(accountId, t.id)}
    />
  );
}

export function TeamScreen({ accountId, teamId }: { accountId: number; teamId: number }) {
  const team = useLoad(() => getTeam(accountId, teamId), [accountId, teamId]);
  return (
    <section class="settings-section" aria-labelledby="settings-title">
      <p>
        <a href={`/app/accounts/${accountId}/settings/teams`}>← Teams</a>
      </p>
      <h2 id="settings-title">{team.data?.name ?? 'Team'}</h2>
      {team.error && <p role="alert">{team.error}</p>}
      <MembersEditor
        accountId={accountId}
        title="Team members"
        load={() => listTeamMembers(accountId, teamId)}
        save={(ids) => setTeamMembers(accountId, teamId, ids)}
      />
    </section>
  );
}
