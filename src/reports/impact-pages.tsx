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
import { protectedImpact, type ShownImpactReport } from './disclosure/protected-impact.js';
import type { Shown } from './disclosure/disclosure-table.js';
import { DateTime } from 'luxon';
import { ReflowTable } from '../web/reflow-table.js';
import { SummaryList, type SummaryRow } from '../web/summary-list.js';

const Query = z.object({
  from: LocalDate.optional().or(z.literal('').transform(() => undefined)),
  to: LocalDate.optional().or(z.literal('').transform(() => undefined)),
  groupId: Id.optional().or(z.literal('').transform(() => undefined)),
});

const pct = (n: Shown | null) => (typeof n === 'number' ? `${Math.round(n * 100)}%` : '–');
const num = (n: Shown | null | undefined) => (n === null || n === undefined ? '–' : String(n));
const asNumber = (n: Shown | null) => (typeof n === 'number' ? n : null);
type Band = ShownImpactReport['byDose'][number];

/** A figure as a summary row: the number, then what it is of, quieter. */
function figure(label: string, value: string, note?: string): SummaryRow {
  return [
    label,
    <>
      {value}
      {note && <span class="muted"> {note}</span>}
    </>,
  ];
}

/** Change by dose band with its 95% interval, as an SVG any browser or printer draws without JavaScript. */
function DoseChart(p: { bands: Band[]; pick: (b: Band) => { change: Shown | null; ci95: [Shown, Shown] | null }; title: string }) {
  const shown = p.bands.map((b) => {
    const x = p.pick(b);
    const ci = x.ci95 && typeof x.ci95[0] === 'number' && typeof x.ci95[1] === 'number' ? ([x.ci95[0], x.ci95[1]] as [number, number]) : null;
    return { band: b.band, change: asNumber(x.change), ci95: ci };
  });
  const values = shown.flatMap((b) => (b.ci95 ? b.ci95 : b.change !== null ? [b.change] : []));
  const top = Math.max(1, ...values.map((v) => Math.abs(v)));
  const w = 64;
  const h = 110;
  const mid = h / 2 + 6;
  const y = (v: number) => mid - (v / top) * (h / 2 - 8);
  const label = shown
    .map((b) => `${b.band}: ${b.change === null ? 'too few to show' : `${b.change}${b.ci95 ? ` (${b.ci95[0]} to ${b.ci95[1]})` : ''}`}`)
    .join('; ');
  // An empty frame says nothing, on screen or on paper: with no band to draw, a sentence instead.
  if (shown.every((b) => b.change === null)) return <p class="muted chart-empty">{p.title}: no band has enough pairs of measures to draw yet.</p>;
  const description = `Each point is a band's mean change and its line the 95% interval; bands with too few people show a dash. ${label}.`;
  const svg = (
    <svg role="img" aria-labelledby="dose-chart-title dose-chart-desc" viewBox={`0 0 ${shown.length * w + 40} ${h + 34}`} width="100%" class="chart">
      <title id="dose-chart-title">{`${p.title}, by sessions attended`}</title>
      <desc id="dose-chart-desc">{description}</desc>
      <line x1="36" x2={shown.length * w + 36} y1={mid} y2={mid} stroke="#444" stroke-width="1" />
      <text x="2" y={y(top) + 4}>
        +{Number(top.toFixed(1))}
      </text>
      <text x="2" y={mid + 4}>
        0
      </text>
      {shown.map((b, i) => {
        const x = 36 + i * w + w / 2;
        return (
          <g>
            {b.ci95 && <line x1={x} x2={x} y1={y(b.ci95[1])} y2={y(b.ci95[0])} stroke="#0b3d91" stroke-width="2" />}
            {b.ci95 && <line x1={x - 8} x2={x + 8} y1={y(b.ci95[1])} y2={y(b.ci95[1])} stroke="#0b3d91" stroke-width="2" />}
            {b.ci95 && <line x1={x - 8} x2={x + 8} y1={y(b.ci95[0])} y2={y(b.ci95[0])} stroke="#0b3d91" stroke-width="2" />}
            {b.change !== null ? (
              <circle cx={x} cy={y(b.change)} r="5" fill="#0b3d91" />
            ) : (
              <text x={x - 10} y={mid - 6}>
                –
              </text>
            )}
            <text x={x - 12} y={h + 28}>
              {b.band}
            </text>
          </g>
        );
      })}
    </svg>
  );
  return (
    <figure class="chart-figure">
      <figcaption>
        <strong>{p.title}, by sessions attended</strong>
        <span class="muted"> — each point is a band's mean change, its line the 95% interval; a dash where too few people to show.</span>
      </figcaption>
      {svg}
    </figure>
  );
}

