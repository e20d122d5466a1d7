import Fastify, { type FastifyBaseLogger } from 'fastify';
import swagger from '@fastify/swagger';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { clientErrorHandler, errorHandler, notFoundHandler } from './core/http/error-handler.js';
import { boundedJsonParser, rejectNonFiniteNumbers } from './core/http/input-guards.js';
import { parseQueryString } from './core/http/querystring.js';
import { registerCors } from './core/http/cors.js';
import type { App, AppDeps } from './core/http/types.js';
import { systemRoutes } from './domains/system/routes.js';
import { platformRoutes } from './platform/routes.js';
import { profileRoutes } from './domains/users/routes.js';
import { applicationAuth } from './core/http/auth.js';
import { accountScope } from './core/http/account-scope.js';
import { authRoutes, confirmationProfileRoutes } from './domains/auth/routes.js';
import { accountRoutes } from './domains/accounts/routes.js';
import { agentRoutes } from './domains/agents/routes.js';
import { inboxRoutes } from './domains/inboxes/routes.js';
import { inboxMemberRoutes } from './domains/inbox-members/routes.js';
import { teamRoutes } from './domains/teams/routes.js';
import { accountAgentBotRoutes } from './domains/agent-bots/routes.js';
import { contactRoutes } from './domains/contacts/routes.js';
import { labelRoutes } from './domains/labels/routes.js';
import { customAttributeRoutes } from './domains/custom-attributes/routes.js';
import { conversationRoutes } from './domains/conversations/routes.js';
import { messageRoutes } from './domains/messages/routes.js';
import { draftRoutes } from './domains/drafts/routes.js';
import { directUploadTargetRoutes, uploadRoutes } from './domains/uploads/routes.js';
import { attachmentFileRoutes } from './domains/attachments/routes.js';
import { cannedResponseRoutes } from './domains/canned-responses/routes.js';
import { slaPolicyRoutes } from './domains/sla-policies/routes.js';
import { appliedSlaRoutes } from './domains/applied-slas/routes.js';
import { assignmentPolicyRoutes } from './domains/assignment-policies/routes.js';
import { agentCapacityPolicyRoutes } from './domains/agent-capacity-policies/routes.js';
import { customFilterRoutes } from './domains/custom-filters/routes.js';
import { publicRoutes } from './client-api/routes.js';
import { webhookRoutes } from './domains/webhooks/routes.js';
import { notificationRoutes } from './domains/notifications/routes.js';
import { bulkActionRoutes } from './domains/bulk-actions/routes.js';
import { macroRoutes } from './domains/macros/routes.js';
import { automationRuleRoutes } from './domains/automation-rules/routes.js';
import { signupRoutes } from './domains/accounts/signup-routes.js';
import { searchRoutes } from './domains/search/routes.js';
import { companyRoutes } from './domains/companies/routes.js';
import { helpCenterRoutes } from './domains/help-center/routes.js';
import { helpCenterPublicRoutes } from './domains/help-center/public-routes.js';
import { csatSurveyResponseRoutes } from './domains/csat-survey-responses/routes.js';
import { summaryReportRoutes } from './domains/summary-reports/routes.js';
import { reportRoutes } from './domains/reports/routes.js';
import { reportingEventRoutes } from './domains/reporting-events/routes.js';
import { webAppRoutes } from './core/http/web-app.js';
import { metricsRoute, observeRequests } from './core/metrics/http.js';
import { lazyValidation } from './core/http/lazy-validation.js';

/** How long after listening the idle-time compile of request validators begins. */
const VALIDATOR_WARM_UP_DELAY_MS = 100;
export interface BuildOptions {
  /** A pino instance; none means no request logging. */
  logger?: FastifyBaseLogger;
  /** Check every response against its declared schema and fail loudly on drift (tests). */
  enforceResponseSchemas?: boolean;
}

