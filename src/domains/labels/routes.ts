import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { itemRoutes } from '../../core/http/item-routes.js';
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
  itemRoutes(app, deps, {
    url: '/labels',
    tags,
    summaries: {
      create: 'Create a label (administrators)',
      show: 'Show a label (administrators)',
      update: 'Update a label (administrators)',
      delete: 'Delete a label (administrators)',
    },
    body: LabelBody,
    fieldsOf: labelFieldsOf,
    response: LabelSchema,
    render: labelJson,
    create: createLabel,
    show: getLabel,
    update: patchLabel,
    remove: removeLabel,
  });
}
