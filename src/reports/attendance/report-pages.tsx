import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { needsCheckIn } from '../../attendance/check-ins.js';
import { outcomesDue } from '../../outcomes/outcomes-service.js';
import { attendanceReport } from './attendance-report.js';
import { localDate } from '../../lib/time/time.js';
import { getPractice } from '../../practice/practice-service.js';
import { Layout } from '../../web/layout.js';
import { DateInput } from '../../web/forms/date-input.js';
import { describerFor, ErrorSummary, FieldError, type FieldProblem } from '../../web/forms/form-errors.js';
import { ukDate } from '../../lib/time/time.js';
import { pageRoles, type WebEnv } from '../../web/web-auth.js';
import { smsUsage, type MonthUsage, type SmsUsage } from '../../sms/outbox/usage-service.js';
import { smsPriceOf } from '../../sms/wording/texts-service.js';
import { money } from '../../lib/money.js';
import { ReflowTable, TotalsRow } from '../../web/components/reflow-table.js';
import { monthlyBars, type MonthBar, readPeriod, ToCallOrMeasure } from './attendance-page-parts.js';

/** A bar chart as SVG: each bar carries its number, so nothing depends on colour or hover. */
function BarChart({ title, bars }: { title: string; bars: MonthBar[] }) {
  const max = Math.max(1, ...bars.map((b) => b.attended));
  const w = 56;
  const h = 140;
  return (
    <svg
      role="img"
      aria-label={`${title}: ${bars.map((b) => `${b.month} ${b.attended}`).join(', ')}`}
      viewBox={`0 0 ${bars.length * w + 10} ${h + 40}`}
      width="100%"
      class="chart"
    >
      <title>{title}</title>
      {bars.map((b, i) => {
        const bh = Math.round((b.attended / max) * h);
        return (
          <g>
            <rect x={i * w + 10} y={h - bh + 16} width={w - 16} height={bh} fill="#0b3d91" />
            <text x={i * w + 10 + (w - 16) / 2} y={h - bh + 12} text-anchor="middle">
              {String(b.attended)}
            </text>
            <text x={i * w + 10 + (w - 16) / 2} y={h + 34} text-anchor="middle">
              {b.month}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** SMS segments per group and month, and what they cost: texts are the service's running cost. */
function SmsUsageTable(p: { usage: SmsUsage }) {
  const months = [...p.usage.months].reverse();
  const groups = new Map<string, string>();
  for (const m of months) for (const g of m.groups) groups.set(String(g.groupId), g.name);
  const cell = (m: MonthUsage, key: string) => m.groups.find((g) => String(g.groupId) === key)?.segments ?? 0;
  return (
    <section>
      <h2>Texts sent: segments per month</h2>
      <ReflowTable
        rows={[...groups]}
        columns={[
          { heading: 'Group', cell: ([, name]) => name },
          ...months.map((m) => ({ heading: m.month, cell: ([key]: [string, string]) => cell(m, key) })),
        ]}
        after={
          <TotalsRow name="All texts" cells={months.map((m) => ({ heading: m.month, value: `${m.segments} (${money(m.cost, p.usage.price.currency)})` }))} />
        }
      />
    </section>
  );
}

/** Attendance per group and month as charts and tables, the CSV downloads, and the check-in list. */
export const reportPages = new Hono<WebEnv>().get('/reports', pageRoles('admin', 'clp'), async (c) => {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const today = localDate(now, user.timezone);
  const groupsHere = await db.selectFrom('community_groups').select(['id', 'name']).where('practice_id', '=', user.practiceId).orderBy('name').execute();
  const { problems, asked, from, to, group } = readPeriod(c.req.query(), today, groupsHere);
  if (problems.length) return c.html(<PeriodErrors c={c} problems={problems} asked={asked} groups={groupsHere} />, 400);
  const range = { from, to, ...(group && { groupId: group.id }) };
  const report = await attendanceReport(db, user, now, range);
  const query = new URLSearchParams({ from, to, ...(group && { groupId: String(group.id) }) }).toString();
  const barsFor = await monthlyBars(db, user, now, from, to);
  const checkIns = await needsCheckIn(db, user, now);
  const due = await outcomesDue(db, user, now);
  const practice = await getPractice(db, user.practiceId);
  const usage = await smsUsage(db, user.practiceId, smsPriceOf(c.var.config), now, {
    from: DateTime.fromISO(from).toFormat('yyyy-LL'),
    to: DateTime.fromISO(to).toFormat('yyyy-LL'),
  });
  const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);
  return c.html(
    <Layout title="Reports" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <PeriodForm asked={{ from, to, groupId: group ? String(group.id) : '' }} groups={groupsHere} problems={[]} today={today} />
      <p>
        <strong>
          {ukDate(from)} to {ukDate(to)}
          {group ? `, ${group.name}` : ', all groups'}
        </strong>
        . Download: <a href={`/api/v1/reports/attendance.csv?${query}`}>groups (CSV)</a> ·{' '}
        <a href={`/api/v1/reports/attendance.csv?${query}&view=participants`}>participants (CSV)</a> ·{' '}
        <a href="/api/v1/reports/monitoring.csv">Links Worker Programme monitoring (CSV)</a> · <a href="/reports/impact">Impact report (printable, CSV)</a>
        {user.role === 'admin' && (
          <>
            {' '}
            · <a href="/reports/gp-appointments">Import GP appointment counts</a> · <a href="/retention">Keeping only what is needed</a>
          </>
        )}
      </p>
      {user.role === 'admin' && !practice.code && (
        <p class="muted">
          The monitoring return needs the practice code: <a href="/practice/settings">set it in the practice settings</a>.
        </p>
      )}
      <ToCallOrMeasure checkIns={checkIns} due={due} />
      <h2>Attendance by group</h2>
      <ReflowTable
        rows={report.groups}
        columns={[
          { heading: 'Group', cell: (g) => g.name },
          { heading: 'Sessions run', cell: (g) => g.sessionsDelivered },
          { heading: 'Cancelled', cell: (g) => g.sessionsCancelled },
          { heading: 'People', cell: (g) => g.uniqueParticipants },
          { heading: 'Attendances', cell: (g) => g.attendances + g.unnamedHeadcount },
          { heading: 'Average', cell: (g) => g.averageAttendance ?? '–' },
          { heading: 'Rate', cell: (g) => pct(g.attendanceRate) },
          { heading: 'Still coming after 4 weeks', cell: (g) => pct(g.retention4Weeks.rate) },
        ]}
      />
      <SmsUsageTable usage={usage} />
      {report.groups.map((g) => (
        <section>
          <h2>{g.name}: attendances per month</h2>
          <BarChart title={`${g.name}, attendances per month`} bars={barsFor(g.groupId)} />
        </section>
      ))}
    </Layout>,
  );
});

/** Quarters and the financial year (April to March) a return is usually made for, as ready-made periods. */
function presetPeriods(today: string): { label: string; from: string; to: string }[] {
  const t = DateTime.fromISO(today);
  const q = t.startOf('quarter');
  const fyStart = t.month >= 4 ? DateTime.local(t.year, 4, 1) : DateTime.local(t.year - 1, 4, 1);
  const iso = (d: DateTime) => d.toISODate()!;
  return [
    { label: 'This quarter', from: iso(q), to: iso(q.endOf('quarter')) },
    { label: 'Last quarter', from: iso(q.minus({ quarters: 1 })), to: iso(q.minus({ days: 1 })) },
    { label: 'This financial year', from: iso(fyStart), to: iso(fyStart.plus({ years: 1 }).minus({ days: 1 })) },
    { label: 'Last financial year', from: iso(fyStart.minus({ years: 1 })), to: iso(fyStart.minus({ days: 1 })) },
  ];
}

/** The period and group a report covers: a GET form, so a report has an address to bookmark or share. */
function PeriodForm(p: {
  asked: { from: string; to: string; groupId: string };
  groups: { id: number; name: string }[];
  problems: FieldProblem[];
  today: string;
}) {
  const describedBy = describerFor(p.problems);
  return (
    <form novalidate method="get" action="/reports" class="period">
      <fieldset>
        <legend>Period and group</legend>
        <DateInput name="from" legend="First day" hint="For example, 1 4 2026" value={p.asked.from} problems={p.problems} small />
        <DateInput name="to" legend="Last day" hint="For example, 31 3 2027" value={p.asked.to} problems={p.problems} small />
        <label for="groupId">Group</label>
        <FieldError field="groupId" problems={p.problems} />
        <select id="groupId" name="groupId" aria-describedby={describedBy('groupId')}>
          <option value="">All groups</option>
          {p.groups.map((g) => (
            <option value={String(g.id)} selected={String(g.id) === p.asked.groupId}>
              {g.name}
            </option>
          ))}
        </select>
        <p>
          <button type="submit" class="secondary">
            Show this period
          </button>
        </p>
        <p>
          {presetPeriods(p.today).map((x, i) => (
            <>
              {i > 0 && ' · '}
              <a href={`/reports?from=${x.from}&to=${x.to}${p.asked.groupId ? `&groupId=${p.asked.groupId}` : ''}`}>{x.label}</a>
            </>
          ))}
        </p>
      </fieldset>
    </form>
  );
}

function PeriodErrors(p: {
  c: Context<WebEnv>;
  problems: FieldProblem[];
  asked: { from: string; to: string; groupId: string };
  groups: { id: number; name: string }[];
}) {
  return (
    <Layout title="Error: Reports" user={p.c.var.user} csrf={p.c.var.csrf}>
      <ErrorSummary problems={p.problems} />
      <PeriodForm asked={p.asked} groups={p.groups} problems={p.problems} today={localDate(p.c.var.clock.now().getTime(), p.c.var.user.timezone)} />
    </Layout>
  );
}
