import { describe, expect, it } from 'vitest';
import { countryOf, findContact, findEmail, findPhone } from './contact.ts';

describe('contact detection', () => {
  it('finds an email and a phone number across messages, the phone as written', () => {
    expect(findContact(['hi', 'mail me at jane.doe+shop@example.co.uk', 'or call 020 7946 0958'], 'GB')).toEqual({
      email: 'jane.doe+shop@example.co.uk',
      phone: '020 7946 0958',
    });
  });

  it('reads international and national formats in the four languages, with the locale as default country', () => {
    expect(findPhone('call +44 20 7946 0958 please')).toBe('+44 20 7946 0958');
    expect(findPhone('my number is (415) 555-0134', 'US')).toBe('(415) 555-0134');
    expect(findPhone('Bitte rufen Sie mich an: 030 22748193', 'DE')).toBe('030 22748193');
    expect(findPhone('Handy 0176 98765432', 'DE')).toBe('0176 98765432');
    expect(findPhone('Rappelez-moi au 06 12 34 56 78', 'FR')).toBe('06 12 34 56 78');
    expect(findPhone('Llámenme al 612 34 56 78', 'ES')).toBe('612 34 56 78');
  });

  it('never takes order numbers, customer numbers, dates or amounts for phone numbers', () => {
    expect(findPhone('ordered on 2024-03-05', 'US')).toBeNull();
    expect(findPhone('order 12345 cost 49.99', 'US')).toBeNull();
    expect(findPhone('tracking 123456789012345678', 'US')).toBeNull();
    // a valid-looking German landline number, but it is the order number
    expect(findPhone('Meine Bestellung 4839201 vom 12.03.2024 über 149,99 €', 'DE')).toBeNull();
    expect(findPhone('order 4839201 placed 12.03.2024', 'DE')).toBeNull();
    expect(findPhone('Kundennummer 220871', 'DE')).toBeNull();
    expect(findPhone('commande n° 771204 du 05/03/2024', 'FR')).toBeNull();
    expect(findPhone('mi pedido 3390127 del 2 de abril, 120 €', 'ES')).toBeNull();
    expect(findPhone('paid $420 for order #301877', 'US')).toBeNull();
  });

  it('without a known country, tries the English-speaking ones for national numbers', () => {
    expect(findContact(['ring me on 020 7946 0958'])).toEqual({ email: null, phone: '020 7946 0958' });
    expect(findContact(['call (415) 555-0134'])).toEqual({ email: null, phone: '(415) 555-0134' });
  });

  it('keeps only valid numbers', () => {
    expect(findPhone('call me on +44 20 1234', 'GB')).toBeNull();
    expect(findPhone('call 555 1234', 'US')).toBeNull();
  });

  it('checks e-mail addresses properly', () => {
    expect(findEmail('write to a..b@example.com')).toBeNull();
    expect(findEmail('write to jane@localhost')).toBeNull();
    expect(findEmail('mail: claire.dubois@orange.fr.')).toBe('claire.dubois@orange.fr');
    expect(findEmail('first bad .x@y.com then ok k.brandt@web.de')).toBe('k.brandt@web.de');
  });

  it('maps locales to a default country', () => {
    expect(countryOf('de-AT')).toBe('AT');
    expect(countryOf('fr')).toBe('FR');
    expect(countryOf('en')).toBeUndefined();
    expect(countryOf(null)).toBeUndefined();
    expect(countryOf('constructor')).toBeUndefined();
  });

  it('returns nulls when there is nothing to find', () => {
    expect(findContact(['thanks, all good'])).toEqual({ email: null, phone: null });
  });
});
