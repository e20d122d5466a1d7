import type { Mail } from '../../core/mail/mailer.js';
import { escapeHtml, mailPage } from '../../core/mail/html.js';

/*
 * Chatwoot's devise mails (app/views/devise/mailer/*.html.erb, subjects from
 * config/locales/devise.en.yml), as text and HTML. Pure: the caller passes the links.
 */

const BRAND = 'Confab';

/** Paragraphs in, a mail out: text has the link after its label, HTML an anchor. */
function compose(to: string, subject: string, paragraphs: Array<string | { label: string; href: string }>): Mail {
  const text = paragraphs.map((p) => (typeof p === 'string' ? p : `${p.label}: ${p.href}`)).join('\n\n');
  const html = paragraphs
    .map((p) =>
      typeof p === 'string'
        ? `<p>${escapeHtml(p)}</p>`
        : `<p><a href="${escapeHtml(p.href)}">${escapeHtml(p.label)}</a></p>`,
    )
    .join('\n');
  return { to, subject, text: `${text}\n`, html: mailPage(html) };
}

export interface ConfirmationMailInput {
  to: string;
  name: string;
  confirmed: boolean;
  /** The first membership's inviter and account, when someone invited the user. */
  invitation: { inviterName: string; accountName: string } | undefined;
  /** Set-password (invitation), confirmation, or sign-in link. */
  link: string;
}

/** devise confirmation_instructions: also the invitation of an agent added by an administrator. */
export function confirmationInstructionsMail(input: ConfirmationMailInput): Mail {
  const paragraphs: Array<string | { label: string; href: string }> = [`Welcome, ${input.name}!`];
  if (input.invitation) {
    paragraphs.push(
      `${input.invitation.inviterName}, with ${input.invitation.accountName}, has invited you to try out ${BRAND}!`,
    );
  }
  if (input.confirmed) {
    paragraphs.push('You can login to your account through the link below:');
    paragraphs.push({ label: 'Login to my account', href: input.link });
  } else {
    paragraphs.push('You can confirm your account email through the link below:');
    paragraphs.push({ label: 'Confirm my account', href: input.link });
  }
  return compose(input.to, 'Confirmation Instructions', paragraphs);
}

/** devise reset_password_instructions. */
export function resetPasswordInstructionsMail(input: { to: string; link: string }): Mail {
  return compose(input.to, 'Reset password instructions', [
    `Hello! ${input.to}!`,
    'Someone has requested a link to change your password. You can do this through the link below.',
    { label: 'Change my password', href: input.link },
    "If you didn't request this, please ignore this email.",
    "Your password won't change until you access the link above and create a new one.",
  ]);
}