const withCi = (change: Shown | null, ci95: [Shown, Shown] | null) =>
  typeof change !== 'number' ? '–' : `${change > 0 ? '+' : ''}${change}${ci95 ? ` (${ci95[0]} to ${ci95[1]})` : ''}`;

/**
 * The impact report as a page to read and to print on one A4 sheet for a funder: the figures as
 * they may leave the practice (small counts hidden, and what would give them back), since a
 * printed page leaves it; the JSON keeps the exact figures for the practice's own use.
 */
export const impactPages = new Hono<WebEnv>().get('/reports/impact', pageRoles('admin', 'clp'), async (c) => {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const asked = c.req.query();
  const q = parseOrThrow(Query, { ...asked, from: readDateField(asked, 'from'), to: readDateField(asked, 'to') });
  const to = q.to ?? localDate(now, user.timezone);
  const from = q.from ?? addDays(to, -364);
  const r = protectedImpact(await impactReport(db, user, now, { from, to, groupId: q.groupId }));
  const groups = await listGroups(db, user.practiceId);
  const query = `from=${from}&to=${to}${q.groupId ? `&groupId=${q.groupId}` : ''}`;
  const sw = r.wellbeing.swemwbs;
  const ons = r.wellbeing.ons4;
  const gp = r.gpAppointments;
  const produced = DateTime.fromISO(r.producedAt, { setZone: true }).setLocale('en-GB').toFormat("d LLL yyyy 'at' HH:mm");
  return c.html(
    <Layout title={`Impact: ${r.practice.name}${r.practice.code ? ` (${r.practice.code})` : ''}`} user={user} csrf={c.var.csrf}>
      <div class="impact">
        <p>
          <strong>
            {ukDate(from)} to {ukDate(to)}
          </strong>
          {q.groupId ? '. Group: ' : '. Groups: '}
          {r.groups.length ? r.groups.map((g) => g.name).join(', ') : 'none with sessions in the period'}. Produced {produced} by {user.name}.
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
          <button type="button" class="secondary" data-print="">
            Print
          </button>
        </form>
        <div class="two-up">
          <section>
            <h2>Who was reached (people)</h2>
            <SummaryList
              rows={[
                figure('Referred', `${r.funnel.referred} people`),
                figure('Given a place', `${r.funnel.enrolled} people`),
                figure('Came at least once', `${r.funnel.attendedOnce} people`),
                figure('Came 3 or more times', `${r.funnel.attendedThreePlus} people`),
                figure(
                  'Referrals',
                  `${r.referrals.received} received`,
                  `(${r.referrals.accepted} accepted, ${r.referrals.attended} came, ${r.referrals.declined} declined)`,
                ),
              ]}
            />
          </section>
          <section>
            <h2>How much they took part</h2>
            <SummaryList
              rows={[
                figure('Sessions held', String(r.attendance.sessionsHeld)),
                figure('Attendance rate (places)', pct(r.attendance.rate), `(${r.attendance.attended} places present or late, ${r.attendance.absent} absent)`),
                figure('Apologies (places)', String(r.attendance.apologies), '(kept out of the rate)'),
                figure('Still coming after 4 weeks', pct(r.retention.weeks4.rate), `(${r.retention.weeks4.retained} of ${r.retention.weeks4.eligible} people)`),
                figure(
                  'Still coming after 12 weeks',
                  pct(r.retention.weeks12.rate),
                  `(${r.retention.weeks12.retained} of ${r.retention.weeks12.eligible} people)`,
                ),
              ]}
            />
          </section>
        </div>
        <section>
          <h2>What changed, by sessions attended</h2>
          <ReflowTable
            class="dose"
            caption="What changed for people in each band of sessions attended: wellbeing (SWEMWBS) and GP appointments"
            rows={r.byDose}
            columns={[
              { heading: 'Sessions attended', cell: (b) => (b.band === '0' ? '0 (given a place, never came)' : b.band) },
              { heading: 'People', cell: (b) => b.people },
              {
                heading: 'SWEMWBS change (95% interval)',
                cell: (b) => (
                  <>
                    {withCi(b.swemwbs.change, b.swemwbs.ci95)} <span class="muted">{b.swemwbs.n === 1 ? '1 pair' : `${b.swemwbs.n} pairs`}</span>
                  </>
                ),
              },
              ...(r.byDose.some((b) => b.happiness.n !== 0)
                ? [
                    {
                      heading: 'Happiness by text, 0-10 (95% interval)',
                      cell: (b: Band) => (
                        <>
                          {withCi(b.happiness.change, b.happiness.ci95)} <span class="muted">{b.happiness.n === 1 ? '1 pair' : `${b.happiness.n} pairs`}</span>
                        </>
                      ),
                    },
                  ]
                : []),
              {
                heading: 'GP appointments a year: before → after',
                cell: (b) => (
                  <>
                    {b.gpAppointments.before === null ? '–' : `${b.gpAppointments.before} → ${b.gpAppointments.after}`}{' '}
                    {b.gpAppointments.change !== null && `(${withCi(b.gpAppointments.change, b.gpAppointments.ci95)})`}{' '}
                    <span class="muted">{b.gpAppointments.n === 1 ? '1 person' : `${b.gpAppointments.n} people`}</span>
                  </>
                ),
              },
            ]}
          />
          <DoseChart bands={r.byDose} pick={(b) => b.swemwbs} title="Mean change in SWEMWBS with its 95% interval" />
          <SummaryList
            rows={[
              figure(
                'All with SWEMWBS pairs',
                `${sw.n} people`,
                sw.n
                  ? `mean ${num(sw.meanBaseline)} → ${num(sw.meanFollowUp)} (${num(sw.meanChange)}); improved meaningfully ${pct(sw.improvedMeaningfully)}`
                  : '',
              ),
              figure(
                'ONS4',
                `${ons.n} people`,
                ons.n
                  ? `mean change: life satisfaction ${num(ons.meanChange.lifeSatisfaction)}, worthwhile ${num(ons.meanChange.worthwhile)}, happiness ${num(ons.meanChange.happiness)}, anxiety ${num(ons.meanChange.anxiety)}`
                  : '',
              ),
              figure(
                'GP, came 3+ times',
                `${gp.n} people`,
                gp.n ? `${num(gp.totalBefore)} → ${num(gp.totalAfterAnnualised)} a year; median change ${num(gp.medianChange)}` : '',
              ),
            ]}
          />
        </section>
        {r.belowThreshold.groups.length > 0 && (
          <section>
            <h2>Groups below {Math.round(Number(r.belowThreshold.threshold) * 100)}% attendance</h2>
            <ul class="inline-list">
              {r.belowThreshold.groups.map((g) => (
                <li>
                  {g.name}: {pct(g.rate)}
                </li>
              ))}
            </ul>
          </section>
        )}
        <section>
          <h2>What this counts, and what it cannot show</h2>
          {r.method.map((line) => (
            <p class="method">{line}</p>
          ))}
          <details class="methods">
            <summary>How each figure is computed</summary>
            {[r.funnel.method, r.attendance.method, r.retention.method, sw.method, ons.method, gp.method].map((line) => (
              <p class="method">{line}</p>
            ))}
          </details>
        </section>
      </div>
    </Layout>,
  );
});
