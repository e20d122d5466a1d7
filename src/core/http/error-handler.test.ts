import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { CONFLICT_RETRY, DATABASE_UNAVAILABLE, errorHandler } from './error-handler.js';

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

  it('answers a database that is restarting or unreachable with 503 and Retry-After', () => {
    const unavailable = { status: 503, headers: { 'retry-after': '1' }, body: DATABASE_UNAVAILABLE };
    for (const code of ['57P01', '57P03', '08006']) expect(answer(pgError(code)), code).toEqual(unavailable);
    expect(answer(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toEqual(
      unavailable,
    );
    expect(answer(new Error('Connection terminated unexpectedly'))).toEqual(unavailable);
    // the embedded cluster's Unix socket while its postmaster is down; a missing file elsewhere is not that
    const socketGone = Object.assign(new Error('connect ENOENT /data/pg/.s.PGSQL.5432'), {
      code: 'ENOENT',
      syscall: 'connect',
    });
    expect(answer(socketGone)).toEqual(unavailable);
    expect(answer(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' }))).toEqual(unavailable);
    expect(answer(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' })).status).toBe(
      500,
    );
    // a SQLSTATE of another class is not about the connection
    expect(answer(pgError('42P01')).status).toBe(500);
  });

  it('still answers an unknown failure with a 500', () => {
    expect(answer(pgError('XX000'))).toMatchObject({ status: 500, body: { error: 'Internal Server Error' } });
    expect(answer(Object.assign(new Error('x'), { code: '40P01' })).status).toBe(500);
  });
});
