import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('CW_API_ONLY_SERVER', () => {
  it("reads Chatwoot's variable as Rails casts a boolean: its false words and blank are false, the rest true", () => {
    expect(loadConfig({}).apiOnlyServer).toBe(false);
    for (const value of ['', '0', 'f', 'F', 'false', 'FALSE', 'off', 'OFF']) {
      expect(loadConfig({ CW_API_ONLY_SERVER: value }).apiOnlyServer, JSON.stringify(value)).toBe(false);
    }
    for (const value of ['true', 'TRUE', '1', 't', 'on', 'yes']) {
      expect(loadConfig({ CW_API_ONLY_SERVER: value }).apiOnlyServer, value).toBe(true);
    }
  });
});
