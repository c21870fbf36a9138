import { sql } from 'kysely';
import { periodBounds } from '../period-bounds.js';
import type { Db } from '../../db/schema.js';
import { invalid } from '../../lib/errors.js';
import { round } from '../../lib/numbers.js';
import { ONS4_ITEMS } from '../../outcomes/wellbeing-scores.js';
import { type ImpactRange, type ImpactPractice, type ImpactSections } from './impact-report.js';
import { gpChanges } from './gp-changes.js';
import { emptyFunnel, referralFunnels } from '../../referrals/referral-funnel.js';
import { median, shownMean } from '../statistics.js';
import { GP_MIN_AFTER_DAYS } from '../figures.js';
import { SWEMWBS_MEANINGFUL_CHANGE } from '../../outcomes/wellbeing-scores.js';
import { funnelCounts, groupFigures, retentionCounts, wellbeingPairs, type GroupFigures, type ImpactScope } from './impact-queries.js';

/** What each figure counts, in words printed with it. */
export const METHODS = {
  funnel:
    'Counts people, each once: those referred to a group (an enrolment requested) in the period; of them, those given a place, and those marked present or late at least once, and at least three times, to date.',
  attendance:
    'Counts places (one person at one session), not people: present or late, over everyone marked present, late or absent at sessions held in the period. Apologies are counted apart and kept out of the rate; the unnamed headcount is not in it either.',
  retention:
    'Counts people, each once: of those whose first session in a group fell in the period at least 4 (or 12) weeks before its end, the share marked present or late at a session of that group 4 (or 12) weeks or more after their first (in any of their groups, for someone who began more than one).',
  swemwbs: `People whose first SWEMWBS (the baseline) was taken in the period and who have a later one at least 8 weeks on (the follow-up: the latest). Scores are metric scores from the published conversion table; a meaningful improvement is a rise of ${SWEMWBS_MEANINGFUL_CHANGE} or more.`,
  ons4: 'The same pairing for ONS4: the mean change in each answer (0-10). For anxiety a fall is an improvement.',
  gp: `People whose first session fell in the period, who came to 3 or more sessions and whose CHI number matches the practice's appointment export: appointments in the 12 months before their first session, against those from it to the end of the data (at least ${GP_MIN_AFTER_DAYS} days), scaled to a year. A period that straddles a boundary is shared out by days.`,
};

/**
 * What changed for people, for funders: who was reached (the funnel), how much they took part
 * (attendance, retention), and what changed (wellbeing, GP appointments), each figure with the
 * line that says how it was computed. Worked out for any number of practices at once, each
 * section one grouped query over trigger-kept summaries, so the programme's report over years of
 * registers costs a handful of queries, not one report per practice.
 */
export async function impactFigures(db: Db, practices: ImpactPractice[], now: number, range: ImpactRange) {
  if (range.to < range.from) throw invalid('"to" must not be before "from"');
  const out = new Map<number, ImpactSections>();
  if (practices.length === 0) return out;
  const { bounds, b } = periodBounds(practices, range, now);
  const g = range.groupId;
  const scope: ImpactScope = {
    b,
    groupOnly: g === undefined ? sql`` : sql`AND g.id = ${g}`,
    paGroup: g === undefined ? sql`` : sql`AND pa.group_id = ${g}`,
    enrolGroup: g === undefined ? sql`` : sql`AND e.group_id = ${g}`,
    outcomeGroup: g === undefined ? sql`` : sql`AND o.participant_id IN (SELECT participant_id FROM enrolments WHERE group_id = ${g})`,
  };
  const read: Read = {
    funnel: await funnelCounts(db, scope),
    groups: await groupFigures(db, scope),
    retention: await retentionCounts(db, scope),
    ...(await wellbeingPairs(db, scope, range)),
    gp: await gpChanges(db, scope.b, practices, bounds, range, scope.paGroup),
    referrals: await referralFunnels(db, scope.b, g),
  };
  for (const p of practices) out.set(p.id, sectionsOf(p, read, range));
  return out;
}

interface Read {
  funnel: Awaited<ReturnType<typeof funnelCounts>>;
  groups: GroupFigures[];
  retention: Awaited<ReturnType<typeof retentionCounts>>;
  swemwbs: Awaited<ReturnType<typeof wellbeingPairs>>['swemwbs'];
  ons4: Awaited<ReturnType<typeof wellbeingPairs>>['ons4'];
  gp: Awaited<ReturnType<typeof gpChanges>>;
  referrals: Awaited<ReturnType<typeof referralFunnels>>;
}

