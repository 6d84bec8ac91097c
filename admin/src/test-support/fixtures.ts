/** Realistic records for component tests, shaped by shared/admin-api.ts. */
import type { AdminSite, AdminUser, ConversationDetail, ConversationSummary, Extraction, Message } from '../api/types.ts';

export const owner: AdminUser = {
  id: 'u1',
  email: 'ana@acme.test',
  name: 'Ana',
  role: 'owner',
  disabled: false,
  createdAt: 1,
  lastLoginAt: null,
};

export const site: AdminSite = {
  id: 's1',
  key: 'acme',
  name: 'Acme Shop',
  allowedOrigins: ['https://acme.test'],
  createdAt: 1,
  snippet: '<script async src="https://parley.test/widget.js" data-site="acme"></script>',
  hasApiToken: false,
  settings: {
    color: '#4f46e5',
    position: 'bottom-right',
    defaultFlow: 'nps',
    idleTimeoutMinutes: 30,
    timeZone: 'UTC',
    locale: 'en',
    strings: {},
    persona: { name: 'Parley', tone: 'friendly', company: 'Acme' },
    topics: [
      { name: 'Delivery', description: '', examples: [] },
      { name: 'Price', description: '', examples: [] },
    ],
    businessHours: null,
    retentionDays: null,
  },
};

export function summary(over: Partial<ConversationSummary> = {}): ConversationSummary {
  return {
    id: 'c1',
    siteId: 's1',
    flowId: 'nps',
    source: 'widget',
    status: 'ended',
    mode: 'bot',
    agentName: null,
    visitorId: 'v1',
    visitorName: 'Dana Miller',
    visitorEmail: 'dana@example.test',
    pageUrl: 'https://acme.test/checkout',
    needsHuman: false,
    startedAt: 1_700_000_000_000,
    lastActivityAt: 1_700_000_060_000,
    endedAt: 1_700_000_060_000,
    endReason: 'completed',
    messageCount: 6,
    preview: 'The parcel arrived two weeks late',
    rating: { type: 'nps', value: 3, scaleMax: 10 },
    npsCategory: 'detractor',
    sentiment: { label: 'negative', score: -0.6 },
    topics: ['Delivery'],
    followUpNeeded: true,
    followUpStatus: 'open',
    followUpAssignee: null,
    tags: ['vip'],
    ...over,
  };
}

export function message(seq: number, author: Message['author'], text: string, over: Partial<Message> = {}): Message {
  return { id: 100 + seq, conversationId: 'c1', seq, clientId: null, author, authorName: null, text, reply: null, createdAt: 1_700_000_000_000 + seq * 1000, ...over };
}

export const extraction: Extraction = {
  conversationId: 'c1',
  extractor: 'offline',
  extractorVersion: 'offline@1',
  fellBack: false,
  ratings: [{ questionId: 'nps', type: 'nps', value: 3, scaleMin: 0, scaleMax: 10, inferred: false, confidence: 1 }],
  npsCategory: 'detractor',
  sentiment: { label: 'negative', score: -0.6, messages: [{ messageId: 104, score: -0.7 }] },
  topics: [{ name: 'Delivery', score: 0.9 }],
  keyPhrases: ['late parcel'],
  summary: 'Customer unhappy about a parcel that arrived two weeks late.',
  expectations: [{ kind: 'delivery', text: 'Delivery within 3 days', status: 'unmet' }],
  followUp: { needed: true, reason: 'Asked for a refund of the shipping cost', urgency: 'high', contact: { email: 'dana@example.test', phone: null } },
  createdAt: 1_700_000_070_000,
};

export function detail(over: Partial<ConversationDetail> = {}): ConversationDetail {
  return {
    conversation: summary(),
    messages: [
      message(1, 'bot', 'How likely are you to recommend Acme to a friend?'),
      message(2, 'visitor', '3'),
      message(3, 'bot', 'Sorry to hear that. What went wrong?'),
      message(4, 'visitor', 'The parcel arrived two weeks late'),
    ],
    answers: [{ questionId: 'nps', type: 'nps', value: 3, raw: '3', elaborations: [], answeredAt: 1 }],
    extraction,
    notes: [],
    visitor: { id: 'v1', externalId: null, name: 'Dana Miller', email: 'dana@example.test', verified: false, locale: 'en', createdAt: 1, lastSeenAt: 1 },
    ...over,
  };
}
