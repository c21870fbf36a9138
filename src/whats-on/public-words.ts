import { DateTime } from 'luxon';
import type { GroupKind } from '../db/schema.js';

/** A venue's address as directories want it: the street lines, and the town (its last line). */
export function addressParts(address: string): { street: string; town: string | null } {
  const parts = address
    .split(/\r?\n|,/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length < 2) return { street: parts[0] ?? address.trim(), town: null };
  return { street: parts.slice(0, -1).join(', '), town: parts[parts.length - 1]! };
}

export const KIND_CATEGORIES: Record<GroupKind, string[]> = {
  allotment: ['Gardening', 'Physical activity', 'Social activities'],
  health_walk: ['Walking', 'Physical activity'],
  mindfulness: ['Mental health', 'Wellbeing'],
  chair_yoga: ['Physical activity', 'Wellbeing'],
  peer_support: ['Peer support', 'Loneliness and isolation'],
  book_club: ['Reading', 'Social activities', 'Loneliness and isolation'],
  other: ['Social activities'],
};

/** "Tuesday 2 March, 10:00 to 11:00", in the practice's zone. */
export function sessionWords(startsAt: number, endsAt: number, zone: string): string {
  const s = DateTime.fromMillis(startsAt, { zone }).setLocale('en-GB');
  const e = DateTime.fromMillis(endsAt, { zone }).setLocale('en-GB');
  return `${s.toFormat('cccc d LLLL')}, ${s.toFormat('HH:mm')} to ${e.toFormat('HH:mm')}`;
}
