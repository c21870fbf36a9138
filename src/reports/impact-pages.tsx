import { Hono } from 'hono';
import { z } from 'zod';
import { listGroups } from '../groups/groups-service.js';
import { Id, LocalDate } from '../lib/schemas.js';
import { addDays, localDate, ukDate } from '../lib/time.js';
import { parseOrThrow } from '../lib/validate.js';
import { Layout } from '../web/layout.js';
import { DateInput, readDateField } from '../web/date-input.js';
import { pageRoles, type WebEnv } from '../web/web-auth.js';
import { impactReport } from './impact-report.js';

const Query = z.object({
  from: LocalDate.optional().or(z.literal('').transform(() => undefined)),
  to: LocalDate.optional().or(z.literal('').transform(() => undefined)),
  groupId: Id.optional().or(z.literal('').transform(() => undefined)),
});

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);
const num = (n: number | null | undefined) => (n === null || n === undefined ? '–' : String(n));

function Figure(p: { label: string; value: string; note?: string }) {
  return (
    <>
      <dt>{p.label}</dt>
      <dd>
        {p.value}
        {p.note && <span class="muted"> {p.note}</span>}
      </dd>
    </>
  );
}

/** The impact report as a page to read and to print on one A4 sheet for a funder. */
export const impactPages = new Hono<WebEnv>().get('/reports/impact', pageRoles('admin', 'clp'), async (c) => {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const asked = c.req.query();
  const q = parseOrThrow(Query, { ...asked, from: readDateField(asked, 'from'), to: readDateField(asked, 'to') });
  const to = q.to ?? localDate(now, user.timezone);
  const from = q.from ?? addDays(to, -364);
  const r = await impactReport(db, user, now, { from, to, groupId: q.groupId });
  const groups = await listGroups(db, user.practiceId);
  const group = groups.find((g) => g.id === q.groupId);
  const query = `from=${from}&to=${to}${q.groupId ? `&groupId=${q.groupId}` : ''}`;
  const sw = r.wellbeing.swemwbs;
  const ons = r.wellbeing.ons4;
  const gp = r.gpAppointments;
  return c.html(
    <Layout title={`Impact: ${user.practiceName}`} user={user} csrf={c.var.csrf}>
      <div class="impact">
        <p>
          <strong>
            {ukDate(from)} to {ukDate(to)}
          </strong>
          {group ? `, ${group.name}` : ', all groups'}.
        </p>
        <form novalidate method="get" action="/reports/impact" class="row no-print">
          <DateInput name="from" legend="From" hint="For example, 1 4 2026" value={from} />
          <DateInput name="to" legend="To" hint="For example, 31 3 2027" value={to} />
          <label for="groupId">Group</label>
          <select id="groupId" name="groupId">
            <option value="">All groups</option>
            {groups.map((g) => (
              <option value={String(g.id)} selected={g.id === q.groupId}>
                {g.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Show
          </button>
          <a href={`/api/v1/reports/impact.csv?${query}`}>Download CSV</a>
          <button type="button" class="secondary" onclick="window.print()">
            Print
          </button>
        </form>
        <section>
          <h2>Who was reached</h2>
          <dl class="summary">
            <Figure label="Referred" value={String(r.funnel.referred)} />
            <Figure label="Given a place" value={String(r.funnel.enrolled)} />
            <Figure label="Came at least once" value={String(r.funnel.attendedOnce)} />
            <Figure label="Came 3 or more times" value={String(r.funnel.attendedThreePlus)} />
          </dl>
          <p class="method">{r.funnel.method}</p>
        </section>
        <section>
          <h2>How much they took part</h2>
          <dl class="summary">
            <Figure label="Sessions held" value={String(r.attendance.sessionsHeld)} />
            <Figure label="Attendance rate" value={pct(r.attendance.rate)} note={`(${r.attendance.attended} present or late, ${r.attendance.absent} absent)`} />
            <Figure label="Apologies" value={String(r.attendance.apologies)} note="(kept out of the rate)" />
            <Figure
              label="Still coming after 4 weeks"
              value={pct(r.retention.weeks4.rate)}
              note={`(${r.retention.weeks4.retained} of ${r.retention.weeks4.eligible})`}
            />
            <Figure
              label="Still coming after 12 weeks"
              value={pct(r.retention.weeks12.rate)}
              note={`(${r.retention.weeks12.retained} of ${r.retention.weeks12.eligible})`}
            />
          </dl>
          <p class="method">{r.attendance.method}</p>
          <p class="method">{r.retention.method}</p>
        </section>
        <section>
          <h2>What changed</h2>
          <dl class="summary">
            <Figure
              label="Wellbeing (SWEMWBS)"
              value={`${sw.n} people`}
              note={sw.n ? `mean ${num(sw.meanBaseline)} → ${num(sw.meanFollowUp)} (${num(sw.meanChange)})` : ''}
            />
            <Figure label="Improved meaningfully" value={pct(sw.improvedMeaningfully)} />
            <Figure
              label="ONS4"
              value={`${ons.n} people`}
              note={
                ons.n
                  ? `mean change: life satisfaction ${num(ons.meanChange.lifeSatisfaction)}, worthwhile ${num(ons.meanChange.worthwhile)}, happiness ${num(ons.meanChange.happiness)}, anxiety ${num(ons.meanChange.anxiety)}`
                  : ''
              }
            />
            <Figure
              label="GP appointments"
              value={`${gp.n} people`}
              note={
                gp.n ? `${gp.totalBefore} in the year before → ${gp.totalAfterAnnualised} a year after; median change ${num(gp.medianChange)} per person` : ''
              }
            />
          </dl>
          <p class="method">{sw.method}</p>
          <p class="method">{gp.method}</p>
        </section>
        <section>
          <h2>Groups below {Math.round(r.belowThreshold.threshold * 100)}% attendance</h2>
          {r.belowThreshold.groups.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul>
              {r.belowThreshold.groups.map((g) => (
                <li>
                  {g.name}: {pct(g.rate)}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </Layout>,
  );
});
