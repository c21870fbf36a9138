import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { IdParam, LocalDate, OptionalMultilineText, OptionalText, Text, UkPostcode } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { createVenue, getVenue, listVenues, toVenueDto, updateVenue, VenueDto } from './venues-service.js';
import { documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Venues');

export const VenueBody = z.object({
  name: Text(200),
  address: OptionalMultilineText(500),
  postcode: UkPostcode.optional().describe('A UK postcode, kept as "G22 5EJ": directories and the public listing need it'),
  meetingPoint: OptionalText(500),
  accessibility: OptionalMultilineText(1000),
  riskAssessedOn: LocalDate.nullable().optional().describe('When its risk assessment was last reviewed (a walk route is a venue)'),
  riskReviewMonths: z.number().int().min(1).max(60).nullable().optional().describe('How often it must be reviewed, in months (6 for a walk route)'),
});

export const venueRoutes = new Hono<AppEnv>()
  .get('/', doc('Venues of this practice', { 200: itemsOf(VenueDto) }), async (c) =>
    c.json({ items: (await listVenues(c.var.db, c.var.user.practiceId)).map(toVenueDto) }),
  )
  .get('/:id', doc('One venue', { 200: VenueDto }), validate('param', IdParam), async (c) =>
    c.json(toVenueDto(await getVenue(c.var.db, c.var.user.practiceId, c.req.valid('param').id))),
  )
  .post('/', doc('Add a venue', { 201: VenueDto }), canManage, validate('json', VenueBody), async (c) => {
    const row = await createVenue(c.var.db, c.var.clock, c.var.user.practiceId, c.req.valid('json'));
    return c.json(toVenueDto(row), 201);
  })
  .patch(
    '/:id',
    doc('Change a venue', { 200: VenueDto }),
    canManage,
    validate('param', IdParam),
    validate(
      'json',
      VenueBody.partial()
        .extend({ archived: z.boolean().optional().describe('true archives (refused while a group meets there); false brings it back') })
        .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change'),
    ),
    async (c) => {
      const row = await updateVenue(c.var.db, c.var.clock, c.var.user.practiceId, c.req.valid('param').id, c.req.valid('json'));
      return c.json(toVenueDto(row));
    },
  );
