import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { forbidden } from '../lib/errors.js';
import { IdParam, LocalDate, OptionalText } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { documented, itemsOf } from '../openapi/describe.js';
import type { Credential } from '../db/schema.js';
import { addCredential, CREDENTIAL_KINDS, credentialsDue, credentialsOf } from './credentials-service.js';

const doc = documented('Leaders');

export const NewCredentialBody = z.object({
  kind: z.enum(CREDENTIAL_KINDS),
  label: OptionalText(100)
    .optional()
    .transform((v) => v ?? null)
    .describe('What it is, e.g. "Emergency First Aid at Work"'),
  reference: OptionalText(100)
    .optional()
    .transform((v) => v ?? null)
    .describe('A certificate or PVG scheme number'),
  validFrom: LocalDate,
  expiresOn: LocalDate.nullable()
    .optional()
    .transform((v) => v ?? null),
});

export const CredentialDto = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  kind: z.enum(CREDENTIAL_KINDS),
  label: z.string().nullable(),
  reference: z.string().nullable(),
  validFrom: z.string(),
  expiresOn: z.string().nullable(),
});

const DueDto = CredentialDto.extend({
  userName: z.string(),
  expired: z.boolean().describe('Already run out (otherwise it runs out within 30 days)'),
});

export const toCredentialDto = (c: Credential): z.input<typeof CredentialDto> => ({
  id: c.id,
  userId: c.user_id,
  kind: c.kind,
  label: c.label,
  reference: c.reference,
  validFrom: c.valid_from,
  expiresOn: c.expires_on,
});

/** `/users/:id/credentials`: a leader's checks and training (admins and CLPs record them). */
export const userCredentialRoutes = new Hono<AppEnv>()
  .get(
    '/:id/credentials',
    doc("A person's checks and training (a leader: their own)", { 200: itemsOf(CredentialDto) }),
    validate('param', IdParam),
    async (c) => {
      const { user } = c.var;
      // A leader sees when their own checks run out; staff and other people's are not theirs to read.
      if (user.role !== 'admin' && user.role !== 'clp' && !(user.role === 'leader' && c.req.valid('param').id === user.id))
        throw forbidden('You can read only your own checks');
      const rows = await credentialsOf(c.var.db, c.var.user.practiceId, c.req.valid('param').id);
      return c.json({ items: rows.map(toCredentialDto) });
    },
  )
  .post(
    '/:id/credentials',
    doc('Record a check or training: first aid, walk leader, PVG or other', { 201: CredentialDto }),
    canManage,
    validate('param', IdParam),
    validate('json', NewCredentialBody),
    async (c) => {
      const row = await addCredential(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('param').id, c.req.valid('json'));
      return c.json(toCredentialDto(row), 201);
    },
  );

/** `/credentials/due`: checks run out or running out within 30 days. */
export const credentialsDueRoutes = new Hono<AppEnv>().get(
  '/due',
  doc('Checks and training that have run out or run out within 30 days', { 200: itemsOf(DueDto) }),
  canManage,
  async (c) => {
    const rows = await credentialsDue(c.var.db, c.var.user, c.var.clock.now().getTime());
    return c.json({ items: rows.map((r) => ({ ...toCredentialDto(r), userName: r.user_name, expired: r.expired })) });
  },
);
