import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { adminOnly } from '../auth/auth-middleware.js';
import type { Db } from '../db/schema.js';
import { conflict, forbidden, invalid } from '../lib/errors.js';
import { validate } from '../lib/validate.js';
import { documented, itemsOf } from '../openapi/describe.js';
import { textsWaitingForLog } from './operations-notice.js';
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
  waitingForLog: z.number().int().describe("Texts held until Twilio's message log answers: a failed look-up never counts as not sent"),
  lookupError: z.string().nullable().describe("What Twilio's log last said when it did not answer, while the restore is unsettled"),
});

const NewRestore = z.object({
  restoredTo: z.iso.datetime({ offset: true }).describe('The moment D1 Time Travel restored the database to'),
  confirm: z
    .literal(true)
    .optional()
    .describe('Node only: the database really was put back and was not found at start-up; without it Node answers 409 saying what recording would do'),
});

/**
 * On Node nothing needs recording by hand (npm run restore records a restore, and a file put back
 * otherwise is found at start-up), and recording one where nothing was restored signs everyone out
 * and holds texts: so it asks first, saying what it would do.
 */
async function askFirst(db: Db, to: number) {
  const sessions = await db
    .selectFrom('auth_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const texts = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('direction', '=', 'outbound')
    .where('status', 'in', ['pending', 'sending', 'unknown'])
    .executeTakeFirstOrThrow();
  return conflict(
    'On this server npm run restore records a restore, and a database file put back any other way is found when it starts: nothing needs recording here. Recording one anyway signs everyone out and checks every waiting text with Twilio before it goes; send confirm: true only if the database really was put back and no restore is listed.',
    { wouldSignOut: Number(sessions.n), wouldCheckTexts: Number(texts.n), restoredTo: new Date(to).toISOString() },
  );
}

const toDto = (
  r: {
    id: number;
    restored_at: number;
    backup_taken_at: number;
    settled_at: number | null;
    found_sent: number;
    sent_after_check: number;
    held: number;
    lookup_error: string | null;
  },
  waitingForLog: number,
): z.input<typeof RestoreDto> => ({
  id: r.id,
  restoredAt: new Date(r.restored_at).toISOString(),
  backupTakenAt: new Date(r.backup_taken_at).toISOString(),
  settled: r.settled_at !== null,
  foundSent: r.found_sent,
  sentAfterCheck: r.sent_after_check,
  held: r.held,
  waitingForLog,
  lookupError: r.settled_at === null ? r.lookup_error : null,
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
    const items = [];
    for (const r of rows) items.push(toDto(r, r.settled_at === null ? await textsWaitingForLog(c.var.db, r.id) : 0));
    return c.json({ items });
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
      const body = c.req.valid('json');
      const to = Date.parse(body.restoredTo);
      if (to > now) throw invalid('restoredTo must not be in the future', [{ path: 'restoredTo', message: 'a moment already past' }]);
      if (!c.var.config.restoresRecordedByHand && body.confirm !== true) throw await askFirst(c.var.db, to);
      const id = await recordRestore(c.var.db, now, to, 'recorded by a programme admin');
      const row = await c.var.db.selectFrom('restores').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return c.json(toDto(row, 0), 201);
    },
  );
