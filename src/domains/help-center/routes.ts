import type { App, AppDeps } from '../../core/http/types.js';
import { articleRoutes } from './article-routes.js';
import { categoryRoutes } from './category-routes.js';
import { portalRoutes } from './portal-routes.js';

/** The help center's Application API: portals, their categories and articles. */
export async function helpCenterRoutes(app: App, deps: AppDeps) {
  await portalRoutes(app, deps);
  await categoryRoutes(app, deps);
  await articleRoutes(app, deps);
}
