import { describe, expect, it } from 'vitest';
import { normaliseMobile } from '../src/lib/phone.js';

describe('mobile numbers', () => {
  it.each([
    ['07700 900123', '+447700900123'],
    ['07700-900-123', '+447700900123'],
    ['+44 (0)7700 900123', '+447700900123'],
    ['0044 7700 900123', '+447700900123'],
    ['447700900123', '+447700900123'],
    ['07624 123456', '+447624123456'],
    ['+48 512 345 678', '+48512345678'],
  ])('accepts %s as %s', (input, e164) => {
    expect(normaliseMobile(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['0141 123 4567', /not a UK mobile/],
    ['07700 90012', /not a UK mobile/],
    ['07011 123456', /070 and 076/],
    ['07600 123456', /070 and 076/],
    ['call me', /digits only/],
    ['+0 123', /not a valid/],
  ])('rejects %s', (input, message) => {
    const r = normaliseMobile(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
