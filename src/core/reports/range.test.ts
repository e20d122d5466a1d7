import { describe, expect, it } from 'vitest';
import { castBoolean, parseReportRange } from './range.js';
import { zoneForOffset } from './zones.js';

describe('report zones and ranges', () => {
  it("picks the zone whose offset is the given one now, as Chatwoot's TimezoneHelper", () => {
    const winter = new Date('2024-01-15T12:00:00Z');
    const summer = new Date('2024-07-15T12:00:00Z');
    expect(zoneForOffset(-8, winter).zone).toBe('America/Los_Angeles');
    expect(zoneForOffset(-8, summer).zone).toBe('America/Juneau');
    // -7: Arizona (no DST) in winter, Pacific daylight time in summer
    expect(zoneForOffset(-7, winter).zone).toBe('America/Phoenix');
    expect(zoneForOffset(-7, summer).zone).toBe('America/Los_Angeles');
    expect(zoneForOffset(5.5, winter)).toEqual({ name: 'Chennai', zone: 'Asia/Kolkata' });
    expect(zoneForOffset(5.75, winter).zone).toBe('Asia/Kathmandu');
    // no named zone at +13.5: UTC
    expect(zoneForOffset(13.5, winter).zone).toBe('Etc/UTC');
  });

  it('casts business_hours as ActiveModel::Type::Boolean and defaults group_by to day', () => {
    expect(['true', '1', 't', 'yes'].map(castBoolean)).toEqual([true, true, true, true]);
    expect(['false', '0', 'f', 'off', ''].map(castBoolean)).toEqual([false, false, false, false, false]);
    const range = parseReportRange({ since: '0', until: '86400', group_by: 'fortnight' }, new Date());
    expect(range).toMatchObject({ groupBy: 'day', businessHours: false, zone: { zone: 'Etc/UTC' } });
    expect(parseReportRange({ since: '0' }, new Date())).toBeNull();
  });

  it('refuses a reversed, non-numeric or overlong range with a 422', () => {
    for (const input of [
      { since: '100', until: '50' },
      { since: '12abc', until: '50' },
      { since: '0', until: String(3_661 * 86_400) },
      { since: '0', until: String(400 * 86_400), group_by: 'hour' },
      { since: '0', until: '1', timezone_offset: '-13' },
    ]) {
      expect(() => parseReportRange(input, new Date()), JSON.stringify(input)).toThrow(
        expect.objectContaining({ status: 422 }),
      );
    }
  });
});
