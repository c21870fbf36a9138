import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { Id, IdParam, OptionalText } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { EnrolmentDto, enrol, listEnrolments, REFERRAL_SOURCES, toEnrolmentDto, withdrawEnrolment } from './enrolments-service.js';
import { documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Enrolments');
const EnrolmentListItem = EnrolmentDto.extend({
  participant: z.union([z.object({ givenName: z.string().nullable(), familyName: z.string().nullable() }), z.object({ erased: z.literal(true) })]),
});

export const EnrolBody = z.object({
  participantId: Id,
  referralSource: z
    .enum(REFERRAL_SOURCES)
    .nullish()
    .transform((v) => v ?? null),
  referralReason: OptionalText(200),
});
const ListQuery = z.object({ status: z.enum(['active', 'waitlisted', 'withdrawn']).optional() });
const WithdrawParams = z.object({ id: Id, participantId: Id });

/** `/groups/:id/enrolments`: who is in a group and who is waiting. */
export const enrolmentRoutes = new Hono<AppEnv>()
  .get(
    '/:id/enrolments',
    doc('Who is in a group and who is waiting, in waitlist order', { 200: itemsOf(EnrolmentListItem) }),
    canManage,
    validate('param', IdParam),
    validate('query', ListQuery),
    async (c) => {
      const { user } = c.var;
      const rows = await listEnrolments(c.var.db, user, c.var.clock.now().getTime(), c.req.valid('param').id, c.req.valid('query').status);
      return c.json({
        items: rows.map((r) => ({
          ...toEnrolmentDto(r, user.timezone),
          participant: r.erased_at === null ? { givenName: r.given_name, familyName: r.family_name } : { erased: true },
        })),
      });
    },
  )
  .post(
    '/:id/enrolments',
    doc('Enrol someone: a place if there is one, else the waitlist', { 201: EnrolmentDto }),
    canManage,
    validate('param', IdParam),
    validate('json', EnrolBody),
    async (c) => {
      const row = await enrol(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toEnrolmentDto(row, c.var.user.timezone), 201);
    },
  )
  .delete(
    '/:id/enrolments/:participantId',
    doc('Withdraw someone; the next on the waitlist is offered the place', { 200: EnrolmentDto.extend({ promotedParticipantIds: z.array(z.number().int()) }) }),
    canManage,
    validate('param', WithdrawParams),
    async (c) => {
      const { id, participantId } = c.req.valid('param');
      const { enrolment, promoted } = await withdrawEnrolment(c.var.db, c.var.user, c.var.clock.now().getTime(), id, participantId);
      return c.json({ ...toEnrolmentDto({ ...enrolment, waitlist_position: null }, c.var.user.timezone), promotedParticipantIds: promoted });
    },
  );
