import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { IdParams } from '../../core/http/ids.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import type { Storage } from '../../core/storage/storage.js';
import { MacroSchema, macroJson, type MacroView } from '../../serializers/macro.js';
import { ExecuteBody, MacroBody } from './schemas.js';
import { createMacro, deleteMacro, executeMacro, listMacros, showMacro, updateMacro } from './service.js';

const tags = ['macros'];
const security = [{ userToken: [] }];
const url = '/macros';

const Wrapped = Type.Object({ payload: MacroSchema });
const render = (storage: Storage, view: MacroView) =>
  macroJson(view, (blob) => storage.fileUrl(blob.key, blob.filename));

/** /api/v1/accounts/:account_id/macros (Api::V1::Accounts::MacrosController): every answer wrapped in `payload`. */
export async function macroRoutes(app: App, deps: AppDeps) {
  const json = (view: MacroView) => render(deps.storage, view);
  app.get(
    url,
    {
      schema: {
        tags,
        security,
        summary: "The account's global macros and the caller's personal ones, by id",
        response: { 200: Type.Object({ payload: Type.Array(MacroSchema) }) },
      },
    },
    async (request) => ({ payload: (await listMacros(accountCtx(request, deps))).map(json) }),
  );
  app.post(
    url,
    {
      schema: {
        tags,
        security,
        summary: 'Create a macro (an agent’s is always personal)',
        body: MacroBody,
        response: { 200: Wrapped },
      },
    },
    async (request) => ({ payload: json(await createMacro(accountCtx(request, deps), request.body)) }),
  );
  app.get(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'A global macro, or one of the caller’s own (404 with an empty body otherwise)',
        params: IdParams,
        response: { 200: Wrapped, 404: EmptyBody },
      },
    },
    async (request, reply) => {
      const found = await showMacro(accountCtx(request, deps), request.params.id);
      if (!found) return reply.status(404).send('');
      return { payload: json(found) };
    },
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: {
      tags,
      security,
      summary: 'Update a macro: its author, or an administrator for a global one',
      params: IdParams,
      body: MacroBody,
      response: { 200: Wrapped },
    },
    handler: async (request) => ({
      payload: json(await updateMacro(accountCtx(request, deps), request.params.id, request.body)),
    }),
  });
  app.delete(
    `${url}/:id`,
    {
      schema: {
        tags,
        security,
        summary: 'Delete a macro: its author, or an administrator for a global one',
        params: IdParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deleteMacro(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
  app.post(
    `${url}/:id/execute`,
    {
      schema: {
        tags,
        security,
        summary: 'Run a macro on conversations (display ids) as the caller; applied by a job',
        params: IdParams,
        body: ExecuteBody,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await executeMacro(accountCtx(request, deps), request.params.id, request.body ?? {});
      return reply.status(200).send('');
    },
  );
}
