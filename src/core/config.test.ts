import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

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

describe("SMTP settings from Chatwoot's variables", () => {
  it('are off without SMTP_ADDRESS, with the default sender', () => {
    const config = loadConfig({ SMTP_PORT: '25', SMTP_USERNAME: 'ignored' });
    expect(config.smtp).toBeUndefined();
    expect(config.mailerSender).toBe('Confab <accounts@confab.localhost>');
  });

  it("read Chatwoot's defaults: port 587, STARTTLS when offered, certificates checked", () => {
    expect(loadConfig({ SMTP_ADDRESS: 'smtp.example.com', MAILER_SENDER_EMAIL: 'Desk <d@example.com>' })).toMatchObject(
      {
        mailerSender: 'Desk <d@example.com>',
        smtp: {
          host: 'smtp.example.com',
          port: 587,
          username: undefined,
          password: undefined,
          authentication: undefined,
          domain: undefined,
          enableStarttlsAuto: true,
          verifyPeer: true,
          secure: false,
        },
      },
    );
  });

  it('read every variable, with Rails boolean casts', () => {
    const smtp = loadConfig({
      SMTP_ADDRESS: 'smtp.example.com',
      SMTP_PORT: '465',
      SMTP_USERNAME: 'user',
      SMTP_PASSWORD: 'secret',
      SMTP_AUTHENTICATION: 'CRAM_MD5',
      SMTP_DOMAIN: 'example.com',
      SMTP_ENABLE_STARTTLS_AUTO: 'f',
      SMTP_OPENSSL_VERIFY_MODE: 'none',
      SMTP_SSL: 'true',
    }).smtp;
    expect(smtp).toEqual({
      host: 'smtp.example.com',
      port: 465,
      username: 'user',
      password: 'secret',
      authentication: 'cram_md5',
      domain: 'example.com',
      enableStarttlsAuto: false,
      verifyPeer: false,
      secure: true,
    });
    expect(loadConfig({ SMTP_ADDRESS: 'h', SMTP_TLS: 'yes' }).smtp?.secure).toBe(true);
    expect(loadConfig({ SMTP_ADDRESS: 'h', SMTP_TLS: 'off', SMTP_SSL: '0' }).smtp?.secure).toBe(false);
    expect(loadConfig({ SMTP_ADDRESS: 'h', SMTP_OPENSSL_VERIFY_MODE: 'peer' }).smtp?.verifyPeer).toBe(true);
  });

  it('refuse unknown values with a readable error', () => {
    for (const env of [
      { SMTP_ADDRESS: 'h', SMTP_AUTHENTICATION: 'xoauth' },
      { SMTP_ADDRESS: 'h', SMTP_OPENSSL_VERIFY_MODE: 'sometimes' },
      { SMTP_ADDRESS: 'h', SMTP_PORT: '70000' },
    ]) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});

describe('operations settings', () => {
  it('leave metrics off and trust no proxy by default', () => {
    const config = loadConfig({});
    expect(config.metricsToken).toBeUndefined();
    expect(config.metricsPort).toBeUndefined();
    expect(config.metricsHost).toBe('127.0.0.1');
    expect(config.trustedProxies).toEqual([]);
    expect(config.shutdownTimeoutMs).toBe(20_000);
  });

  it('read trusted proxies as addresses and CIDR ranges, and refuse anything else', () => {
    expect(loadConfig({ CONFAB_TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
    ]);
    for (const bad of ['loadbalancer', '10.0.0.0/33', '::1/129', '10.0.0.1/8/1', '10.0.0/8', 'true']) {
      expect(() => loadConfig({ CONFAB_TRUSTED_PROXIES: bad }), bad).toThrow(ConfigError);
    }
  });
});
