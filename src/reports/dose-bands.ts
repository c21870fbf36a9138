import { sql } from 'kysely';
import type { Db } from '../db/schema.js';
import { round } from '../lib/numbers.js';
import { addDays, localDate, startOfLocalDate } from '../lib/time.js';
import { FOLLOW_UP_EARLIEST_DAYS } from '../outcomes/outcomes-service.js';
import { ONS4_ITEMS } from '../outcomes/wellbeing-scores.js';
import { ci95, mean, MIN_PEOPLE } from './statistics.js';
import { GP_MIN_AFTER_DAYS } from './figures.js';

/** Sessions attended (present or late) in the report's groups and period; "0" is given a place and never came. */
export const DOSE_BANDS = ['0', '1', '2', '3-5', '6+'] as const;
export type DoseBand = (typeof DOSE_BANDS)[number];
export const bandOf = (sessions: number): DoseBand => (sessions === 0 ? '0' : sessions === 1 ? '1' : sessions === 2 ? '2' : sessions <= 5 ? '3-5' : '6+');

/** One person given a place, with what the report pairs for them. */
export interface PersonDose {
  /** A keyed hash of their CHI number, for a programme to count someone in two practices once; never the number. */
  key?: string;
  sessions: number;
  /** SWEMWBS metric scores: the first taken, and the latest at least 8 weeks on. */
  swemwbs: { baseline: number; followUp: number } | null;
  ons4: { baseline: number[]; followUp: number[] } | null;
  /** ONS4's happiness question on its own (asked by text, or on a form): the first answer and the latest at least 8 weeks on. */
  happiness: { baseline: number; followUp: number } | null;
  /** GP appointments in the year before they were given a place, and in the year from it (annualised). */
  gp: { before: number; after: number } | null;
}

