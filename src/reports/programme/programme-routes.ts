import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import type { AppEnv } from '../../app-env.js';
import { csvDownload, toCsv } from '../../lib/csv.js';
import { forbidden, unprocessable } from '../../lib/errors.js';
import { LocalDate } from '../../lib/schemas.js';
import { addDays, localDate } from '../../lib/time/time.js';
import { validate } from '../../lib/validate.js';
import { programmeAttendance, programmeMonitoring, type ProgrammeScope } from './programme-report.js';
import { programmeImpact } from './programme-impact.js';
import { ProgrammeAttendanceDto, ProgrammeImpactDto, ProgrammeMonitoringRowDto, SuppressedDoseBandDto } from '../report-schemas.js';
import { documented, itemsOf } from '../../openapi/describe.js';
import { boardsAsked, HOME_BOARD } from './boards.js';

const doc = documented('Programme reports');

const programmeAdmin = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.var.user.programmeAdmin) throw forbidden('Programme reports are for programme admins');
  await next();
});

const PracticeIds = z
  .string()
  .regex(/^\d{1,15}(,\d{1,15})*$/, 'practice ids separated by commas')
  .transform((s) => s.split(',').map(Number))
  .optional();
const BoardNames = z
  .string()
  .regex(/^[^,]+(,[^,]+)*$/, "boards' names separated by commas")
  .transform((s) => s.split(','))
  .optional()
  .describe("Where the deployment reads other health boards' databases (BOARD_DATABASES): only these boards");
const Query = z.object({ from: LocalDate.optional(), to: LocalDate.optional(), practiceIds: PracticeIds, boards: BoardNames });

/** Who asks, for which practices, and from which boards' databases where the deployment reads several. */
function scope(c: { var: AppEnv['Variables'] }, q: { practiceIds?: number[]; boards?: string[] }): ProgrammeScope {
  const practiceIds = q.practiceIds ?? [];
  const others = c.var.boards ?? [];
  if (others.length === 0) {
    if (q.boards)
      throw unprocessable('This server reads only its own database (BOARD_DATABASES names no other board): ask without boards=', { field: 'boards' });
    return { actor: c.var.user, practiceIds };
  }
  const all = [{ name: c.var.config.boardName ?? HOME_BOARD, db: c.var.db, home: true }, ...others];
  return { actor: c.var.user, practiceIds, boards: boardsAsked(all, q.boards, practiceIds) };
}

function period(c: { var: AppEnv['Variables'] }, q: { from?: string; to?: string }) {
  const to = q.to ?? localDate(c.var.clock.now().getTime(), c.var.user.timezone);
  return { from: q.from ?? addDays(to, -90), to };
}

/** `/programme/reports/*`: the programme across all practices (or `practiceIds=`), pseudonymous, small counts as "<5". */
export const programmeRoutes = new Hono<AppEnv>()
  .use(programmeAdmin)
  .get(
    '/reports/attendance',
    doc('Attendance per practice (programme admins; small counts as "<5")', { 200: ProgrammeAttendanceDto }),
    validate('query', Query),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await programmeAttendance(c.var.db, scope(c, q), c.var.clock.now().getTime(), period(c, q)));
    },
  )
  .get('/reports/attendance.csv', doc('Attendance per practice as CSV', { 200: 'csv' }), validate('query', Query), async (c) => {
    const q = c.req.valid('query');
    const r = await programmeAttendance(c.var.db, scope(c, q), c.var.clock.now().getTime(), period(c, q));
    return csvDownload(toCsv(r.practices), `programme-attendance-${r.period.from}-to-${r.period.to}.csv`);
  })
  .get(
    '/reports/impact',
    doc('Impact per practice (programme admins; small counts as "<5")', { 200: ProgrammeImpactDto }),
    validate('query', Query),
    async (c) => {
      const q = c.req.valid('query');
      return c.json(await programmeImpact(c.var.db, scope(c, q), c.var.clock.now().getTime(), period(c, q)));
    },
  )
  .get('/reports/impact.csv', doc('Impact per practice as CSV', { 200: 'csv' }), validate('query', Query), async (c) => {
    const q = c.req.valid('query');
    const r = await programmeImpact(c.var.db, scope(c, q), c.var.clock.now().getTime(), period(c, q));
    // One row per practice, then the programme pooled from people; each band's figures in columns of their own.
    const rows = [...r.practices, { practiceCode: 'programme (pooled)', byDose: r.programme.byDose }].map(({ byDose, ...rest }) => ({
      ...rest,
      ...Object.fromEntries(byDose.flatMap((d) => doseColumns(d))),
    }));
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    return csvDownload(toCsv(rows, columns), `programme-impact-${r.period.from}-to-${r.period.to}.csv`);
  })
  .get(
    '/reports/monitoring',
    doc('Enrolments by practice, programme and referral route', { 200: itemsOf(ProgrammeMonitoringRowDto) }),
    validate('query', Query),
    async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await programmeMonitoring(c.var.db, scope(c, q), c.var.clock.now().getTime()) });
    },
  )
  .get('/reports/monitoring.csv', doc('The same as CSV', { 200: 'csv' }), validate('query', Query), async (c) => {
    const q = c.req.valid('query');
    return csvDownload(toCsv(await programmeMonitoring(c.var.db, scope(c, q), c.var.clock.now().getTime())), 'programme-monitoring.csv');
  });

/** A dose band's figures as spreadsheet columns: "dose 3-5: SWEMWBS change" and so on. */
function doseColumns(d: z.infer<typeof SuppressedDoseBandDto>): [string, unknown][] {
  const at = `dose ${d.band}:`;
  return [
    [`${at} people`, d.people],
    [`${at} SWEMWBS pairs`, d.swemwbs.n],
    [`${at} SWEMWBS baseline`, d.swemwbs.baseline],
    [`${at} SWEMWBS change`, d.swemwbs.change],
    [`${at} SWEMWBS 95% interval`, d.swemwbs.ci95?.join(' to ') ?? null],
    [`${at} ONS4 pairs`, d.ons4.n],
    ...Object.entries(d.ons4.change).map(([item, v]) => [`${at} ONS4 ${item} change`, v] as [string, unknown]),
    [`${at} happiness pairs`, d.happiness.n],
    [`${at} happiness baseline`, d.happiness.baseline],
    [`${at} happiness change`, d.happiness.change],
    [`${at} happiness 95% interval`, d.happiness.ci95?.join(' to ') ?? null],
    [`${at} GP people`, d.gpAppointments.n],
    [`${at} GP before`, d.gpAppointments.before],
    [`${at} GP after`, d.gpAppointments.after],
    [`${at} GP change`, d.gpAppointments.change],
    [`${at} GP 95% interval`, d.gpAppointments.ci95?.join(' to ') ?? null],
  ];
}
