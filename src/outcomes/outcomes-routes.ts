import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { IdParam, LocalDate } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { listOutcomes, outcomesDue, recordOutcome, toOutcomeDto } from './outcomes-service.js';
import { MEASURES } from './wellbeing-scores.js';
import { DateOnly, documented, itemsOf, ZonedTime } from '../openapi/describe.js';

const doc = documented('Outcomes');
const OutcomeDto = z.object({
  id: z.number().int(),
  participantId: z.number().int(),
  measure: z.enum(['swemwbs', 'ons4', 'happiness']),
  answers: z.array(z.number().int()),
  takenOn: DateOnly,
  rawScore: z.number().int().nullable().describe('SWEMWBS: the sum of the 7 answers (7-35)'),
  metricScore: z.number().nullable().describe('SWEMWBS: the metric score from the published conversion table'),
  ons4: z.object({ lifeSatisfaction: z.number().int(), worthwhile: z.number().int(), happiness: z.number().int(), anxiety: z.number().int() }).nullable(),
  value: z.number().int().nullable().describe('happiness: the answer, 0-10'),
  source: z.enum(['form', 'sms']).describe('sms: a reply to the happiness question sent by text'),
  recordedAt: ZonedTime,
});
const DueDto = z.object({
  participantId: z.number().int(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  due: z.string(),
  since: z.string(),
});

const OutcomeBody = z
  .object({
    measure: z.enum(['swemwbs', 'ons4', 'happiness']),
    answers: z.array(z.number().int()).min(1).max(14),
    takenOn: LocalDate,
  })
  .superRefine((b, ctx) => {
    const m = MEASURES[b.measure];
    if (b.answers.length !== m.items) ctx.addIssue({ code: 'custom', path: ['answers'], message: `${b.measure} has ${m.items} answers` });
    else if (b.answers.some((a) => a < m.min || a > m.max))
      ctx.addIssue({ code: 'custom', path: ['answers'], message: `each ${b.measure} answer is from ${m.min} to ${m.max}` });
  });

/** `/participants/:id/outcomes`: wellbeing measures (SWEMWBS, ONS4) with their scores. */
export const outcomeRoutes = new Hono<AppEnv>()
  .get(
    '/:id/outcomes',
    doc("A participant's wellbeing measures with their scores", { 200: itemsOf(OutcomeDto) }),
    canManage,
    validate('param', IdParam),
    async (c) => {
      const rows = await listOutcomes(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('param').id);
      return c.json({ items: rows.map((o) => toOutcomeDto(o, c.var.user.timezone)) });
    },
  )
  .post(
    '/:id/outcomes',
    doc('Record a SWEMWBS or ONS4 measure; answers are never texted', { 201: OutcomeDto }),
    canManage,
    validate('param', IdParam),
    validate('json', OutcomeBody),
    async (c) => {
      const row = await recordOutcome(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toOutcomeDto(row, c.var.user.timezone), 201);
    },
  );

/** `/outcomes/due`: baselines and 12-week follow-ups to take, beside the check-ins. */
export const outcomesDueRoutes = new Hono<AppEnv>().get(
  '/due',
  doc('Baselines and 12-week follow-ups to take', { 200: itemsOf(DueDto) }),
  canManage,
  async (c) => {
    const due = await outcomesDue(c.var.db, c.var.user, c.var.clock.now().getTime());
    return c.json({
      items: due.map((d) => ({ participantId: d.participant_id, givenName: d.given_name, familyName: d.family_name, due: d.due, since: d.since })),
    });
  },
);
