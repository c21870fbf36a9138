import { ukDateTime } from '../lib/time/time.js';
import type { ConcernStatus } from '../db/schema.js';

export const KIND_WORDS = {
  wellbeing: ['Wellbeing', 'Someone seemed distressed, unwell or not themselves'],
  safeguarding: ['Safeguarding', 'Someone may be at risk of harm or abuse'],
  incident: ['Incident', 'Something happened at the group: a row, a theft, a dog'],
  accident: ['Accident', 'Someone was hurt, or nearly was'],
} as const;

export const URGENCY_WORDS = { today: 'A CLP should act today', this_week: 'Within the week' } as const;

export const STATUS_WORDS: Record<ConcernStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', closed: 'Closed' };

export const when = ukDateTime;

export type FormValues = { participantId: string; kind: string; urgency: string; text: string; from?: string };
