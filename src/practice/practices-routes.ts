import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { membershipsOf } from '../auth/auth-service.js';
import { forbidden } from '../lib/errors.js';
import { Text } from '../lib/schemas.js';
import { ROLES } from '../db/schema.js';
import { validate } from '../lib/validate.js';
import { addPractice } from './practices-service.js';
import { documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Practices');
const MembershipDto = z.object({
  id: z.number().int(),
  name: z.string(),
  code: z.string().nullable(),
  role: z.enum(ROLES),
  current: z.boolean(),
});

export const PracticeCode = z
  .string()
  .trim()
  .min(1)
  .max(20)
  .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and dashes only');

const NewPractice = z.object({ name: Text(200), code: PracticeCode.optional() });

/**
 * `/practices`: the programme's practices. A programme admin creates one (and becomes its admin,
 * to add its users); everyone lists the practices they belong to, with their role in each.
 */
export const practicesRoutes = new Hono<AppEnv>()
  .get('/', doc('The practices you belong to, with your role in each', { 200: itemsOf(MembershipDto) }), async (c) => {
    const rows = await membershipsOf(c.var.db, c.var.user.id);
    return c.json({ items: rows.map((p) => ({ id: p.id, name: p.name, code: p.code, role: p.role, current: p.id === c.var.user.practiceId })) });
  })
  .post(
    '/',
    doc('Add a practice (programme admins); you become its admin', { 201: z.object({ id: z.number().int(), name: z.string(), code: z.string().nullable() }) }),
    validate('json', NewPractice),
    async (c) => {
      if (!c.var.user.programmeAdmin) throw forbidden('Only a programme admin can add a practice');
      const { name, code } = c.req.valid('json');
      const p = await addPractice(c.var.db, c.var.clock, c.var.user.id, { name, code: code ?? null });
      return c.json({ id: p.id, name: p.name, code: p.code }, 201);
    },
  );
