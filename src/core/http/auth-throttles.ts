import type { FastifyReply, FastifyRequest } from 'fastify';
import { bodyEmail, throttleHook, type Throttle } from './throttle.js';
import type { AppDeps } from './types.js';

const MINUTE = 60_000;
const ip = (request: FastifyRequest) => request.ip;

/** Chatwoot's authentication throttles (config/initializers/rack_attack.rb), by route. */
const THROTTLES = {
  signIn: [
    { name: 'login/ip', limit: 5, periodMs: 5 * MINUTE, key: ip },
    { name: 'login/email', limit: 10, periodMs: 15 * MINUTE, key: bodyEmail },
  ],
  passwordReset: [
    { name: 'reset_password/ip', limit: 5, periodMs: 30 * MINUTE, key: ip },
    { name: 'reset_password/email', limit: 5, periodMs: 60 * MINUTE, key: bodyEmail },
  ],
  resendConfirmation: [{ name: 'resend_confirmation/ip', limit: 5, periodMs: 30 * MINUTE, key: ip }],
  signUp: [{ name: 'accounts/ip', limit: 5, periodMs: 30 * MINUTE, key: ip }],
} satisfies Record<string, Throttle[]>;

const off = async (_request: FastifyRequest, _reply: FastifyReply) => undefined;

/**
 * preHandler hooks (the body is parsed, so the e-mail throttles can read it) counting in the store
 * the Client API limits use, so every node enforces one limit; all of them no-ops when
 * CONFAB_AUTH_RATE_LIMITS=false.
 */
export function authThrottles(deps: Pick<AppDeps, 'config' | 'rateLimits'>) {
  const hook = (throttles: Throttle[]) => (deps.config.authRateLimits ? throttleHook(throttles, deps.rateLimits) : off);
  return {
    signIn: hook(THROTTLES.signIn),
    passwordReset: hook(THROTTLES.passwordReset),
    resendConfirmation: hook(THROTTLES.resendConfirmation),
    signUp: hook(THROTTLES.signUp),
  };
}
