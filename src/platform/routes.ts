import { platformAppAuth } from '../core/http/auth.js';
import type { App, AppDeps } from '../core/http/types.js';
import { platformAccountRoutes } from './accounts/routes.js';
import { platformAccountUserRoutes } from './account-users/routes.js';
import { platformAgentBotRoutes } from './agent-bots/routes.js';
import { platformUserRoutes } from './users/routes.js';

/** /platform/api/v1: every route needs a platform app's token (checked before any lookup). */
export async function platformRoutes(app: App, deps: AppDeps) {
  app.addHook('onRequest', platformAppAuth(deps.db));
  await platformAccountRoutes(app, deps);
  await platformAccountUserRoutes(app, deps);
  await platformUserRoutes(app, deps);
  await platformAgentBotRoutes(app, deps);
}
