import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/harness.js';
import { buildAccountFixture } from '../../../test/factories.js';

const server = useTestServer();
const url = '/custom_attribute_definitions';

describe('custom attribute definitions', () => {
  it('creates, lists (optionally by model), shows, updates and deletes (204)', async () => {
    const fx = await buildAccountFixture(server());
    const res = await fx.asAdmin('POST', url, {
      attribute_display_name: 'Plan',
      attribute_key: 'plan',
      attribute_display_type: 'list',
      attribute_model: 'contact_attribute',
      attribute_values: ['free', 'pro'],
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body)).toEqual([
      'id',
      'attribute_display_name',
      'attribute_display_type',
      'attribute_description',
      'attribute_key',
      'regex_pattern',
      'regex_cue',
      'attribute_values',
      'attribute_model',
      'default_value',
      'created_at',
      'updated_at',
    ]);
    expect(res.body).toMatchObject({
      attribute_display_type: 'list',
      attribute_model: 'contact_attribute',
      attribute_values: ['free', 'pro'],
    });
    expect(res.body.created_at).toMatch(/Z$/);
    await fx.asAdmin('POST', url, {
      custom_attribute_definition: {
        attribute_display_name: 'Order',
        attribute_key: 'order_id',
        attribute_display_type: 1,
        attribute_model: 0,
      },
    });
    expect((await fx.asAgent('GET', url)).body).toHaveLength(2);
    expect(
      (await fx.asAgent('GET', `${url}?attribute_model=contact_attribute`)).body.map(
        (d: { attribute_key: string }) => d.attribute_key,
      ),
    ).toEqual(['plan']);
    expect(
      (await fx.asAgent('GET', `${url}?attribute_model=0`)).body.map((d: { attribute_key: string }) => d.attribute_key),
    ).toEqual(['order_id']);
    expect((await fx.asAgent('GET', `${url}/${res.body.id}`)).body.attribute_key).toBe('plan');
    expect(
      (await fx.asAdmin('PATCH', `${url}/${res.body.id}`, { attribute_display_name: 'Tier' })).body
        .attribute_display_name,
    ).toBe('Tier');
    const del = await fx.asAdmin('DELETE', `${url}/${res.body.id}`);
    expect(del.status).toBe(204);
    expect((await fx.asAgent('GET', `${url}/${res.body.id}`)).status).toBe(404);
  });

  it('refuses bad definitions (422) and agents (401)', async () => {
    const fx = await buildAccountFixture(server());
    await fx.asAdmin('POST', url, {
      attribute_display_name: 'Plan',
      attribute_key: 'plan',
      attribute_model: 'contact_attribute',
    });
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { attribute_display_name: 'Plan 2', attribute_key: 'plan', attribute_model: 'contact_attribute' },
        'Attribute key has already been taken',
      ],
      [
        { attribute_display_name: 'Email', attribute_key: 'email', attribute_model: 'contact_attribute' },
        'Attribute key The provided key is not allowed as it might conflict with default attributes.',
      ],
      [
        { attribute_display_name: 'Bad', attribute_key: 'has space' },
        'Attribute key must only contain letters, numbers, underscores, hyphens, and dots',
      ],
      [{ attribute_key: 'nameless' }, "Attribute display name can't be blank"],
      [
        { attribute_display_name: 'T', attribute_key: 't1', attribute_display_type: 'hologram' },
        'Attribute display type is not included in the list',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await fx.asAdmin('POST', url, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.message).toBe(message);
    }
    expect((await fx.asAgent('POST', url, { attribute_display_name: 'X', attribute_key: 'x' })).status).toBe(401);
  });
});
