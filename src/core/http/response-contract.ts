import type { FastifyReply, FastifyRequest } from 'fastify';
import { Compile } from 'typebox/compile';
import type { TSchema } from 'typebox';

const compiled = new WeakMap<object, ReturnType<typeof Compile>>();

/**
 * preSerialization hook used in tests: every JSON response must match the schema its route
 * declares for that status, so /openapi.json cannot drift from what the server really sends.
 */
export async function responseContractHook(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const schemas = request.routeOptions.schema?.response as Record<string, TSchema> | undefined;
  const schema = schemas?.[String(reply.statusCode)];
  if (!schema || reply.statusCode >= 400) return payload;
  let check = compiled.get(schema);
  if (!check) {
    check = Compile(schema);
    compiled.set(schema, check);
  }
  if (!check.Check(payload)) {
    const errors = check
      .Errors(payload)
      .slice(0, 5)
      .map((e) => `${e.instancePath} ${e.message}`);
    throw new Error(
      `response of ${request.method} ${request.routeOptions.url} breaks its schema: ${errors.join('; ')}`,
    );
  }
  return payload;
}
