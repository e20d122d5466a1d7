import type { Static, TSchema } from 'typebox';
import { type AccountCtx, accountCtx } from './account-scope.js';
import { IdParams } from './ids.js';
import { EmptyBody } from './schemas.js';
import type { App, AppDeps } from './types.js';

/**
 * One account resource's create / show / update / delete routes, the shape Rails' `resources` gives
 * most of Chatwoot's settings controllers: POST url, GET url/:id, PATCH|PUT url/:id, DELETE url/:id.
 * The index stays in each domain's routes.ts, since its query and wrapping differ from resource to
 * resource; so do the member routes of the few controllers that wrap some answers but not others.
 */
export interface ItemRoutes<Row, Fields, Body extends TSchema> {
  url: string;
  tags: string[];
  /** The OpenAPI summary of each route. */
  summaries: { create: string; show: string; update: string; delete: string };
  body: Body;
  fieldsOf(body: Static<Body>): Fields;
  /** The schema of what `render` returns (the same for create, show and update). */
  response: TSchema;
  render(row: Row): unknown;
  create(ctx: AccountCtx, fields: Fields): Promise<Row>;
  show(ctx: AccountCtx, id: string): Promise<Row>;
  update(ctx: AccountCtx, id: string, fields: Fields): Promise<Row>;
  remove(ctx: AccountCtx, id: string): Promise<void>;
  /** Chatwoot answers most deletes with `head :ok`, a few with `head :no_content`. */
  deleteStatus?: 200 | 204;
}

export function itemRoutes<Row, Fields, Body extends TSchema>(
  app: App,
  deps: AppDeps,
  spec: ItemRoutes<Row, Fields, Body>,
): void {
  const { url, tags, summaries, body, response, render } = spec;
  const security = [{ userToken: [] }];
  const deleteStatus = spec.deleteStatus ?? 200;
  app.post(
    url,
    { schema: { tags, security, summary: summaries.create, body, response: { 200: response } } },
    async (request) =>
      render(await spec.create(accountCtx(request, deps), spec.fieldsOf(request.body as Static<Body>))),
  );
  app.get(
    `${url}/:id`,
    { schema: { tags, security, summary: summaries.show, params: IdParams, response: { 200: response } } },
    async (request) => render(await spec.show(accountCtx(request, deps), request.params.id)),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: `${url}/:id`,
    schema: { tags, security, summary: summaries.update, params: IdParams, body, response: { 200: response } },
    handler: async (request) =>
      render(
        await spec.update(accountCtx(request, deps), request.params.id, spec.fieldsOf(request.body as Static<Body>)),
      ),
  });
  app.delete(
    `${url}/:id`,
    {
      schema: { tags, security, summary: summaries.delete, params: IdParams, response: { [deleteStatus]: EmptyBody } },
    },
    async (request, reply) => {
      await spec.remove(accountCtx(request, deps), request.params.id);
      return reply.status(deleteStatus).send('');
    },
  );
}
