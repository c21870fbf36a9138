import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { adminOnly, canManage, requireRole } from '../auth/auth-middleware.js';
import { csvDownload, toCsv } from '../lib/csv.js';
import { IdParam } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { documented, itemsOf } from '../openapi/describe.js';
import { EventsQuery, NewReferralBody, ReferralDto, ReferralListQuery, ReferralPatchBody, ReplyDto } from './referral-schemas.js';
import { toReferralDto } from './referral-dto.js';
import { createReferral, getReferral, listReferrals } from './referrals-service.js';
import { moveReferral } from './referral-moves.js';
import { referralReply } from './referral-reply.js';
import { EVENT_COLUMNS, referralEvents } from './referral-events.js';

const doc = documented('Referrals');
const referrers = requireRole('admin', 'clp', 'staff');

/** `/referrals`: referrals in from practice staff and CLPs, their path, and the message back. */
export const referralRoutes = new Hono<AppEnv>()
  .get(
    '/events.csv',
    doc('Coded events for the GP record: date, CHI number, SNOMED CT code and term, per referral accepted or declined (admins)', { 200: 'csv' }),
    adminOnly,
    validate('query', EventsQuery),
    async (c) => {
      const { db, user, clock } = c.var;
      const e = await referralEvents(db, user, clock.now().getTime(), c.req.valid('query'));
      return csvDownload(toCsv(e.rows, EVENT_COLUMNS), `referral-events-${e.from}-to-${e.to}.csv`);
    },
  )
  .post(
    '/',
    doc('Refer someone: a new person or a known participant, with the reason and their consents (422 without consent to be referred)', { 201: ReferralDto }),
    referrers,
    validate('json', NewReferralBody),
    async (c) => {
      const { db, user, clock } = c.var;
      const r = await createReferral(db, user, clock.now().getTime(), c.req.valid('json'));
      return c.json(toReferralDto(r, user.timezone), 201);
    },
  )
  .get(
    '/',
    doc("The practice's referrals, newest first (staff: only those they made; never a phone number or CHI)", { 200: itemsOf(ReferralDto) }),
    referrers,
    validate('query', ReferralListQuery),
    async (c) => {
      const { db, user, clock } = c.var;
      const rows = await listReferrals(db, user, clock.now().getTime(), c.req.valid('query').status);
      return c.json({ items: rows.map((r) => toReferralDto(r, user.timezone)) });
    },
  )
  .get('/:id', doc('One referral with its history', { 200: ReferralDto }), referrers, validate('param', IdParam), async (c) => {
    const { db, user, clock } = c.var;
    return c.json(toReferralDto(await getReferral(db, user, clock.now().getTime(), c.req.valid('param').id), user.timezone));
  })
  .patch(
    '/:id',
    doc('Move a referral on: accepted (into a group), declined (with a reason), contacted, or closed; a move out of order is 409', { 200: ReferralDto }),
    canManage,
    validate('param', IdParam),
    validate('json', ReferralPatchBody),
    async (c) => {
      const { db, user, clock } = c.var;
      const r = await moveReferral(db, user, clock.now().getTime(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toReferralDto(r, user.timezone));
    },
  )
  .get(
    '/:id/reply',
    doc('The message back to the referrer: where it stands, the group, sessions attended and (if the person agreed) wellbeing', { 200: ReplyDto }),
    referrers,
    validate('param', IdParam),
    async (c) => {
      const { db, user, clock } = c.var;
      const r = await referralReply(db, user, clock.now().getTime(), c.req.valid('param').id);
      const { personName: _n, referrerName: _r, ...reply } = r;
      return c.json({ ...reply, producedAt: toZonedIso(r.producedAt, user.timezone) });
    },
  );
