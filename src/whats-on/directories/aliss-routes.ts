import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../../app-env.js';
import { canManage } from '../../auth/auth-middleware.js';
import { IdParam } from '../../lib/schemas.js';
import { validate } from '../../lib/validate.js';
import { documented } from '../../openapi/describe.js';
import { alissRecord } from './aliss-record.js';

const doc = documented('Publishing');

export const AlissDto = z.object({
  record: z.object({
    name: z.string().describe('At most 100 characters'),
    summary: z.string().describe('50 to 200 characters'),
    description: z.string().describe('Days and times in words, with the coming exceptions: ALISS has no schedule field'),
    phone: z.string().optional(),
    email: z.string().optional(),
    url: z.string().optional(),
    locations: z.array(z.object({ name: z.string(), address: z.string(), postcode: z.string() })),
    categories: z.array(z.string()),
  }),
  problems: z.array(z.string()).describe('What ALISS would refuse, or what the listing still needs'),
  changedSinceConfirmed: z.boolean().describe('The schedule, venue, status or public words changed since the admin last re-confirmed the ALISS listing'),
});

/** `/groups/:id/aliss`: the record as ALISS wants it typed in (it has no API to post to). */
export const alissRoutes = new Hono<AppEnv>().get(
  '/:id/aliss',
  doc('A group as an ALISS record, with what ALISS would refuse', { 200: AlissDto }),
  canManage,
  validate('param', IdParam),
  async (c) => {
    const { db, user, clock } = c.var;
    const practice = { id: user.practiceId, name: user.practiceName, timezone: user.timezone };
    return c.json(await alissRecord(db, practice, c.req.valid('param').id, clock.now().getTime()));
  },
);
