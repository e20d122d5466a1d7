import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';

const server = useTestServer();

describe('system routes', () => {
  it('GET /api answers like Chatwoot', async () => {
    const res = await server().request('GET', '/api');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: expect.any(String), queue_services: 'ok', data_services: 'ok' });
    expect(res.body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  });

  it('GET /health answers 200', async () => {
    const res = await server().request('GET', '/health');
    expect(res.status).toBe(200);
  });

  it('unknown routes answer a JSON 404', async () => {
    const res = await server().request('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: 404, error: 'Not Found' });
  });

  it('serves an OpenAPI 3.1 document with every Platform route and its schemas', async () => {
    const res = await server().request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths as Record<
      string,
      Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>
    >;
    const expected: Array<[string, string]> = [
      ['/platform/api/v1/accounts', 'post'],
      ['/platform/api/v1/accounts', 'get'],
      ['/platform/api/v1/accounts/{id}', 'get'],
      ['/platform/api/v1/accounts/{id}', 'patch'],
      ['/platform/api/v1/accounts/{id}', 'delete'],
      ['/platform/api/v1/accounts/{account_id}/account_users', 'get'],
      ['/platform/api/v1/accounts/{account_id}/account_users', 'post'],
      ['/platform/api/v1/accounts/{account_id}/account_users', 'delete'],
      ['/platform/api/v1/users', 'post'],
      ['/platform/api/v1/users/{id}', 'get'],
      ['/platform/api/v1/users/{id}', 'patch'],
      ['/platform/api/v1/users/{id}', 'delete'],
      ['/platform/api/v1/users/{id}/login', 'get'],
      ['/platform/api/v1/agent_bots', 'get'],
      ['/platform/api/v1/agent_bots', 'post'],
      ['/platform/api/v1/agent_bots/{id}', 'get'],
      ['/platform/api/v1/agent_bots/{id}', 'patch'],
      ['/platform/api/v1/agent_bots/{id}', 'delete'],
      ['/api/v1/profile', 'get'],
      ['/api', 'get'],
    ];
    for (const [path, method] of expected) {
      const operation = paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation!.responses['200'], `${method} ${path} 200`).toBeDefined();
    }
    expect(paths['/platform/api/v1/accounts']!.post!.requestBody).toBeDefined();
  });
});