export interface DosePractice {
  id: number;
  timezone: string;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;

/**
 * Everyone given a place in the period's groups (enrolled at some point of the period), with the
 * sessions they attended there in the period and their paired measures. One practice at a time,
 * with its own bounds as parameters: a programme's report grows with its practices, no faster.
 */
export async function peopleByDose(
  db: Db,
  practice: DosePractice,
  now: number,
  range: { from: string; to: string; groupId?: number },
  keyOf?: (chi: string) => Promise<string>,
): Promise<PersonDose[]> {
  const start = startOfLocalDate(range.from, practice.timezone);
  const end = startOfLocalDate(addDays(range.to, 1), practice.timezone);
  const held = Math.min(end, now);
  const heldDate = localDate(held - 1, practice.timezone);
  const g = range.groupId;
  const placedIn = g === undefined ? sql`` : sql`AND e.group_id = ${g}`;
  const attendedIn = g === undefined ? sql`` : sql`AND s.group_id = ${g}`;
  const people = (
    await sql<{ participant_id: number; given_at: number; chi_number: string | null; sessions: number }>`
      WITH placed AS (
        SELECT e.participant_id, min(e.enrolled_at) AS given_at FROM enrolments e
        WHERE e.practice_id = ${practice.id} AND e.enrolled_at IS NOT NULL AND e.enrolled_at < ${end}
          AND (e.withdrawn_at IS NULL OR e.withdrawn_at >= ${start}) ${placedIn}
        GROUP BY e.participant_id),
      -- Counted once for the practice's held sessions, not person by person: each mark is visited once.
      came AS MATERIALIZED (
        SELECT a.participant_id, count(*) AS n FROM sessions s JOIN attendance a ON a.session_id = s.id
        WHERE s.practice_id = ${practice.id} AND s.status = 'scheduled' AND s.starts_at >= ${start} AND s.starts_at < ${held} ${attendedIn}
          AND a.status IN ('present', 'late')
        GROUP BY a.participant_id)
      SELECT placed.participant_id, placed.given_at, p.chi_number, coalesce(came.n, 0) AS sessions
      FROM placed JOIN participants p ON p.id = placed.participant_id LEFT JOIN came ON came.participant_id = placed.participant_id`.execute(db)
  ).rows;
  if (people.length === 0) return [];
  const ids = JSON.stringify(people.map((p) => p.participant_id));
  const pairs = async (measure: 'swemwbs' | 'ons4' | 'happiness', value: ReturnType<typeof sql>) =>
    new Map(
      (
        await sql<{ participant_id: number; baseline: unknown; follow_up: unknown }>`
          WITH base AS (SELECT participant_id, min(taken_on) AS taken_on FROM outcomes
                        WHERE practice_id = ${practice.id} AND measure = ${measure} AND taken_on <= ${heldDate}
                          AND participant_id IN (SELECT value FROM json_each(${ids}))
                        GROUP BY participant_id)
          SELECT base.participant_id,
            (SELECT ${value} FROM outcomes o WHERE o.participant_id = base.participant_id AND o.measure = ${measure} AND o.taken_on = base.taken_on ORDER BY o.id LIMIT 1) AS baseline,
            (SELECT ${value} FROM outcomes o WHERE o.participant_id = base.participant_id AND o.measure = ${measure}
               AND o.taken_on >= date(base.taken_on, ${`+${FOLLOW_UP_EARLIEST_DAYS} days`}) AND o.taken_on <= ${heldDate}
               ORDER BY o.taken_on DESC, o.id DESC LIMIT 1) AS follow_up
          FROM base`.execute(db)
      ).rows
        .filter((r) => r.follow_up !== null && r.baseline !== null)
        .map((r) => [Number(r.participant_id), r] as const),
    );
  const swemwbs = await pairs('swemwbs', sql`o.metric_score`);
  const ons4 = await pairs('ons4', sql`o.answers`);
  const happiness = await pairs('happiness', sql`o.raw_score`);
  const gp = await gpYears(db, practice, people, dayNumber(heldDate));
  const keys = keyOf ? await Promise.all(people.map((p) => (p.chi_number ? keyOf(p.chi_number) : undefined))) : [];
  return people.map((p, i) => {
    const sw = swemwbs.get(p.participant_id);
    const on = ons4.get(p.participant_id);
    const hp = happiness.get(p.participant_id);
    return {
      ...(keys[i] ? { key: keys[i] } : {}),
      sessions: Number(p.sessions),
      swemwbs: sw ? { baseline: Number(sw.baseline), followUp: Number(sw.follow_up) } : null,
      ons4: on ? { baseline: JSON.parse(String(on.baseline)) as number[], followUp: JSON.parse(String(on.follow_up)) as number[] } : null,
      happiness: hp ? { baseline: Number(hp.baseline), followUp: Number(hp.follow_up) } : null,
      gp: gp.get(p.participant_id) ?? null,
    };
  });
}

/**
 * GP appointments a year before someone was given a place, and from it to the end of the data (at
 * least GP_MIN_AFTER_DAYS), scaled to a year. The practice's export gives counts over periods: a
 * period that straddles the day they were given a place is shared out by days.
 */
async function gpYears(
  db: Db,
  practice: DosePractice,
  people: { participant_id: number; given_at: number; chi_number: string | null }[],
  heldDay: number,
): Promise<Map<number, { before: number; after: number }>> {
  const withChi = people.filter((p) => p.chi_number);
  const out = new Map<number, { before: number; after: number }>();
  if (withChi.length === 0) return out;
  const rows = await db
    .selectFrom('gp_appointments')
    .select(['chi_number', 'from_day', 'to_day', 'appointments'])
    .where('practice_id', '=', practice.id)
    .where('chi_number', 'in', sql<string>`(SELECT value FROM json_each(${JSON.stringify(withChi.map((p) => p.chi_number))}))`)
    .execute();
  const byChi = new Map<string, typeof rows>();
  for (const r of rows) byChi.set(r.chi_number, [...(byChi.get(r.chi_number) ?? []), r]);
  for (const p of withChi) {
    const data = byChi.get(p.chi_number!) ?? [];
    if (data.length === 0) continue;
    const f = dayNumber(localDate(p.given_at, practice.timezone));
    const share = (from: number, to: number) =>
      data.reduce((n, r) => n + (r.appointments * Math.max(0, Math.min(r.to_day, to) - Math.max(r.from_day, from) + 1)) / (r.to_day - r.from_day + 1), 0);
    const lastDay = Math.min(Math.max(...data.map((r) => r.to_day)), heldDay, f + 364);
    const afterDays = lastDay - f + 1;
    const hasBefore = data.some((r) => r.to_day >= f - 365 && r.from_day <= f - 1);
    if (!hasBefore || afterDays < GP_MIN_AFTER_DAYS) continue;
    out.set(p.participant_id, { before: share(f - 365, f - 1), after: (share(f, lastDay) * 365) / afterDays });
  }
  return out;
}

/**
 * Everyone once across practices: people with the same keyed CHI are one person, their sessions
 * added and their first pair of each measure kept. People without a CHI cannot be matched and
 * count once in each practice.
 */
export function onceAcrossPractices(people: PersonDose[]): PersonDose[] {
  const byKey = new Map<string, PersonDose>();
  const out: PersonDose[] = [];
  for (const p of people) {
    const seen = p.key ? byKey.get(p.key) : undefined;
    if (!seen) {
      const copy = { ...p };
      out.push(copy);
      if (p.key) byKey.set(p.key, copy);
      continue;
    }
    seen.sessions += p.sessions;
    seen.swemwbs ??= p.swemwbs;
    seen.ons4 ??= p.ons4;
    seen.happiness ??= p.happiness;
    seen.gp ??= p.gp;
  }
  return out;
}

/** A keyed hash made for one report and forgotten after it: matches CHI numbers without keeping them or letting them be guessed back. */
export async function oneReportKey(): Promise<(chi: string) => Promise<string>> {
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const enc = new TextEncoder();
  return async (chi) => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(chi)));
    return Array.from(mac.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join('');
  };
}

