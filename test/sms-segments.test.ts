import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { countSegments } from '../src/sms/wording/gsm.js';

// Strings that sit on the boundaries where a careless count goes wrong.
const a = (n: number) => 'a'.repeat(n);
const CORPUS: string[] = [
  '',
  'Hi Amira, a reminder: your Tuesday group is Tue 2 Mar at 10:00.',
  a(160),
  a(161),
  a(306),
  a(307),
  a(459),
  a(460),
  a(152) + '[',
  a(152) + '€',
  a(153) + '[' + a(10),
  a(151) + '~~' + a(20),
  a(159) + '€',
  '€'.repeat(80),
  '€'.repeat(81),
  '[]{}~^|\\'.repeat(30),
  'Zażółć gęślą jaźń',
  'łódź',
  'Smart “quotes” and ‘apostrophes’',
  'مرحبا، تذكير: مجموعتك يوم الثلاثاء الساعة 10:00. أرسل C إذا لم تستطع الحضور.',
  'سلام، یادآوری: گروه شما سه‌شنبه ساعت ۱۰:۰۰ است. اگر نمی‌توانید بیایید C بفرستید.',
  'é'.repeat(161),
  'b'.repeat(70),
  'ł'.repeat(70),
  'ł'.repeat(71),
  'ł'.repeat(134),
  'ł'.repeat(135),
  'ł'.repeat(66) + '😊',
  'ł'.repeat(67) + '😊',
  'ł'.repeat(68) + '😊' + 'ł'.repeat(10),
  a(152) + '[' + a(152),
  'ł'.repeat(66) + '😊' + 'ł'.repeat(66),
  '😊'.repeat(35),
  '😊'.repeat(36),
  '😊'.repeat(100),
  'Hello 👋🏽 family 👨‍👩‍👧 see you',
  'Line one\nline two\r\nline three',
];

describe('SMS segments, counted as Twilio bills them', () => {
  it.each(CORPUS.map((s) => [s.length > 40 ? `${s.slice(0, 30)}… (${s.length})` : s, s]))('%s', (_, text) => {
    const ours = countSegments(text);
    const theirs = new SegmentedMessage(text);
    expect(ours.encoding).toBe(theirs.encodingName);
    expect(ours.segments).toBe(text === '' ? 1 : theirs.segmentsCount);
  });

  it('an escape character or an emoji at a boundary starts a new segment', () => {
    // 306 septets fit two segments of 153 only if nothing straddles: "[" at 153 cannot.
    expect(countSegments(a(152) + '[' + a(152)).segments).toBe(3);
    // 134 UTF-16 units: two of 67 only if the emoji's surrogate pair does not straddle.
    expect(countSegments('ł'.repeat(66) + '😊' + 'ł'.repeat(66)).segments).toBe(3);
  });
});
