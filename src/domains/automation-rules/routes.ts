import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import {
  AutomationRuleRunSchema,
  automationRuleJson,
  automationRuleRunJson,
  AutomationRuleSchema,
  type AutomationRuleView,
} from '../../serializers/automation-rule.js';
import { AutomationRuleBody, CloneParams, RunsQuery } from './schemas.js';
import {
  cloneAutomationRule,
  createAutomationRule,
  deleteAutomationRule,
  getAutomationRule,
  listAutomationRuleRuns,
  listAutomationRules,
  updateAutomationRule,
} from './service.js';

const tags = ['automation rules'];
const security = [{ userToken: [] }];
const url = '/automation_rules';
const Payload = Type.Object({ payload: AutomationRuleSchema });

/** /api/v1/accounts/:account_id/automation_rules (Api::V1::Accounts::AutomationRulesController), administrators only. */
export async function automationRuleRoutes(app: App, deps: AppDeps) {
  const json = (view: AutomationRuleView) =>
    automationRuleJson(view, (blob) => deps.storage.fileUrl(blob.key, blob.filename));
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: "The account's automation rules",
        response: { 200: Type.Object({ payload: Type.Array(AutomationRuleSchema) }) },
      },
    },
    async (request) => ({ payload: (await listAutomationRules(accountCtx(request, deps))).map(json) }),
  );
  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Create an automation rule (answered bare, as create.json.jbuilder renders it)',
        body: AutomationRuleBody,
        response: { 200: AutomationRuleSchema },
      },
    },
    async (request) => json(await createAutomationRule(accountCtx(request, deps), request.body)),
  );
  app.get(
    `${url}/:id`,
    { schema: { tags, security, summary: 'Show an automation rule', params: IdParams, response: { 200: Payload } } },
    async (request) => ({
      payload: json(await getAutomationRule(accountCtx(request, deps), request.params.id)),
    }),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: {
      tags,
      security,
      summary: 'Update an automation rule; conditions and actions are replaced when sent',
      params: IdParams,
      body: AutomationRuleBody,
      response: { 200: Payload },
    },
    handler: async (request) => ({
      payload: json(await updateAutomationRule(accountCtx(request, deps), request.params.id, request.body)),
    }),
  });
  app.delete(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Delete an automation rule; 200, empty body',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteAutomationRule(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
  app.post(
    `${url}/:automation_rule_id/clone`,
    {
      schema: {
        tags,
        security,
        summary: 'Copy an automation rule',
        params: CloneParams,
        response: { 200: Payload },
      },
    },
    async (request) => ({
      payload: json(await cloneAutomationRule(accountCtx(request, deps), request.params.automation_rule_id)),
    }),
  );
  app.get(
    `${url}/:id/runs`,
    {
      schema: {
        tags,
        security,
        summary: "Confab: the rule's runs (one per event it was evaluated for), newest first, 25 a page",
        params: IdParams,
        querystring: RunsQuery,
        response: {
          200: Type.Object({
            meta: Type.Object({ count: Type.Integer(), current_page: Type.Integer() }),
            payload: Type.Array(AutomationRuleRunSchema),
          }),
        },
      },
    },
    async (request) => {
      const page = request.query.page ?? 1;
      const { count, runs } = await listAutomationRuleRuns(accountCtx(request, deps), request.params.id, page);
      return { meta: { count, current_page: page }, payload: runs.map(automationRuleRunJson) };
    },
  );
}