export interface BandFigures {
  band: DoseBand;
  people: number;
  swemwbs: { n: number; baseline: number | null; change: number | null; ci95: [number, number] | null };
  ons4: { n: number; change: Record<(typeof ONS4_ITEMS)[number], number | null> };
  happiness: { n: number; baseline: number | null; change: number | null; ci95: [number, number] | null };
  gpAppointments: { n: number; before: number | null; after: number | null; change: number | null; ci95: [number, number] | null };
}

const r2 = (x: number) => round(x, 2);
const meanOver = (xs: number[]) => (xs.length >= MIN_PEOPLE ? r2(mean(xs)) : null);
const interval = (xs: number[]) => {
  const ci = ci95(xs);
  return ci ? ([r2(ci[0]), r2(ci[1])] as [number, number]) : null;
};

/**
 * Each dose band's figures from the people in it: paired measures only, and a mean or interval only
 * over MIN_PEOPLE or more (null otherwise). Pooled from people, so a programme's bands are the same
 * sums over every practice's people, never an average of practice averages.
 */
export function bandFigures(people: PersonDose[]): BandFigures[] {
  return DOSE_BANDS.map((band) => {
    const inBand = people.filter((p) => bandOf(p.sessions) === band);
    const sw = inBand.flatMap((p) => (p.swemwbs ? [p.swemwbs] : []));
    const on = inBand.flatMap((p) => (p.ons4 ? [p.ons4] : []));
    const gp = inBand.flatMap((p) => (p.gp ? [p.gp] : []));
    const hp = inBand.flatMap((p) => (p.happiness ? [p.happiness] : []));
    const hpChange = hp.map((x) => x.followUp - x.baseline);
    const swChange = sw.map((x) => x.followUp - x.baseline);
    const gpChange = gp.map((x) => x.after - x.before);
    return {
      band,
      people: inBand.length,
      swemwbs: { n: sw.length, baseline: meanOver(sw.map((x) => x.baseline)), change: meanOver(swChange), ci95: interval(swChange) },
      ons4: {
        n: on.length,
        change: Object.fromEntries(
          ONS4_ITEMS.map((item, i) => [item, meanOver(on.map((x) => x.followUp[i]! - x.baseline[i]!))]),
        ) as BandFigures['ons4']['change'],
      },
      happiness: { n: hp.length, baseline: meanOver(hp.map((x) => x.baseline)), change: meanOver(hpChange), ci95: interval(hpChange) },
      gpAppointments: {
        n: gp.length,
        before: meanOver(gp.map((x) => x.before)),
        after: meanOver(gp.map((x) => x.after)),
        change: meanOver(gpChange),
        ci95: interval(gpChange),
      },
    };
  });
}
