/** What respond/ needs to know about the customer behind a conversation: address, name, language. */
import type { Extraction } from '../../shared/extraction.ts';
import { ReplyLang } from '../../shared/reach.ts';
import type { Conversation } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import { detectLanguage, widgetLangOf } from '../text/language.ts';

export interface Customer {
  conversation: Conversation;
  siteName: string;
  name: string | null;
  /** identify()'s e-mail, else the one the customer left in the conversation */
  email: string | null;
  lang: ReplyLang;
  extraction: Extraction | null;
}

/** the extraction's `language` when another part added one; read without trusting its shape */
function extractionLanguage(x: Extraction | null): ReplyLang | null {
  if (!x || !('language' in x)) return null;
  const parsed = ReplyLang.safeParse((x as { language?: unknown }).language);
  return parsed.success ? parsed.data : null;
}

export async function customerOf(store: Store, conversationId: string): Promise<Customer | null> {
  const conversation = await store.conversations.get(conversationId);
  if (!conversation) return null;
  const [visitor, extraction, messages, site] = await Promise.all([
    conversation.visitorId ? store.visitors.get(conversation.visitorId) : null,
    store.admin.reviews.extraction(conversationId),
    store.messages.list(conversationId),
    store.sites.getById(conversation.siteId),
  ]);
  const said = messages.filter((m) => m.author === 'visitor').map((m) => m.text).join('\n');
  const detected = detectLanguage(said);
  const lang = extractionLanguage(extraction) ?? (detected.reliable && detected.lang ? detected.lang : widgetLangOf(visitor?.locale));
  return {
    conversation,
    siteName: site?.name ?? '',
    name: visitor?.name ?? null,
    email: visitor?.email ?? extraction?.followUp.contact.email ?? null,
    lang,
    extraction,
  };
}
