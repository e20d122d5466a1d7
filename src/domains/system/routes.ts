import { Type } from 'typebox';
import type { App, AppDeps } from '../../core/http/types.js';

/** The Chatwoot release whose API Confab speaks; clients read `version` from GET /api. */
export const CHATWOOT_API_VERSION = '4.1.0';
export const CONFAB_VERSION = '0.1.0';

const ApiStatus = Type.Object({
  version: Type.String({ description: 'Chatwoot API version this server is compatible with' }),
  timestamp: Type.String({ description: 'UTC, Rails :db format ("YYYY-MM-DD HH:MM:SS")' }),
  queue_services: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  data_services: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  confab_version: Type.String(),
});

/** `GET /api` (Chatwoot's ApiController#index) and `GET /health`. */
export async function systemRoutes(app: App, deps: AppDeps) {
  app.get(
    '/api',
    { schema: { tags: ['system'], summary: 'Installation status', response: { 200: ApiStatus } } },
    async () => {
      const databaseUp = await deps.checkDatabase();
      // Jobs live in PostgreSQL (graphile-worker), so the queue is up exactly when the database is.
      const status = databaseUp ? 'ok' : 'failing';
      return {
        version: CHATWOOT_API_VERSION,
        timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19),
        queue_services: status,
        data_services: status,
        confab_version: CONFAB_VERSION,
      } as const;
    },
  );

  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness probe',
        response: { 200: Type.Object({ status: Type.String() }) },
      },
    },
    async () => ({ status: 'woot' }),
  );
}
