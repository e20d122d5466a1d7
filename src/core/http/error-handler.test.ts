import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { CONFLICT_RETRY, errorHandler } from './error-handler.js';

/** What errorHandler answered: status, headers and body. */
function answer(error: Error) {
  const sent: { status?: number; headers: Record<string, string>; body?: unknown } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const request = { log: { warn() {}, error() {} } };
  errorHandler(error as FastifyError, request as unknown as FastifyRequest, reply as unknown as FastifyReply);
  return sent;
}

/** An error as node-postgres raises it: a SQLSTATE code and a severity. */
const pgError = (code: string) => Object.assign(new Error('conflict'), { code, severity: 'ERROR' });

describe('errorHandler', () => {
  it('answers a deadlock or a serialization failure with 503, Retry-After and a body that says to retry', () => {
    for (const code of ['40P01', '40001'])
      expect(answer(pgError(code))).toEqual({ status: 503, headers: { 'retry-after': '1' }, body: CONFLICT_RETRY });
  });

  it('still answers an unknown failure with a 500', () => {
    expect(answer(pgError('XX000'))).toMatchObject({ status: 500, body: { error: 'Internal Server Error' } });
    expect(answer(Object.assign(new Error('x'), { code: '40P01' })).status).toBe(500);
  });
});
