import { ReflowTable } from '../../web/components/reflow-table.js';
import { SummaryList, type SummaryRow } from '../../web/components/summary-list.js';
import type { Shown } from '../disclosure/disclosure-table.js';
import type { ShownImpactReport } from './protected-impact.js';
import { DoseChart } from './dose-chart.js';

/** The impact report's parts as a page shows and prints them, from the figures as they may leave the practice. */
type Report = ShownImpactReport;
type Band = Report['byDose'][number];

export const pct = (n: Shown | null) => (typeof n === 'number' ? `${Math.round(n * 100)}%` : '–');
const num = (n: Shown | null | undefined) => (n === null || n === undefined ? '–' : String(n));

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

const withCi = (change: Shown | null, ci95: [Shown, Shown] | null) =>
  typeof change !== 'number' ? '–' : `${change > 0 ? '+' : ''}${change}${ci95 ? ` (${ci95[0]} to ${ci95[1]})` : ''}`;

/** Who was reached, and how much they took part: side by side on a desk and on paper. */
export function ReachAndPart({ r }: { r: Report }) {
  return (
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
            figure('Still coming after 12 weeks', pct(r.retention.weeks12.rate), `(${r.retention.weeks12.retained} of ${r.retention.weeks12.eligible} people)`),
          ]}
        />
      </section>
    </div>
  );
}

/** What changed, by sessions attended: the dose table, its chart, and everyone with pairs. */
export function WhatChanged({ r }: { r: Report }) {
  const sw = r.wellbeing.swemwbs;
  const ons = r.wellbeing.ons4;
  const gp = r.gpAppointments;
  return (
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
            sw.n ? `mean ${num(sw.meanBaseline)} → ${num(sw.meanFollowUp)} (${num(sw.meanChange)}); improved meaningfully ${pct(sw.improvedMeaningfully)}` : '',
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
  );
}

/** Groups under the threshold, and what the report counts and cannot show: printed with it. */
export function Limits({ r }: { r: Report }) {
  const perFigure = [r.funnel, r.attendance, r.retention, r.wellbeing.swemwbs, r.wellbeing.ons4, r.gpAppointments].map((x) => x.method);
  return (
    <>
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
          {perFigure.map((line) => (
            <p class="method">{line}</p>
          ))}
        </details>
      </section>
    </>
  );
}
