import { Type } from 'typebox';
import { accountCtx } from '../../core/http/account-scope.js';
import { imageFormReader } from '../../core/http/avatar-upload.js';
import { EmptyBody } from '../../core/http/schemas.js';
import type { App, AppDeps } from '../../core/http/types.js';
import { attachAvatar, removeAvatar } from '../../core/storage/avatars.js';
import { PortalSchema, portalJson, type PortalView } from '../../serializers/portal.js';
import { portalView } from './portal-queries.js';
import {
  archivePortal,
  callerId,
  createPortal,
  deletePortal,
  getPortal,
  listPortals,
  portalForLogo,
  updatePortal,
} from './portals.js';
import { LocaleQuery, PortalBody, PortalParams, portalFieldsOf } from './schemas.js';

const tags = ['help center'];
const security = [{ userToken: [] }];
const consumes = ['application/json', 'multipart/form-data'];

/** Portals (Api::V1::Accounts::PortalsController); `:id` is the portal slug. */
export async function portalRoutes(app: App, deps: AppDeps) {
  /** After the portal is written: a multipart `logo` is stored and the portal points at it. */
  const withLogo = async (request: Parameters<typeof accountCtx>[0], view: PortalView): Promise<PortalView> => {
    if (!request.avatarFile) return view;
    const { portal } = view;
    await attachAvatar(
      deps.db,
      deps.storage,
      { owner: 'portals', id: portal.id, accountId: portal.account_id },
      request.avatarFile,
    );
    const ctx = accountCtx(request, deps);
    const fresh = await deps.db.selectFrom('portals').selectAll().where('id', '=', portal.id).executeTakeFirstOrThrow();
    return portalView(ctx.db, fresh, { userId: callerId(ctx) });
  };

  app.get(
    '/portals',
    {
      schema: {
        tags,
        security,
        summary: 'Portals of the account',
        response: {
          200: Type.Object({
            payload: Type.Array(PortalSchema),
            meta: Type.Object({ current_page: Type.Integer(), portals_count: Type.Integer() }),
          }),
        },
      },
    },
    async (request) => {
      const views = await listPortals(accountCtx(request, deps));
      return { payload: views.map(portalJson), meta: { current_page: 1, portals_count: views.length } };
    },
  );
  app.post(
    '/portals',
    {
      schema: {
        tags,
        security,
        summary: 'Create a portal (administrators); multipart with `logo` sets its logo',
        consumes,
        body: PortalBody,
        response: { 200: PortalSchema },
      },
      preValidation: imageFormReader('logo'),
    },
    async (request) => {
      const ctx = accountCtx(request, deps);
      return portalJson(
        await withLogo(request, await createPortal(ctx, portalFieldsOf(request.body), request.body.blob_id)),
      );
    },
  );
  app.get(
    '/portals/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Show a portal with its article counts (of one locale with ?locale=)',
        params: PortalParams,
        querystring: LocaleQuery,
        response: { 200: PortalSchema },
      },
    },
    async (request) => portalJson(await getPortal(accountCtx(request, deps), request.params.id, request.query.locale)),
  );
  app.route({
    method: ['PATCH', 'PUT'],
    url: '/portals/:id',
    schema: {
      tags,
      security,
      summary: 'Update a portal (administrators); multipart with `logo` replaces its logo',
      consumes,
      params: PortalParams,
      body: PortalBody,
      response: { 200: PortalSchema },
    },
    preValidation: imageFormReader('logo'),
    handler: async (request) => {
      const ctx = accountCtx(request, deps);
      const view = await updatePortal(ctx, request.params.id, portalFieldsOf(request.body), request.body.blob_id);
      return portalJson(await withLogo(request, view));
    },
  });
  app.delete(
    '/portals/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a portal (administrators)',
        params: PortalParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await deletePortal(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
  app.patch(
    '/portals/:id/archive',
    {
      schema: {
        tags,
        security,
        summary: 'Archive a portal (administrators)',
        params: PortalParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      await archivePortal(accountCtx(request, deps), request.params.id);
      return reply.status(200).send('');
    },
  );
  app.delete(
    '/portals/:id/logo',
    {
      schema: {
        tags,
        security,
        summary: "Remove the portal's logo (administrators)",
        params: PortalParams,
        response: { 200: EmptyBody },
      },
    },
    async (request, reply) => {
      const portal = await portalForLogo(accountCtx(request, deps), request.params.id);
      await removeAvatar(deps.db, deps.storage, { owner: 'portals', id: portal.id, accountId: portal.account_id });
      return reply.status(200).send('');
    },
  );
}
