/**
 * SMTP through nodemailer, set up once per installation from SMTP_URL and PARLEY_MAIL_FROM.
 * Without them the mailer still exists and says what is missing, so a send fails visibly in the
 * e-mail log instead of crashing anything.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { OutboxEmail } from '../store/email-outbox.ts';

export interface MailSettings {
  url: string;
  from: string;
}

export interface Mailer {
  /** null when sending can work; else what to set */
  problem: string | null;
  /** the From address (also names the Message-ID's domain) */
  from: string;
  /** resolves with the server's answer; rejects with an SmtpFailure */
  send(e: OutboxEmail): Promise<string>;
  close(): void;
}

export const SMTP_MISSING = 'E-mail is not set up: set SMTP_URL (smtp://user:pass@host:port) and PARLEY_MAIL_FROM, then restart Parley.';

/** A send the SMTP server refused for good (5xx) or that may work later (4xx, network). */
export class SmtpFailure extends Error {
  override name = 'SmtpFailure';
  constructor(message: string, readonly permanent: boolean, readonly responseCode: number | null) {
    super(message);
  }
}

/** the address inside "Name <a@b>" */
export function addressOf(from: string): string {
  const m = /<([^<>]+)>\s*$/.exec(from);
  return (m?.[1] ?? from).trim();
}

/** a Message-ID that is the same for the same idempotency key, so a repeat can be recognised downstream */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = addressOf(from).split('@')[1] || 'parley.invalid';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

function classify(err: unknown): SmtpFailure {
  const e = err as { responseCode?: unknown; response?: unknown; message?: unknown; code?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(err);
  // 5xx: the server refused (unknown mailbox, policy); sending the same again cannot help
  return new SmtpFailure(text, code !== null && code >= 500, code);
}

export function createMailer(settings: MailSettings | null, opts: { timeoutMs?: number } = {}): Mailer {
  if (!settings) {
    return {
      problem: SMTP_MISSING,
      from: 'Parley <parley@parley.invalid>',
      send: () => Promise.reject(new SmtpFailure(SMTP_MISSING, true, null)),
      close() {},
    };
  }
  const timeout = opts.timeoutMs ?? 30_000;
  const transport: Transporter = nodemailer.createTransport({
    url: settings.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    problem: null,
    from: settings.from,
    async send(e) {
      try {
        const info = await transport.sendMail({
          from: settings.from,
          to: e.to,
          subject: e.subject,
          text: e.text,
          messageId: e.messageId,
          ...(e.inReplyTo ? { inReplyTo: e.inReplyTo, references: e.inReplyTo } : {}),
        });
        // a server that accepted some recipients but rejected ours
        if ((info.rejected?.length ?? 0) > 0 && (info.accepted?.length ?? 0) === 0) throw new SmtpFailure(`rejected ${e.to}: ${info.response}`, true, 550);
        return String(info.response ?? 'sent');
      } catch (err) {
        throw err instanceof SmtpFailure ? err : classify(err);
      }
    },
    close: () => transport.close(),
  };
}
