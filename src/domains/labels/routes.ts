import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { LabelSchema, labelJson } from '../../serializers/label.js';
import { LabelBody, labelFieldsOf } from './schemas.js';
import { createLabel, getLabel, listLabels, patchLabel, removeLabel } from './service.js';

const tags = ['labels'];
const security = [{ userToken: [] }];

export async function labelRoutes(app: App, deps: AppDeps) {
  app.get(
    '/labels',
    {
      schema: {
        tags,
        security,
        summary: 'Labels of the account',
        response: { 200: Type.Object({ payload: Type.Array(LabelSchema) }) },
      },
    },
    async (request) => ({ payload: (await listLabels(accountCtx(request, deps))).map(labelJson) }),
  );
  app.post(
    '/labels',
    {
      schema: {
        tags,
        security,
        summary: 'Create a label (administrators)',
        body: LabelBody,
        response: { 200: LabelSchema },
      },
    },
    async (request) => labelJson(await createLabel(accountCtx(request, deps), labelFieldsOf(request.body))),
  );
  app.get(
    '/labels/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show a label (administrators)',
        params: IdParams,
        response: { 200: LabelSchema },
      },
    },
    async (request) => labelJson(await getLabel(accountCtx(request, deps), request.params.id)),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/labels/:id',
    schema: {
      tags,
      security,
      summary: 'Update a label (administrators)',
      params: IdParams,
      body: LabelBody,
      response: { 200: LabelSchema },
    },
    handler: async (request) =>
      labelJson(await patchLabel(accountCtx(request, deps), request.params.id, labelFieldsOf(request.body))),
  });
  app.delete(
    '/labels/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a label (administrators)',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await removeLabel(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
}
