import type { Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { SmtpSettings } from '../config.js';

/** One rendered mail. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** True when mails leave over SMTP; false when they are only written to the log. */
  readonly smtp: boolean;
  /** Sends the mail, or rejects (the job that called it is then retried). */
  send(mail: Mail): Promise<void>;
  close(): void;
}

const AUTH_METHODS = { plain: 'PLAIN', login: 'LOGIN', cram_md5: 'CRAM-MD5' } as const;

/**
 * Chatwoot's ActionMailer SMTP settings, as nodemailer options: STARTTLS when offered unless
 * SMTP_ENABLE_STARTTLS_AUTO is false, implicit TLS for SMTP_SSL/SMTP_TLS, certificate checks
 * unless SMTP_OPENSSL_VERIFY_MODE is none.
 */
async function transportFor(smtp: SmtpSettings): Promise<Transporter> {
  // nodemailer is the largest package in the server's bundle: loaded by the first mail, not by every start
  const { default: nodemailer } = await import('nodemailer');
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ignoreTLS: !smtp.secure && !smtp.enableStarttlsAuto,
    ...(smtp.domain ? { name: smtp.domain } : {}),
    ...(smtp.username
      ? {
          auth: { user: smtp.username, pass: smtp.password ?? '' },
          ...(smtp.authentication ? { authMethod: AUTH_METHODS[smtp.authentication] } : {}),
        }
      : {}),
    tls: { rejectUnauthorized: smtp.verifyPeer },
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    // nodemailer's own logger would print the conversation, mail body (and its links) included
    logger: false,
    debug: false,
  });
}

/**
 * The mail transport: SMTP when configured. Without SMTP the mail is written to the log at info
 * level — recipient, subject and body on one line, the only log line that may hold a link with a
 * token, so that a small installation can still hand out invitation and reset links.
 */
export function createMailer(smtp: SmtpSettings | undefined, from: string, log: Logger): Mailer {
  if (!smtp) {
    return {
      smtp: false,
      async send(mail) {
        log.info(
          { mail: { from, to: mail.to, subject: mail.subject, body: mail.text } },
          'mail written to the log: SMTP is not configured (SMTP_ADDRESS)',
        );
      },
      close() {},
    };
  }
  let transport: Promise<Transporter> | undefined;
  return {
    smtp: true,
    async send(mail) {
      // a transport that failed to load is not kept: the job's retry loads it again
      transport ??= transportFor(smtp).catch((error: unknown) => {
        transport = undefined;
        throw error;
      });
      await (await transport).sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    close() {
      transport?.then((t) => t.close()).catch(() => undefined);
    },
  };
}
