import { launcherEn } from './launcher-strings.ts';

/** English, built in; every other table fills the same keys. */
export const en = {
  ...launcherEn,
  closeLabel: 'Close chat',
  chatTitle: 'Chat',
  messagesLabel: 'Messages',
  messageLabel: 'Message',
  placeholder: 'Type your message…',
  send: 'Send',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  retry: 'Retry',
  you: 'You',
  bot: 'Assistant',
  typing: 'Typing…',
  personTyping: '{name} is typing…',
  skip: 'Skip',
  sendChoices: 'Send selected',
  charsLeft: '{n} characters left',
  tooLong: 'Your message is too long. Please shorten it.',
  rateLimited: 'You are sending messages too quickly. Please wait a moment and try again.',
  offline: 'Reconnecting… Your messages will be sent when the connection is back.',
  unavailable: 'Chat is not available on this page.',
  genericError: 'Something went wrong. Please try again.',
  ended: 'This conversation has ended.',
  newConversation: 'Start a new conversation',
  agentJoined: '{name} joined the conversation',
  agentLeft: '{name} left the conversation',
  awayUntil: 'Our team is away — back {time}',
  away: 'Our team is away right now',
};
export type Strings = typeof en;
export type StringKey = keyof Strings;
