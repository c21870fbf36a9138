import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import { forbidden, invalid } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { documented, itemsOf } from '../openapi/describe.js';
import { recordRestore } from './restore-settlement.js';

const doc = documented('Operations');

const RestoreDto = z.object({
  id: z.number().int(),
  restoredAt: z.iso.datetime(),
  backupTakenAt: z.iso.datetime().describe('The moment the database was restored to: everything after it is gone'),
  settled: z.boolean().describe("Every text that may have gone before the restore has been checked against Twilio's log"),
  foundSent: z.number().int().describe("Texts found in Twilio's log: they had already gone, and were not sent again"),
  sentAfterCheck: z.number().int(),
  held: z.number().int().describe('Texts held because, without Twilio credentials, they could not be checked'),
});

const NewRestore = z.object({
  restoredTo: z.iso.datetime({ offset: true }).describe('The moment D1 Time Travel restored the database to'),
});

const toDto = (r: {
  id: number;
  restored_at: number;
  backup_taken_at: number;
  settled_at: number | null;
  found_sent: number;
  sent_after_check: number;
  held: number;
}): z.input<typeof RestoreDto> => ({
  id: r.id,
  restoredAt: new Date(r.restored_at).toISOString(),
  backupTakenAt: new Date(r.backup_taken_at).toISOString(),
  settled: r.settled_at !== null,
  foundSent: r.found_sent,
  sentAfterCheck: r.sent_after_check,
  held: r.held,
});

/**
 * `/restores`: restores of the whole database. On Node `npm run restore` records one; on Workers,
 * after `wrangler d1 time-travel restore`, a programme admin records the moment restored to, and the
 * next cron pass settles texts against Twilio's log before sending. Recording one signs everyone
 * out, the caller included.
 */
export const restoreRoutes = new Hono<AppEnv>()
  .get('/', doc('Restores of this server and what their settling found (admins)', { 200: itemsOf(RestoreDto) }), adminOnly, async (c) => {
    const rows = await c.var.db.selectFrom('restores').selectAll().orderBy('id', 'desc').limit(20).execute();
    return c.json({ items: rows.map(toDto) });
  })
  .post(
    '/',
    doc('Record that the database was restored to a moment (programme admins; after D1 Time Travel): texts are settled with Twilio first', {
      201: RestoreDto,
    }),
    validate('json', NewRestore),
    async (c) => {
      if (!c.var.user.programmeAdmin) throw forbidden('Only a programme admin can record a restore');
      const now = c.var.clock.now().getTime();
      const to = Date.parse(c.req.valid('json').restoredTo);
      if (to > now) throw invalid('restoredTo must not be in the future', [{ path: 'restoredTo', message: 'a moment already past' }]);
      const id = await recordRestore(c.var.db, now, to, 'recorded by a programme admin');
      const row = await c.var.db.selectFrom('restores').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return c.json(toDto(row), 201);
    },
  );
