import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isTransientConflict } from '../events/bus.js';
import { AppError, badRequest, notFound, validationFailed, type FieldError } from '../errors.js';

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const WRAPPERS = new Set(['channel', 'profile', 'agent', 'team']);

/** Maps one schema violation to the Rails message ActiveModel would give for it. */
function fieldErrorFrom(error: AjvError): FieldError {
  const path = error.instancePath.split('/').filter(Boolean);
  // wrapper objects (`channel`, `profile`, ...) report their inner attribute, as Rails does
  const inner = WRAPPERS.has(path[0] ?? '') ? path.filter((p) => !/^\d+$/.test(p)).at(-1) : undefined;
  const attribute =
    error.keyword === 'required' && path.length === 0
      ? String(error.params.missingProperty)
      : (inner ?? path[0] ?? 'base');
  switch (error.keyword) {
    case 'required':
      return { attribute, message: "can't be blank" };
    case 'maxLength':
      return { attribute, message: `is too long (maximum is ${error.params.limit} characters)` };
    case 'minLength':
      return error.params.limit === 1
        ? { attribute, message: "can't be blank" }
        : { attribute, message: `is too short (minimum is ${error.params.limit} characters)` };
    case 'enum':
    case 'anyOf':
      return { attribute, message: 'is not included in the list' };
    default:
      return { attribute, message: 'is invalid' };
  }
}

/**
 * SQLSTATEs of values PostgreSQL cannot take: numeric_value_out_of_range (an integer past its
 * column), string_data_right_truncation, invalid_text_representation (a number as text it cannot
 * read), invalid_datetime_format and datetime_field_overflow (a date past its range),
 * program_limit_exceeded (an index entry too big), and statement_too_complex (nesting past the stack).
 */
const OUT_OF_BOUNDS_STATES = new Set(['22003', '22001', '22P02', '22007', '22008', '54000', '54001']);

/**
 * The safety net's answer. Request schemas declare every bound (http/schemas.ts LIMITS), so a
 * request that gets this found a bound nobody declared: it is logged as a warning, and the
 * input-bounds test fails on it.
 */
export const OUT_OF_BOUNDS = { attribute: 'base', message: 'is out of the range that can be stored' } as const;

function isOutOfBounds(error: Error): boolean {
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && OUT_OF_BOUNDS_STATES.has(code) && 'severity' in error;
}

/** Converts anything thrown in a request into Chatwoot's status and body; never a 500 for bad input. */
export function toAppError(error: FastifyError | Error): AppError | undefined {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & { validation?: AjvError[] };
  if (fastifyError.validation) {
    // one message per attribute: a single bad value can trip several schema keywords
    const seen = new Set<string>();
    const fields = fastifyError.validation
      .map(fieldErrorFrom)
      .filter((f) => !seen.has(f.attribute) && seen.add(f.attribute));
    return validationFailed(fields.length ? fields : [{ attribute: 'base', message: 'is invalid' }]);
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('Malformed JSON in request body');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 413, { error: 'Request body is too large' });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 415, { error: 'Unsupported Media Type' });
    default:
      break;
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400)
    return badRequest('Malformed JSON in request body');
  // PostgreSQL text and jsonb cannot hold NUL (character_not_in_repertoire, untranslatable_character):
  // input carrying one, in a body, a query or a path, is refused (the statement wrote nothing)
  const sqlState = (error as { code?: unknown }).code;
  if (sqlState === '22021' || sqlState === '22P05')
    return validationFailed([{ attribute: 'base', message: 'contains a character that cannot be stored' }]);
  if (isOutOfBounds(error)) return validationFailed([OUT_OF_BOUNDS]);
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('bad_request', fastifyError.statusCode, { error: error.message });
  }
  return undefined;
}

/**
 * A transaction PostgreSQL aborted for a conflict with another one running at once (deadlock,
 * serialization failure), after transactionally's second try: nothing was written and the same
 * request can pass later. Rails would answer 500; a client is better told to retry.
 */
export const CONFLICT_RETRY = { error: 'The request conflicted with a concurrent change; retry it' } as const;

/** The database could not be reached (restarting, failing over): the request did nothing and may be retried. */
export const DATABASE_UNAVAILABLE = { error: 'The database is unavailable; retry shortly' } as const;

const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * PostgreSQL shutting down or starting (class 57P: admin or crash shutdown, cannot connect now),
 * a connection exception (class 08), or the connection itself refused or dropped — over a Unix
 * socket (the embedded cluster's) a dropped connection is EPIPE on the next write, and a stopped
 * postmaster's socket file is gone: ENOENT on connect.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, syscall } = error as { code?: unknown; message?: unknown; syscall?: unknown };
  if (typeof code === 'string' && 'severity' in error) return code.startsWith('57P') || code.startsWith('08');
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE') return true;
  if (code === 'ENOENT' && syscall === 'connect') return true;
  return typeof message === 'string' && LOST_CONNECTION.test(message);
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: { message: error.message, code: error.code } }, 'database unavailable');
    return reply.status(503).header('retry-after', '1').send(DATABASE_UNAVAILABLE);
  }
  if (isTransientConflict(error)) {
    request.log.warn({ err: error }, 'a transaction conflicted with a concurrent one twice');
    return reply.status(503).header('retry-after', '1').send(CONFLICT_RETRY);
  }
  const appError = toAppError(error);
  if (isOutOfBounds(error))
    request.log.warn(
      { err: error },
      'a value reached PostgreSQL out of its bounds: declare the bound in the request schema',
    );
  if (appError) return reply.status(appError.status).send(appError.body);
  request.log.error({ err: error }, 'unhandled error');
  return reply.status(500).send({ error: 'Internal Server Error' });
}

export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply) {
  const error = notFound();
  return reply.status(error.status).send(error.body);
}

/**
 * A request Node's parser refuses before any route (headers past 16 kB: 431; a request line or
 * headers it cannot parse: 400; too slow to arrive: 408) is answered as Fastify's own handler does,
 * plus `Connection: close`. Without it a client keeps the connection for its next request, which
 * then fails on a socket the server has already destroyed: input-bounds.test.ts's request after a
 * 431 saw "fetch failed" under load. Node's own handler says close as well.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  // a connection reset: nothing left to answer on
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'Exceeded maximum allowed HTTP header size']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'Client Timeout']
        : [400, 'Bad Request', 'Client Error'];
  const body = JSON.stringify({ error: reason, message, statusCode: status });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
