import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../../test/smtp-sink.js';
import type { SmtpSettings } from '../config.js';
import { createMailer } from './mailer.js';

// The transport against a real SMTP server offering STARTTLS with a self-signed certificate.
let sink: SmtpSink;
beforeAll(async () => {
  sink = await startSmtpSink({ username: 'u', password: 'p' }, { starttls: true });
});
afterAll(async () => sink?.close());

const settings = (overrides: Partial<SmtpSettings>): SmtpSettings => ({
  host: '127.0.0.1',
  port: sink.port,
  username: 'u',
  password: 'p',
  authentication: 'plain',
  domain: undefined,
  enableStarttlsAuto: true,
  verifyPeer: true,
  secure: false,
  ...overrides,
});
const mail = (to: string) => ({ to, subject: 'Hello', text: 'Plain body\n', html: '<p>HTML body</p>' });
const log = pino({ level: 'silent' });

describe('the SMTP mailer', () => {
  it('upgrades with STARTTLS, and accepts a self-signed certificate only with SMTP_OPENSSL_VERIFY_MODE=none', async () => {
    const strict = createMailer(settings({}), 'Desk <desk@example.com>', log);
    await expect(strict.send(mail('strict@example.com'))).rejects.toThrow(/certificate/i);
    strict.close();
    const lenient = createMailer(settings({ verifyPeer: false }), 'Desk <desk@example.com>', log);
    await lenient.send(mail('lenient@example.com'));
    lenient.close();
    const received = await sink.mailTo('lenient@example.com');
    expect(received).toMatchObject({
      secure: true,
      subject: 'Hello',
      text: 'Plain body\n',
      envelopeFrom: 'desk@example.com',
    });
    expect(received.html).toContain('<p>HTML body</p>');
    expect(sink.logins.at(-1)).toEqual({ username: 'u', password: 'p', method: 'PLAIN' });
  });

  it('stays in clear text when SMTP_ENABLE_STARTTLS_AUTO is false', async () => {
    const mailer = createMailer(settings({ enableStarttlsAuto: false }), 'desk@example.com', log);
    await mailer.send(mail('clear@example.com'));
    mailer.close();
    expect((await sink.mailTo('clear@example.com')).secure).toBe(false);
  });
});
