import { describe, expect, it } from 'vitest';
import { findContact, findPhone } from './contact.ts';

describe('contact detection', () => {
  it('finds an email and a phone number across messages', () => {
    expect(findContact(['hi', 'mail me at jane.doe+shop@example.co.uk', 'or call 020 7946 0958'])).toEqual({
      email: 'jane.doe+shop@example.co.uk',
      phone: '020 7946 0958',
    });
  });

  it('reads the usual phone formats', () => {
    expect(findPhone('call +44 20 7946 0958 please')).toBe('+44 20 7946 0958');
    expect(findPhone('my number is (415) 555-0134')).toBe('(415) 555-0134');
    expect(findPhone('555.013.4567')).toBe('555.013.4567');
  });

  it('does not mistake dates, prices or short order numbers for phone numbers', () => {
    expect(findPhone('ordered on 2024-03-05')).toBeNull();
    expect(findPhone('order 12345 cost 49.99')).toBeNull();
    expect(findPhone('tracking 123456789012345678')).toBeNull();
  });

  it('returns nulls when there is nothing to find', () => {
    expect(findContact(['thanks, all good'])).toEqual({ email: null, phone: null });
  });
});
