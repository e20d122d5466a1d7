/**
 * The one error type services throw. Each factory renders one of Chatwoot's bodies exactly;
 * the Fastify error handler (http/error-handler.ts) only copies status and body to the wire.
 */
export type ErrorCode =
  | 'invalid_access_token'
  | 'invalid_platform_token'
  | 'non_permissible'
  | 'not_found'
  | 'record_not_found'
  | 'validation_failed'
  | 'bad_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'bot_not_allowed'
  | 'sign_in_required'
  | 'not_account_member'
  | 'account_suspended'
  | 'unauthorized_action'
  | 'unprocessable'
  | 'payment_required'
  | 'hmac_failed'
  | 'signup_refused';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.error === 'string' ? body.error : String(body.message ?? code));
  }
}

/** Application API: unknown or missing api_access_token. */
export const invalidAccessToken = () => new AppError('invalid_access_token', 401, { error: 'Invalid Access Token' });

/** Platform API: missing token, unknown token, or a token that is not a platform app's. */
export const invalidPlatformToken = () =>
  new AppError('invalid_platform_token', 401, { error: 'Invalid access_token' });

/** Platform API: the object exists but was neither created by nor granted to this platform app. */
export const nonPermissible = () => new AppError('non_permissible', 401, { error: 'Non permissible resource' });

/** A non-user token on an endpoint outside Chatwoot's BOT_ACCESSIBLE_ENDPOINTS. */
export const botNotAllowed = () =>
  new AppError('bot_not_allowed', 401, { error: 'Access to this endpoint is not authorized for bots' });

/**
 * Rails' default 404 (Platform API, unknown routes): Chatwoot's PlatformController does not
 * rescue RecordNotFound, so the exceptions app answers.
 */
export const notFound = () => new AppError('not_found', 404, { status: 404, error: 'Not Found' });

/** Application API 404 (RequestExceptionHandler rescuing RecordNotFound). */
export const recordNotFound = () => new AppError('record_not_found', 404, { error: 'Resource could not be found' });

export interface FieldError {
  attribute: string;
  /** Rails-style message without the attribute, e.g. "can't be blank". */
  message: string;
}

/** "support_email" -> "Support email", as ActiveModel's human_attribute_name does. */
export function humanize(attribute: string): string {
  const words = attribute.replace(/_id$/, '').replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** ActiveRecord::RecordInvalid: 422 {"message": full messages joined by ", ", "attributes": [...]}. */
export function validationFailed(errors: FieldError[]): AppError {
  return new AppError('validation_failed', 422, {
    message: errors.map((e) => `${humanize(e.attribute)} ${e.message}`).join(', '),
    attributes: [...new Set(errors.map((e) => e.attribute))],
  });
}

export const badRequest = (message: string) => new AppError('bad_request', 400, { error: message });

/** devise_token_auth: a request with no credentials at all. */
export const signInRequired = () =>
  new AppError('sign_in_required', 401, { errors: ['You need to sign in or sign up before continuing.'] });

/** EnsureCurrentAccountHelper: the caller is not a member of the account. */
export const notAccountMember = () =>
  new AppError('not_account_member', 401, { error: 'You are not authorized to access this account' });

export const accountSuspended = () => new AppError('account_suspended', 401, { error: 'Account is suspended' });

/** Pundit::NotAuthorizedError: Chatwoot answers 401, not 403. */
export const unauthorizedAction = () =>
  new AppError('unauthorized_action', 401, { error: 'You are not authorized to do this action' });

/** render_could_not_create_error and friends: 422 {"error": message}. */
export const unprocessable = (message: string) => new AppError('unprocessable', 422, { error: message });

/**
 * Client API identity validation. Chatwoot's public ContactsController#process_hmac raises a bare
 * StandardError (Rails answers 500); its widget ContactsController refuses the same failed check
 * with 401 and `{"error": message}`. Confab answers the widget's way everywhere: a refused
 * identity is the client's fault, not a server failure, and clients treat both as a refusal.
 */
export const hmacFailed = (message: string) => new AppError('hmac_failed', 401, { error: message });
