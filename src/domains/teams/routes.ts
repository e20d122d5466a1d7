import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { itemRoutes } from '../../core/http/item-routes.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { AgentSchema, agentJson, type AgentView } from '../../serializers/agent.js';
import { TeamSchema, teamJson } from '../../serializers/team.js';
import { TeamBody, teamFieldsOf, TeamIdParams, TeamMembersBody } from './schemas.js';
import {
  addTeamMembers,
  createTeam,
  getTeam,
  listTeamMembers,
  listTeams,
  patchTeam,
  removeTeam,
  removeTeamMembers,
  replaceTeamMembers,
  type TeamView,
} from './service.js';

const tags = ['teams'];
const security = [{ userToken: [] }];
const render = ({ team, isMember }: TeamView) => teamJson(team, isMember);
const Members = Type.Union([Type.Array(AgentSchema), Type.Object({})], {
  description: 'An empty object when there are none',
});
/** jbuilder renders nothing (`{}`) when the member list it was given is empty. */
const members = (views: AgentView[]) => (views.length ? views.map((view) => agentJson(view)) : {});

export async function teamRoutes(app: App, deps: AppDeps) {
  app.get(
    '/teams',
    { schema: { tags, security, summary: 'Teams of the account', response: { 200: Type.Array(TeamSchema) } } },
    async (request) => (await listTeams(accountCtx(request, deps))).map(render),
  );

  itemRoutes(app, deps, {
    url: '/teams',
    tags,
    summaries: {
      create: 'Create a team (administrators)',
      show: 'Show a team',
      update: 'Update a team (administrators)',
      delete: 'Delete a team (administrators)',
    },
    body: TeamBody,
    fieldsOf: teamFieldsOf,
    response: TeamSchema,
    render,
    create: createTeam,
    show: getTeam,
    update: patchTeam,
    remove: removeTeam,
  });

  const url = '/teams/:team_id/team_members';
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Members of a team',
        params: TeamIdParams,
        response: { 200: Type.Array(AgentSchema) },
      },
    },
    async (request) =>
      (await listTeamMembers(accountCtx(request, deps), request.params.team_id)).map((view) => agentJson(view)),
  );

  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Add members; answers with those added (administrators)',
        params: TeamIdParams,
        body: TeamMembersBody,
        response: { 200: Members },
      },
    },
    async (request) => members(await addTeamMembers(accountCtx(request, deps), request.params.team_id, request.body)),
  );

  app.patch(
    url,
    {
      schema: {
        tags,
        security,
        summary: "Replace a team's members (administrators)",
        params: TeamIdParams,
        body: TeamMembersBody,
        response: { 200: Members },
      },
    },
    async (request) =>
      members(await replaceTeamMembers(accountCtx(request, deps), request.params.team_id, request.body)),
  );

  app.delete(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Remove members (administrators)',
        params: TeamIdParams,
        body: TeamMembersBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeTeamMembers(accountCtx(request, deps), request.params.team_id, request.body);
      return reply.status(200).send('');
    },
  );
}
