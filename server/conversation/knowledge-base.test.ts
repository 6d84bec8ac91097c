import { describe, expect, it } from 'vitest';
import type { KbEntry } from '../../shared/flow.ts';
import { loadKbDir } from './example-kb.ts';
import { createKnowledgeBase } from './knowledge-base.ts';

const entries = loadKbDir();
const kb = createKnowledgeBase(() => entries);

describe('knowledge-base ranking', () => {
  it.each([
    ['How long does delivery take?', 'shipping'],
    ['how much is postage to germany', 'shipping'],
    ['Do you offer free shipping?', 'shipping'],
    ['where is my parcel', 'order-tracking'],
    ['My package has not arrived yet, can I track it?', 'order-tracking'],
    ['I want to send this jumper back', 'returns'],
    ['can I exchange shoes for a bigger size', 'returns'],
    ['when do I get my money back', 'refunds'],
    ['the item arrived broken, will you reimburse me?', 'refunds'],
    ["I forgot my password and can't log in", 'password-reset'],
    ['reset link not arriving', 'password-reset'],
    ['Can I pay with PayPal?', 'payment-methods'],
    ['do prices include VAT', 'payment-methods'],
    ['what time does customer service open on saturday', 'opening-hours'],
    ['what is your phone number', 'opening-hours'],
    ['I need to cancel my order', 'cancel-order'],
    ['how do I use a voucher code', 'gift-cards'],
    ['check my gift card balance', 'gift-cards'],
  ])('"%s" ranks %s first', (query, id) => {
    const hits = kb.search('site-1', query);
    expect(hits[0]?.entry.id).toBe(id);
  });

  it('finds nothing for an unrelated question', () => {
    expect(kb.search('site-1', 'what is the airspeed velocity of an unladen swallow')).toEqual([]);
  });

  it('rebuilds the index when the entries change, per site', () => {
    let list: KbEntry[] = [{ id: 'a', title: 'Parking', body: 'Free parking behind the shop.', tags: [] }];
    const live = createKnowledgeBase((siteId) => (siteId === 'other' ? [] : list));
    expect(live.search('s', 'parking')[0]?.entry.id).toBe('a');
    list = [{ id: 'b', title: 'Bike storage', body: 'Bring your bike inside; parking for bikes is free.', tags: [] }];
    expect(live.search('s', 'parking').map((h) => h.entry.id)).toEqual(['b']);
    expect(live.search('other', 'parking')).toEqual([]);
  });

  it('an asynchronous source (the store) is read by load, and a search sees what the last load read', async () => {
    let list: KbEntry[] = [{ id: 'a', title: 'Parking', body: 'Free parking behind the shop.', tags: [] }];
    let reads = 0;
    const stored = createKnowledgeBase(async () => {
      reads++;
      return list;
    });
    expect(() => stored.search('s', 'parking')).toThrow(/before load/);
    await stored.load('s');
    expect(stored.search('s', 'parking')[0]?.entry.id).toBe('a');
    list = [{ id: 'b', title: 'Bike storage', body: 'Bring your bike inside; parking for bikes is free.', tags: [] }];
    expect(stored.search('s', 'parking')[0]?.entry.id).toBe('a');
    await stored.load('s');
    expect(stored.search('s', 'parking').map((h) => h.entry.id)).toEqual(['b']);
    expect(stored.entries('s').map((e) => e.id)).toEqual(['b']);
    // searches between loads read nothing more
    expect(reads).toBe(3);
  });

  it('respects the limit', () => {
    expect(kb.search('site-1', 'order delivery refund return', 2)).toHaveLength(2);
  });

  it("keeps the words of a site's own tags even when a stop list holds them", () => {
    const site = createKnowledgeBase(() => [
      { id: 'pw', title: 'Password help', body: 'Use the reset link we email you.', tags: ['mot de passe', 'USA'] },
      { id: 'ship', title: 'Delivery', body: 'We deliver in 3 days.', tags: ['livraison'] },
    ]);
    expect(site.search('s', 'mot de passe perdu', 3, 'fr')[0]?.entry.id).toBe('pw');
    expect(site.search('s', 'do you ship to the USA', 3, 'en')[0]?.entry.id).toBe('pw');
  });

  it('reads German compounds, typos and tag phrases', () => {
    expect(kb.search('site-1', 'Was kosten die Versandkosten?', 3, 'de')[0]?.entry.id).toBe('shipping');
    expect(kb.search('site-1', 'pasword reset', 3, 'en')[0]?.entry.id).toBe('password-reset');
    expect(kb.search('site-1', 'I want to send it back', 3, 'en')[0]?.entry.id).toBe('returns');
  });

  it('a typo read once reads the same the next time, and an edited entry is matched afresh', () => {
    let list: KbEntry[] = [{ id: 'a', title: 'Warranty', body: 'Every product has a two-year warranty.', tags: [] }];
    const live = createKnowledgeBase(() => list);
    const first = live.search('s', 'warrenty claim');
    expect(first.map((h) => h.entry.id)).toEqual(['a']);
    expect(live.search('s', 'warrenty claim')).toEqual(first);
    // the remembered near-matches belong to the old entries: the new vocabulary is scanned again
    list = [{ id: 'b', title: 'Guarantee', body: 'Our guarantee covers two years.', tags: [] }];
    expect(live.search('s', 'warrenty claim')).toEqual([]);
    expect(live.search('s', 'guarentee claim').map((h) => h.entry.id)).toEqual(['b']);
  });
});
