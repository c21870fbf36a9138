import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { csvDownload, toCsv } from '../lib/csv.js';
import { Id, LocalDate } from '../lib/schemas.js';
import { addDays, localDate } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { attendanceReport } from './attendance/attendance-report.js';
import { monitoringExport } from './monitoring-report.js';
import { impactReport } from './impact/impact-report.js';
import { impactRows } from './impact/impact-rows.js';
import { protectedImpact } from './impact/protected-impact.js';
import { AttendanceReportDto, ImpactReportDto, MonitoringRowDto } from './report-schemas.js';
import { documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Reports');

const ReportQuery = z.object({
  from: LocalDate.optional(),
  to: LocalDate.optional(),
  groupId: Id.optional(),
  view: z.enum(['groups', 'participants']).default('groups'),
});

const ImpactQuery = z.object({ from: LocalDate.optional(), to: LocalDate.optional(), groupId: Id.optional() });

const GROUP_COLUMNS = [
  'groupId',
  'name',
  'kind',
  'sessionsDelivered',
  'sessionsCancelled',
  'uniqueParticipants',
  'attendances',
  'unnamedHeadcount',
  'averageAttendance',
  'attendanceRate',
  'newEnrolments',
  'retention4WeeksRate',
  'retention12WeeksRate',
];

export const reportRoutes = new Hono<AppEnv>()
  .use(canManage)
  .get('/attendance.csv', doc('The attendance report as CSV (groups, or view=participants)', { 200: 'csv' }), validate('query', ReportQuery), async (c) => {
    const q = c.req.valid('query');
    const report = await run(c, q);
    const name = `attendance-${report.period.from}-to-${report.period.to}${q.view === 'participants' ? '-participants' : ''}.csv`;
    if (q.view === 'participants') return csvDownload(toCsv(report.participants), name);
    const rows = report.groups.map((g) => ({ ...g, retention4WeeksRate: g.retention4Weeks.rate, retention12WeeksRate: g.retention12Weeks.rate }));
    return csvDownload(toCsv(rows, GROUP_COLUMNS), name);
  })
  .get(
    '/attendance',
    doc('Attendance per group and person over a period (default: the last 6 months)', { 200: AttendanceReportDto }),
    validate('query', ReportQuery),
    async (c) => c.json(await run(c, c.req.valid('query'))),
  )
  .get('/impact.csv', doc('The impact report as CSV: section, figure, value, how computed', { 200: 'csv' }), validate('query', ImpactQuery), async (c) => {
    const r = await runImpact(c, c.req.valid('query'));
    return csvDownload(toCsv(impactRows(protectedImpact(r)), ['section', 'figure', 'value', 'howComputed']), `impact-${r.period.from}-to-${r.period.to}.csv`);
  })
  .get(
    '/impact',
    doc('What changed for people: funnel, attendance, retention, wellbeing, GP appointments', { 200: ImpactReportDto }),
    validate('query', ImpactQuery),
    async (c) => c.json(await runImpact(c, c.req.valid('query'))),
  )
  .get('/monitoring.csv', doc("The Links Worker Programme's monitoring return as CSV", { 200: 'csv' }), async (c) =>
    csvDownload(toCsv(await monitoringExport(c.var.db, c.var.user, c.var.clock.now().getTime())), 'links-worker-monitoring.csv'),
  )
  .get(
    '/monitoring',
    doc("The Links Worker Programme's monitoring return, one row per enrolment, pseudonymous", { 200: itemsOf(MonitoringRowDto) }),
    async (c) => c.json({ items: await monitoringExport(c.var.db, c.var.user, c.var.clock.now().getTime()) }),
  );

/** The impact report over a period; a year to today unless asked otherwise. */
export function runImpact(c: { var: AppEnv['Variables'] }, q: z.infer<typeof ImpactQuery>) {
  const now = c.var.clock.now().getTime();
  const to = q.to ?? localDate(now, c.var.user.timezone);
  const from = q.from ?? addDays(to, -364);
  return impactReport(c.var.db, c.var.user, now, { from, to, groupId: q.groupId });
}

function run(c: { var: AppEnv['Variables'] }, q: z.infer<typeof ReportQuery>) {
  const now = c.var.clock.now().getTime();
  const to = q.to ?? localDate(now, c.var.user.timezone);
  const from = q.from ?? addDays(to, -90);
  return attendanceReport(c.var.db, c.var.user, now, { from, to, groupId: q.groupId });
}
