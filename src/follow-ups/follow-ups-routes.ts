import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { Id, LocalDate, OptionalMultilineText } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { DateOnly, documented, itemsOf, ZonedTime } from '../openapi/describe.js';
import { followUps, recordFollowUp } from './follow-ups-service.js';

const doc = documented('Follow-ups');

export const FOLLOW_UP_REASONS = ['missed_first', 'never_came', 'stopped_coming', 'waitlisted_long'] as const;
export const FOLLOW_UP_ACTIONS = ['phoned', 'texted', 'met', 'closed'] as const;

const LastAction = z.object({
  action: z.enum(FOLLOW_UP_ACTIONS),
  note: z.string().nullable(),
  at: ZonedTime,
  by: z.object({ id: z.number().int(), name: z.string() }).nullable(),
});

const FollowUpDto = z.object({
  participantId: z.number().int(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  groupId: z.number().int(),
  groupName: z.string(),
  reason: z.enum(FOLLOW_UP_REASONS),
  since: ZonedTime,
  lastAction: LastAction.optional(),
  referralId: z.number().int().optional().describe('The open referral that brought them to this group'),
  phone: z.string().nullable().describe('Their mobile, to call with one tap'),
  takenOnBy: z.object({ id: z.number().int(), name: z.string() }).nullable().describe('Who is taking the person on (across their groups)'),
  callAgainOn: DateOnly.nullable().describe('When to call them again; until then they sit below the others'),
});

export const NewFollowUp = z
  .object({
    participantId: Id,
    groupId: Id,
    action: z.enum(FOLLOW_UP_ACTIONS).optional(),
    note: OptionalMultilineText(1000),
    takeOn: z.boolean().optional().describe('true: the caller takes the person on; false: nobody does'),
    callAgainOn: LocalDate.nullish().describe('When to call them again (a day still to come); null clears it'),
  })
  .superRefine((b, ctx) => {
    if (b.action === undefined && b.takeOn === undefined && b.callAgainOn === undefined)
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'say what was done, who takes it on, or when to call again' });
    if (b.action === 'closed' && !b.note) ctx.addIssue({ code: 'custom', path: ['note'], message: 'a note is needed to close a follow-up: say why' });
  });

const RecordedDto = z.object({
  id: z.number().int().nullable().describe('The action recorded; null when only who takes it on or when to call again changed'),
  participantId: z.number().int(),
  groupId: z.number().int(),
  action: z.enum(FOLLOW_UP_ACTIONS).nullable(),
  reason: z.enum(FOLLOW_UP_REASONS).nullable(),
  note: z.string().nullable(),
  at: ZonedTime,
});

/** `/follow-ups`: who needs a word from a CLP, and what was done about it (CLPs and admins). */
export const followUpRoutes = new Hono<AppEnv>()
  .use(canManage)
  .get('/', doc('Everyone who needs a word from a CLP, with why, since when and the last action (audited)', { 200: itemsOf(FollowUpDto) }), async (c) => {
    const { db, user, clock } = c.var;
    const items = await followUps(db, user, clock.now().getTime());
    return c.json({
      items: items.map((f) => ({
        ...f,
        since: toZonedIso(f.since, user.timezone),
        lastAction: f.lastAction ? { ...f.lastAction, at: toZonedIso(f.lastAction.at, user.timezone) } : undefined,
        referralId: f.referralId ?? undefined,
      })),
    });
  })
  .post('/', doc('Record what was done: phoned, texted, met, or closed (with a note)', { 201: RecordedDto }), validate('json', NewFollowUp), async (c) => {
    const { db, user, clock } = c.var;
    const r = await recordFollowUp(db, user, clock.now().getTime(), c.req.valid('json'));
    return c.json({ ...r, at: toZonedIso(r.at, user.timezone) }, 201);
  });