/** One practice's sections from what was read for all of them. */
function sectionsOf(p: ImpactPractice, read: Read, range: ImpactRange): ImpactSections {
  const mine = read.groups.filter((x) => Number(x.practice_id) === p.id);
  const m = { sessions: 0, present: 0, late: 0, absent: 0, apologies: 0, headcount: 0 };
  for (const x of mine) for (const k of ['sessions', 'present', 'late', 'absent', 'apologies', 'headcount'] as const) m[k] += Number(x[k]);
  const f = read.funnel.get(p.id);
  const r = read.retention.get(p.id);
  const attended = m.present + m.late;
  const marked = attended + m.absent;
  const rate = (kept: number, eligible: number) => ({ eligible, retained: kept, rate: eligible ? round(kept / eligible) : null });
  return {
    period: { from: range.from, to: range.to },
    groupId: range.groupId ?? null,
    funnel: {
      referred: Number(f?.referred ?? 0),
      enrolled: Number(f?.enrolled ?? 0),
      attendedOnce: Number(f?.once ?? 0),
      attendedThreePlus: Number(f?.three ?? 0),
      method: METHODS.funnel,
    },
    referrals: read.referrals.get(p.id) ?? emptyFunnel(),
    attendance: {
      sessionsHeld: m.sessions,
      attended,
      absent: m.absent,
      apologies: m.apologies,
      unnamedHeadcount: m.headcount,
      rate: marked > 0 ? round(attended / marked) : null,
      method: METHODS.attendance,
    },
    retention: { weeks4: rate(Number(r?.r4 ?? 0), Number(r?.e4 ?? 0)), weeks12: rate(Number(r?.r12 ?? 0), Number(r?.e12 ?? 0)), method: METHODS.retention },
    wellbeing: wellbeingOf(read.swemwbs.get(p.id), read.ons4.get(p.id) ?? []),
    gpAppointments: gpOf(read.gp.get(p.id) ?? []),
    belowThreshold: belowThreshold(mine, Number(p.attendance_threshold)),
  };
}

function wellbeingOf(
  sw: { n: number; base: number; follow: number; change: number; improved: number } | undefined,
  on: { base: number[]; follow: number[] }[],
) {
  const swN = Number(sw?.n ?? 0);
  return {
    swemwbs: {
      n: swN,
      meanBaseline: swN ? round(Number(sw!.base)) : null,
      meanFollowUp: swN ? round(Number(sw!.follow)) : null,
      meanChange: swN ? round(Number(sw!.change)) : null,
      improvedMeaningfully: swN ? round(Number(sw!.improved) / swN) : null,
      method: METHODS.swemwbs,
    },
    ons4: {
      n: on.length,
      meanChange: Object.fromEntries(ONS4_ITEMS.map((item, i) => [item, shownMean(on.map((x) => x.follow[i]! - x.base[i]!))])) as Record<
        (typeof ONS4_ITEMS)[number],
        number | null
      >,
      method: METHODS.ons4,
    },
  };
}

function gpOf(people: { before: number; after: number }[]) {
  return {
    n: people.length,
    totalBefore: round(
      people.reduce((n, x) => n + x.before, 0),
      1,
    ),
    totalAfterAnnualised: round(
      people.reduce((n, x) => n + x.after, 0),
      1,
    ),
    medianChange: median(people.map((x) => x.after - x.before)),
    method: METHODS.gp,
  };
}

function belowThreshold(groups: GroupFigures[], threshold: number) {
  return {
    threshold,
    groups: groups
      .map((x) => ({
        groupId: x.group_id,
        name: x.name,
        came: Number(x.present) + Number(x.late),
        marked: Number(x.present) + Number(x.late) + Number(x.absent),
      }))
      .filter((x) => x.marked > 0 && x.came / x.marked < threshold)
      .sort((x, y) => x.name.localeCompare(y.name))
      .map((x) => ({ groupId: x.groupId, name: x.name, rate: round(x.came / x.marked) })),
    method: `Groups whose attendance rate (as above) in the period is below ${Math.round(threshold * 100)}%, the practice's threshold.`,
  };
}
