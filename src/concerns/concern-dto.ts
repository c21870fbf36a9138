import { z } from 'zod';
import { toZonedIso } from '../lib/time/time.js';
import { ZonedTime } from '../openapi/describe.js';
import { CONCERN_KINDS, CONCERN_STATUSES, CONCERN_URGENCIES, type ConcernView } from './concerns-service.js';

/** A concern as the API answers it (and the person's own export carries it). */
export const Person = z.object({ id: z.number().int(), name: z.string() }).nullable();

export const ConcernDto = z.object({
  id: z.number().int(),
  participantId: z.number().int().nullable(),
  participantName: z.string().nullable().describe('As the reader may see it: a leader reads the given name and family initial; null once erased'),
  sessionId: z.number().int().nullable(),
  sessionStartsAt: ZonedTime.nullable(),
  groupName: z.string().nullable(),
  kind: z.enum(CONCERN_KINDS),
  urgency: z.enum(CONCERN_URGENCIES),
  text: z.string(),
  status: z.enum(CONCERN_STATUSES),
  raisedBy: Person,
  raisedAt: ZonedTime,
  acknowledgedBy: Person,
  acknowledgedAt: ZonedTime.nullable(),
  closedBy: Person,
  closedAt: ZonedTime.nullable(),
  note: z.string().nullable().describe('The closing note; null to a leader'),
  actions: z
    .array(z.object({ at: ZonedTime, by: Person, status: z.enum(CONCERN_STATUSES).optional(), note: z.string().nullable() }))
    .describe('Every note and change of state, oldest first (empty to a leader)'),
});

const at = (ms: number | null, zone: string) => (ms === null ? null : toZonedIso(ms, zone));

export const toConcernDto = (c: ConcernView, zone: string): z.input<typeof ConcernDto> => ({
  ...c,
  sessionStartsAt: at(c.sessionStartsAt, zone),
  raisedAt: toZonedIso(c.raisedAt, zone),
  acknowledgedAt: at(c.acknowledgedAt, zone),
  closedAt: at(c.closedAt, zone),
  actions: c.actions.map((a) => ({ at: toZonedIso(a.at, zone), by: a.by, note: a.note, ...(a.status !== null && { status: a.status }) })),
});
