import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { EmptyBody } from '../../core/http/schemas.js';
import { itemRoutes } from '../../core/http/item-routes.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  AssignmentPolicySchema,
  assignmentPolicyJson,
  InboxAssignmentPolicySchema,
  inboxAssignmentPolicyJson,
} from '../../serializers/assignment-policy.js';
import { InboxSchema, inboxJson } from '../../serializers/inbox.js';
import { loadInboxViews } from '../inboxes/queries.js';
import {
  InboxIdParams,
  LinkInboxBody,
  LinkPolicyBody,
  PolicyBody,
  policyFieldsOf,
  PolicyIdParams,
  PolicyInboxParams,
} from './schemas.js';
import {
  createPolicy,
  deletePolicy,
  inboxPolicy,
  linkPolicyInbox,
  listPolicies,
  policyInboxes,
  removeInboxPolicy,
  setInboxPolicy,
  showPolicy,
  unlinkPolicyInbox,
  updatePolicy,
} from './service.js';

const tags = ['assignment policies'];
const security = [{ userToken: [] }];
const url = '/assignment_policies';

/**
 * Assignment V2 policies (AssignmentPoliciesController, AssignmentPolicies::InboxesController,
 * Inboxes::AssignmentPoliciesController): administrators only; the index is a bare array.
 */
export async function assignmentPolicyRoutes(app: App, deps: AppDeps) {
  app.get(
    url,
    {
      schema: { tags, security, summary: 'Assignment policies', response: { 200: Type.Array(AssignmentPolicySchema) } },
    },
    async (request) => (await listPolicies(accountCtx(request, deps))).map(assignmentPolicyJson),
  );
  itemRoutes(app, deps, {
    url,
    tags,
    summaries: {
      create: 'Create an assignment policy',
      show: 'Show an assignment policy',
      update: 'Update an assignment policy',
      delete: 'Delete an assignment policy',
    },
    body: PolicyBody,
    fieldsOf: policyFieldsOf,
    response: AssignmentPolicySchema,
    render: assignmentPolicyJson,
    create: createPolicy,
    show: showPolicy,
    update: updatePolicy,
    remove: deletePolicy,
  });

  app.get(
    `${url}/:assignment_policy_id/inboxes`,
    {
      schema: {
        tags,
        security,
        summary: 'Inboxes that use the policy',
        params: PolicyIdParams,
        response: { 200: Type.Object({ inboxes: Type.Array(InboxSchema) }) },
      },
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      const inboxes = await policyInboxes(ctx, request.params.assignment_policy_id);
      const views = await loadInboxViews(ctx.db, inboxes);
      return { inboxes: views.map((view) => inboxJson(view, { administrator: true })) };
    },
  );
  app.post(
    `${url}/:assignment_policy_id/inboxes`,
    {
      schema: {
        tags,
        security,
        summary: "Set an inbox's policy",
        params: PolicyIdParams,
        body: LinkInboxBody,
        response: { 200: InboxAssignmentPolicySchema },
      },
    },
    async (request) =>
      inboxAssignmentPolicyJson(
        await linkPolicyInbox(accountCtx(request, deps), request.params.assignment_policy_id, request.body.inbox_id),
      ),
  );
  app.delete(
    `${url}/:assignment_policy_id/inboxes/:id`,
    {
      schema: {
        tags,
        security,
        summary: "Remove an inbox's policy",
        params: PolicyInboxParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await unlinkPolicyInbox(accountCtx(request, deps), request.params.assignment_policy_id, request.params.id);
      return reply.status(200).send('');
    },
  );

  const inboxUrl = '/inboxes/:inbox_id/assignment_policy';
  app.get(
    inboxUrl,
    {
      schema: {
        tags,
        security,
        summary: "The inbox's assignment policy",
        params: InboxIdParams,
        response: { 200: AssignmentPolicySchema },
      },
    },
    async (request) => assignmentPolicyJson(await inboxPolicy(accountCtx(request, deps), request.params.inbox_id)),
  );
  app.post(
    inboxUrl,
    {
      schema: {
        tags,
        security,
        summary: "Set the inbox's assignment policy",
        params: InboxIdParams,
        body: LinkPolicyBody,
        response: { 200: AssignmentPolicySchema },
      },
    },
    async (request) =>
      assignmentPolicyJson(
        await setInboxPolicy(accountCtx(request, deps), request.params.inbox_id, request.body.assignment_policy_id),
      ),
  );
  app.delete(
    inboxUrl,
    {
      schema: {
        tags,
        security,
        summary: "Remove the inbox's assignment policy",
        params: InboxIdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeInboxPolicy(accountCtx(request, deps), request.params.inbox_id);
      return reply.status(200).send('');
    },
  );
}
