import Fastify, { type FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { lazyValidation } from './lazy-validation.js';

const ajv = { customOptions: { coerceTypes: 'array' as const, removeAdditional: false, allErrors: true } };

/** The same routes on Fastify's own validators (eager) or ours (lazy). */
function appWith(validation?: ReturnType<typeof lazyValidation>): FastifyInstance {
  const app = Fastify({
    ajv,
    ...(validation ? { schemaController: { compilersFactory: { buildValidator: validation.buildValidator } } } : {}),
  });
  app.post(
    '/things/:id',
    {
      schema: {
        params: Type.Object({ id: Type.Integer() }),
        querystring: Type.Object({ tags: Type.Optional(Type.Array(Type.String())) }),
        body: Type.Object({ name: Type.String({ minLength: 1 }), size: Type.Optional(Type.Integer()) }),
      },
    },
    async (request) => ({ params: request.params, query: request.query, body: request.body }),
  );
  app.get('/other', { schema: { querystring: Type.Object({ n: Type.Integer() }) } }, async () => ({ ok: true }));
  return app;
}

const requests = [
  { method: 'POST' as const, url: '/things/7?tags=a', payload: { name: 'x', size: '3' } },
  { method: 'POST' as const, url: '/things/seven', payload: { name: '' } },
  { method: 'POST' as const, url: '/things/7', payload: { size: 'big' } },
  { method: 'GET' as const, url: '/other?n=nope' },
];

describe('lazy request validators', () => {
  it('answer every request as Fastify’s own validators do, coercion and error messages included', async () => {
    const eager = appWith();
    const validation = lazyValidation();
    const lazy = appWith(validation);
    await Promise.all([eager.ready(), lazy.ready()]);
    expect(validation.pendingCount()).toBeGreaterThan(0); // nothing compiled before the first request
    for (const request of requests) {
      const [a, b] = await Promise.all([eager.inject(request), lazy.inject(request)]);
      expect({ status: b.statusCode, body: b.json() }, request.url).toEqual({ status: a.statusCode, body: a.json() });
    }
    // values coerced as ajv coerces them (a lone query value into an array, a numeric string into a number)
    expect((await lazy.inject(requests[0]!)).json()).toEqual({
      params: { id: 7 },
      query: { tags: ['a'] },
      body: { name: 'x', size: 3 },
    });
    await Promise.all([eager.close(), lazy.close()]);
  });

  it('warmUp compiles the ones no request used yet', async () => {
    const validation = lazyValidation();
    const app = appWith(validation);
    await app.ready();
    await app.inject(requests[3]!);
    const left = validation.pendingCount();
    expect(left).toBeGreaterThan(0);
    await validation.warmUp();
    expect(validation.pendingCount()).toBe(0);
    await app.close();
  });
});
