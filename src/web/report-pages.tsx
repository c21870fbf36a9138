import { Hono } from 'hono';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { needsCheckIn } from '../attendance/check-ins.js';
import { outcomesDue } from '../outcomes/outcomes-service.js';
import { attendanceReport } from '../reports/attendance-report.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time.js';
import { z } from 'zod';
import { getPractice, updatePractice } from '../practice/practice-service.js';
import { parseOrThrow } from '../lib/validate.js';
import { Csrf, Layout } from './layout.js';
import { form, pageRoles, str, type WebEnv } from './web-auth.js';
import { smsUsage, type MonthUsage, type SmsUsage } from '../texts/usage-service.js';
import { smsPriceOf } from '../texts/texts-service.js';
import { money } from '../lib/money.js';

interface MonthBar {
  month: string;
  attended: number;
}

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
      style="max-width:480px"
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
      <table class="reflow">
        <thead>
          <tr>
            <th scope="col">Group</th>
            {months.map((m) => (
              <th scope="col">{m.month}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...groups].map(([key, name]) => (
            <tr>
              <td data-label="Group">{name}</td>
              {months.map((m) => (
                <td data-label={m.month}>{cell(m, key)}</td>
              ))}
            </tr>
          ))}
          <tr>
            <th scope="row">All texts</th>
            {months.map((m) => (
              <td data-label={m.month}>
                {m.segments} ({money(m.cost, p.usage.price.currency)})
              </td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** Attendance per group and month as charts and tables, the CSV downloads, and the check-in list. */
export const reportPages = new Hono<WebEnv>()
  .post('/reports/practice', pageRoles('admin'), async (c) => {
    const f = await form(c);
    const { code } = parseOrThrow(
      z.object({
        code: z
          .string()
          .trim()
          .max(20)
          .regex(/^[A-Za-z0-9-]*$/, 'letters, digits and dashes only'),
      }),
      { code: str(f.code) },
    );
    await updatePractice(c.var.db, c.var.user.practiceId, { code: code || null });
    return c.redirect('/reports?done=Practice code saved.', 303);
  })
  .get('/reports', pageRoles('admin', 'clp'), async (c) => {
    const { db, user, clock } = c.var;
    const now = clock.now().getTime();
    const today = localDate(now, user.timezone);
    const from = DateTime.fromISO(today).minus({ months: 5 }).startOf('month').toISODate()!;
    const report = await attendanceReport(db, user, now, { from, to: today });
    const perSession = await sql<{ group_id: number; starts_at: number; attended: number }>`
    SELECT s.group_id, s.starts_at, (SELECT count(*) FROM attendance a WHERE a.session_id = s.id AND a.status IN ('present', 'late')) + coalesce(s.headcount, 0) AS attended
    FROM sessions s WHERE s.practice_id = ${user.practiceId} AND s.status = 'scheduled' AND s.starts_at >= ${startOfLocalDate(from, user.timezone)} AND s.starts_at < ${Math.min(now, startOfLocalDate(addDays(today, 1), user.timezone))}`.execute(
      db,
    );
    const months = Array.from({ length: 6 }, (_, i) => DateTime.fromISO(from).plus({ months: i }));
    const barsFor = (groupId: number): MonthBar[] =>
      months.map((m) => ({
        month: m.setLocale('en-GB').toFormat('LLL'),
        attended: perSession.rows
          .filter((r) => r.group_id === groupId && DateTime.fromMillis(r.starts_at, { zone: user.timezone }).hasSame(m, 'month'))
          .reduce((n, r) => n + Number(r.attended), 0),
      }));
    const checkIns = await needsCheckIn(db, user, now);
    const due = await outcomesDue(db, user, now);
    const practice = await getPractice(db, user.practiceId);
    const usage = await smsUsage(db, user.practiceId, smsPriceOf(c.var.config), now, {
      from: DateTime.fromISO(from).toFormat('yyyy-LL'),
      to: DateTime.fromISO(today).toFormat('yyyy-LL'),
    });
    const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);
    return c.html(
      <Layout title="Reports" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p>
          {from} to {today}. Download: <a href={`/api/v1/reports/attendance.csv?from=${from}&to=${today}`}>groups (CSV)</a> ·{' '}
          <a href={`/api/v1/reports/attendance.csv?from=${from}&to=${today}&view=participants`}>participants (CSV)</a> ·{' '}
          <a href="/api/v1/reports/monitoring.csv">Links Worker Programme monitoring (CSV)</a> · <a href="/reports/impact">Impact report (printable, CSV)</a>
          {user.role === 'admin' && (
            <>
              {' '}
              · <a href="/reports/gp-appointments">Import GP appointment counts</a> · <a href="/retention">Keeping only what is needed</a>
            </>
          )}
        </p>
        {user.role === 'admin' && (
          <form method="post" action="/reports/practice" class="row">
            <Csrf token={c.var.csrf} />
            <label for="code">Practice code for monitoring returns</label>
            <input id="code" name="code" maxlength={20} value={practice.code ?? ''} />
            <button type="submit" class="secondary">
              Save code
            </button>
          </form>
        )}
        <h2>Needs a check-in</h2>
        {checkIns.length === 0 ? (
          <p class="muted">Nobody has missed two sessions in a row.</p>
        ) : (
          <ul class="cards">
            {checkIns.map((r) => (
              <li>
                <a href={`/participants/${r.participant_id}`}>{[r.given_name, r.family_name].filter(Boolean).join(' ')}</a> missed the last two sessions of{' '}
                {r.group_name}
                {r.phone && (
                  <>
                    {' '}
                    · <a href={`tel:${r.phone}`}>Call {r.phone}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        <h2>Wellbeing measures due</h2>
        {due.length === 0 ? (
          <p class="muted">Everyone enrolled has a baseline, and no 12-week follow-up is due.</p>
        ) : (
          <ul class="cards">
            {due.map((d) => (
              <li>
                <a href={`/participants/${d.participant_id}/outcomes/new?measure=swemwbs`}>{[d.given_name, d.family_name].filter(Boolean).join(' ')}</a>:{' '}
                {d.due === 'baseline' ? `baseline (enrolled ${d.since})` : `12-week follow-up (baseline ${d.since})`}
              </li>
            ))}
          </ul>
        )}
        <h2>Attendance by group</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Sessions run</th>
              <th scope="col">Cancelled</th>
              <th scope="col">People</th>
              <th scope="col">Attendances</th>
              <th scope="col">Average</th>
              <th scope="col">Rate</th>
              <th scope="col">Still coming after 4 weeks</th>
            </tr>
          </thead>
          <tbody>
            {report.groups.map((g) => (
              <tr>
                <td>{g.name}</td>
                <td>{g.sessionsDelivered}</td>
                <td>{g.sessionsCancelled}</td>
                <td>{g.uniqueParticipants}</td>
                <td>{g.attendances + g.unnamedHeadcount}</td>
                <td>{g.averageAttendance ?? '–'}</td>
                <td>{pct(g.attendanceRate)}</td>
                <td>{pct(g.retention4Weeks.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
