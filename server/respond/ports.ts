/**
 * The seam between what decides to reach a customer or a team (routing rules, playbooks,
 * insight reports) and what delivers it (e-mail through SMTP, replies into the widget). Both
 * implementations enqueue durable jobs, so a call is cheap, survives a restart and, thanks to the
 * idempotency key, sends each message once however often it is asked.
 */
export interface SendEmail {
  siteId: string;
  to: string;
  subject: string;
  text: string;
  /** the same key never sends twice (e.g. `rule:<ruleId>:<conversationId>:<extractedAt>`) */
  idempotencyKey: string;
  /** the conversation it is about, if any: shown in the delivery log, cancelled when forgotten */
  conversationId?: string;
}

export interface SendReply {
  conversationId: string;
  text: string;
  /** shown as the author in the widget and the transcript */
  authorName: string;
  /** the agent who sent it; null for an automated reply */
  agentId: string | null;
  idempotencyKey: string;
  /** also e-mail it when the customer left an address (default true) */
  emailToo?: boolean;
}

export interface ResponsePorts {
  /** resolves once the e-mail is queued (inside the caller's transaction when there is one) */
  sendEmail(input: SendEmail): Promise<void>;
  /** resolves once the reply is queued; it is delivered after the caller's transaction commits */
  sendReply(input: SendReply): Promise<void>;
}
