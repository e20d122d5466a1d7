import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the sink received it: envelope, headers, and the decoded text and HTML parts. */
export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  headers: Map<string, string>;
  subject: string;
  text: string;
  html: string;
  /** Whether the message came over TLS (STARTTLS or SMTPS). */
  secure: boolean;
}

export interface SmtpSink {
  port: number;
  mails: ReceivedMail[];
  /** Authentications seen: user name, password and method. */
  logins: Array<{ username: string; password: string; method: string }>;
  /** Refuses the next `count` messages to `address` with a temporary 451 (to see the job retry). */
  refuseNext(address: string, count: number): void;
  /** Addresses of the messages refused so far, one entry per refusal. */
  refused: string[];
  /** The next mail to `address` not yet taken, waiting for it up to `timeoutMs`. */
  mailTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** Quoted-printable and base64 bodies, as nodemailer writes them. */
function decodeBody(body: string, encoding: string | undefined): string {
  const kind = encoding?.toLowerCase();
  if (kind === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (kind === 'quoted-printable') {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
  }
  return body;
}

function splitHeaders(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const head = at === -1 ? raw : raw.slice(0, at);
  const body = at === -1 ? '' : raw.slice(at + 4);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The text/plain and text/html parts of a (possibly multipart/alternative) message. */
function partsOf(raw: string): { headers: Map<string, string>; text: string; html: string } {
  const { headers, body } = splitHeaders(raw);
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  let text = '';
  let html = '';
  const take = (partType: string, encoding: string | undefined, partBody: string) => {
    if (partType.startsWith('text/plain')) text = decodeBody(partBody, encoding);
    else if (partType.startsWith('text/html')) html = decodeBody(partBody, encoding);
  };
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = splitHeaders(chunk.replace(/^\r\n/, ''));
      // the CRLF before a boundary belongs to the boundary (RFC 2046)
      const partBody = part.body.replace(/\r\n$/, '');
      take(part.headers.get('content-type') ?? 'text/plain', part.headers.get('content-transfer-encoding'), partBody);
    }
  } else take(type, headers.get('content-transfer-encoding'), body);
  return { headers, text: text.replace(/\r\n/g, '\n'), html };
}

/**
 * A local SMTP server that keeps what it receives: AUTH PLAIN/LOGIN when credentials are given,
 * STARTTLS (with smtp-server's own self-signed certificate) when asked for.
 */
export async function startSmtpSink(
  credentials?: { username: string; password: string },
  options: { starttls?: boolean } = {},
): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const logins: SmtpSink['logins'] = [];
  const refusals = new Map<string, number>();
  const refused: string[] = [];
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    disabledCommands: [...(options.starttls ? [] : ['STARTTLS']), ...(credentials ? [] : ['AUTH'])],
    authOptional: !credentials,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      logins.push({ username: auth.username ?? '', password: auth.password ?? '', method: auth.method });
      if (credentials && auth.username === credentials.username && auth.password === credentials.password) {
        callback(null, { user: auth.username });
      } else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((r) => r.address);
        const refusedTo = to.find((address) => (refusals.get(address) ?? 0) > 0);
        if (refusedTo) {
          refusals.set(refusedTo, refusals.get(refusedTo)! - 1);
          refused.push(refusedTo);
          const error = new Error('Try again later') as Error & { responseCode: number };
          error.responseCode = 451;
          callback(error);
          return;
        }
        const parts = partsOf(Buffer.concat(chunks).toString('utf8'));
        mails.push({
          envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          envelopeTo: to,
          headers: parts.headers,
          subject: parts.headers.get('subject') ?? '',
          text: parts.text,
          html: parts.html,
          secure: session.secure,
        });
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    logins,
    refused,
    refuseNext(address, count) {
      refusals.set(address, count);
    },
    async mailTo(address, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const mail = mails.find((m) => !taken.has(m) && m.envelopeTo.includes(address));
        if (mail) {
          taken.add(mail);
          return mail;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's text whose path ends with `path`, as a URL. */
export function linkIn(mail: ReceivedMail, path: string): URL {
  const href = mail.text.match(/https?:\/\/\S+/g)?.find((candidate) => new URL(candidate).pathname.endsWith(path));
  if (!href) throw new Error(`no ${path} link in:\n${mail.text}`);
  return new URL(href);
}

/** A server's settings to send its mail to `sink` (plain SMTP, no login), with jobs polled often. */
export const sinkEnv = (sink: SmtpSink, pollMs = 100): Record<string, string> => ({
  SMTP_ADDRESS: '127.0.0.1',
  SMTP_PORT: String(sink.port),
  SMTP_ENABLE_STARTTLS_AUTO: 'false',
  CONFAB_JOB_POLL_MS: String(pollMs),
});