/** Builds the HTTP app (no listen), so tests and the server share one construction. */
export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<App> {
  const validation = lazyValidation();
  const app = Fastify({
    schemaController: { compilersFactory: { buildValidator: validation.buildValidator } },
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: deps.config.bodyLimit,
    clientErrorHandler,
    // X-Forwarded-For names the client only when the peer is a trusted proxy (CONFAB_TRUSTED_PROXIES)
    trustProxy: deps.config.trustedProxies.length ? [...deps.config.trustedProxies] : false,
    // Rails ignores a trailing slash and `.json` suffixes; we ignore the slash.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500, querystringParser: parseQueryString },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true, allowUnionTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Responses are written with JSON.stringify: schemas describe them (for /openapi.json and the
  // contract check) but never silently drop or coerce a key the way fast-json-stringify would.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // JSON bodies nested deeper than Rails takes are malformed (400), before anything walks them
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, boundedJsonParser(json));
  if (deps.metrics) {
    app.addHook('onResponse', observeRequests(deps.metrics));
    if (deps.config.metricsToken) metricsRoute(app as App, deps.metrics, deps.config.metricsToken);
  }
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // Rails treats a POST/PATCH without a body as empty params; so do we, so that schema
  // validation reports missing fields instead of "body must be object".
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) request.body = {};
  });
  app.addHook('preHandler', rejectNonFiniteNumbers);
  if (options.enforceResponseSchemas) {
    // test-only; loaded on demand because TypeBox's compiler costs ~0.4 s of start-up
    const { responseContractHook } = await import('./core/http/response-contract.js');
    app.addHook('preSerialization', responseContractHook);
    // and a schema ajv refuses fails the start, not a later request
    app.addHook('onReady', async () => validation.compileAll());
  } else {
    // request validators are compiled once the server answers (or on their route's first request),
    // from a moment after it listens: its first requests, often right after, go first
    let warmUpTimer: NodeJS.Timeout | undefined;
    app.addHook('onListen', async () => {
      warmUpTimer = setTimeout(() => {
        validation
          .warmUp()
          .catch((error: unknown) => app.log.error({ err: error }, 'request schema failed to compile'));
      }, VALIDATOR_WARM_UP_DELAY_MS).unref();
    });
    // a server closed within the delay compiles nothing more
    app.addHook('onClose', async () => clearTimeout(warmUpTimer));
  }

  // first of the onRequest hooks: a preflight is answered before auth or a rate limit sees it
  await registerCors(app, { apiOnlyServer: deps.config.apiOnlyServer });
  await app.register(multipart, { limits: { fileSize: deps.config.importLimit, files: 1, fields: 20 } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Confab',
        version: '0.1.0',
        description:
          'Chatwoot-compatible Application, Client and Platform APIs. Every request and response schema here is the one the server validates with.\n\n' +
          'Realtime: ActionCable on `/cable` (RoomChannel with `pubsub_token`, plus `account_id` and `user_id` for agents). Every broadcast carries an increasing `event_id`; ' +
          'a client that reconnects may put `last_event_id` in its subscribe identifier to receive what it missed (kept CONFAB_CABLE_REPLAY_SECONDS, default 24 h), then live events; confirm_subscription carries the stream position as `last_event_id`, for a client cut off before its first event.',
      },
      components: {
        securitySchemes: {
          userToken: {
            type: 'apiKey',
            in: 'header',
            name: 'api_access_token',
            description: 'A user or agent bot access token',
          },
          platformAppToken: {
            type: 'apiKey',
            in: 'header',
            name: 'api_access_token',
            description: 'A platform app access token',
          },
        },
      },
    },
  });

  await app.register(async (scope) => systemRoutes(scope as App, deps));
  await app.register(async (scope) => platformRoutes(scope as App, deps), { prefix: '/platform/api/v1' });
  await app.register(async (scope) => authRoutes(scope as App, deps));
  await app.register(async (scope) => applicationApi(scope as App, deps), { prefix: '/api/v1' });
  await app.register(async (scope) => applicationApiV2(scope as App, deps), { prefix: '/api/v2' });
  // sign-up is outside the signed-in API (Chatwoot skips authenticate_user! for it)
  await app.register(async (scope) => signupRoutes(scope as App, deps), { prefix: '/api/v1' });
  // the Client API: no user auth, its own body parsers and rate limits (encapsulated in the scope)
  await app.register(async (scope) => publicRoutes(scope as App, deps), { prefix: '/public/api/v1' });
  // the public help center: /hc/:slug/…, no sign-in
  await app.register(async (scope) => helpCenterPublicRoutes(scope as App, deps));
  await attachmentFileRoutes(app as App, deps);
  await app.register(async (scope) => directUploadTargetRoutes(scope as App, deps));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // the agent inbox: static files, after the API so /app/* never shadows a route
  await app.register(async (scope) => webAppRoutes(scope, { signup: deps.config.accountSignup }));
  return app;
}

/** /api/v2/accounts/:account_id: the reports, behind the same auth and account check as /api/v1. */
async function applicationApiV2(api: App, deps: AppDeps) {
  api.addHook('onRequest', applicationAuth(deps.db));
  await api.register(
    async (scope) => {
      const account = scope as App;
      account.addHook('preValidation', accountScope(deps.db));
      await reportRoutes(account, deps);
      await summaryReportRoutes(account, deps);
    },
    { prefix: '/accounts/:account_id' },
  );
}

/**
 * /api/v1: token (or devise session) auth first, then for /accounts/:account_id/* the account
 * check — both before body validation, so a stranger learns nothing from a 422.
 */
async function applicationApi(api: App, deps: AppDeps) {
  api.addHook('onRequest', applicationAuth(deps.db));
  await profileRoutes(api, deps);
  await confirmationProfileRoutes(api, deps);
  await accountRoutes(api, deps);
  await api.register(
    async (scope) => {
      const account = scope as App;
      account.addHook('preValidation', accountScope(deps.db));
      await agentRoutes(account, deps);
      await inboxRoutes(account, deps);
      await inboxMemberRoutes(account, deps);
      await teamRoutes(account, deps);
      await accountAgentBotRoutes(account, deps);
      await contactRoutes(account, deps);
      await labelRoutes(account, deps);
      await customAttributeRoutes(account, deps);
      await conversationRoutes(account, deps);
      await reportingEventRoutes(account, deps);
      await messageRoutes(account, deps);
      await draftRoutes(account, deps);
      await cannedResponseRoutes(account, deps);
      await slaPolicyRoutes(account, deps);
      await appliedSlaRoutes(account, deps);
      await customFilterRoutes(account, deps);
      await webhookRoutes(account, deps);
      await notificationRoutes(account, deps);
      await bulkActionRoutes(account, deps);
      await macroRoutes(account, deps);
      await automationRuleRoutes(account, deps);
      await uploadRoutes(account, deps);
      await searchRoutes(account, deps);
      await companyRoutes(account, deps);
      await helpCenterRoutes(account, deps);
      await assignmentPolicyRoutes(account, deps);
      await agentCapacityPolicyRoutes(account, deps);
      await csatSurveyResponseRoutes(account, deps);
    },
    { prefix: '/accounts/:account_id' },
  );
}
