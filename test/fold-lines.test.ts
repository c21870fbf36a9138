import { describe, expect, it } from 'vitest';
import { foldLines } from '../src/feeds/fold-lines.js';

const octets = (s: string) => new TextEncoder().encode(s).length;
const unfold = (s: string) => s.replace(/\r\n /g, '');

describe('iCal line folding', () => {
  it('leaves short lines alone and folds long ones at 75 octets with a leading space', () => {
    const long = `DESCRIPTION:${'x'.repeat(200)}`;
    const folded = foldLines(`SUMMARY:Walk\r\n${long}`);
    const lines = folded.split('\r\n');
    expect(lines[0]).toBe('SUMMARY:Walk');
    expect(lines.slice(1).every((l) => octets(l) <= 75)).toBe(true);
    expect(lines.slice(2).every((l) => l.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(`SUMMARY:Walk\r\n${long}`);
  });

  it('counts UTF-8 octets and never splits a character, emoji included', () => {
    const line = `LOCATION:${'Café ☕ Gärten 🌱 '.repeat(12)}`;
    const folded = foldLines(line);
    expect(folded.split('\r\n').every((l) => octets(l) <= 75)).toBe(true);
    expect(unfold(folded)).toBe(line);
    expect(folded).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});
