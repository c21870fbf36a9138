import { sql } from 'kysely';
import { jsonIds } from '../../db/json-table.js';
import type { Db } from '../../db/schema.js';
import { AFTER_WRITE_QUERIES, canQuery, queryBudget, type Allowance } from '../../db/query-budget.js';
import { turn, yielder } from '../../lib/yielder.js';
import { addPerson, noBandSums, packBandSums, type PersonDose } from '../impact/dose-bands.js';
import type { CellCounts } from '../impact/impact-cells.js';
import { peopleByDoseIn } from '../impact/dose-people.js';
import { impactFigures } from '../impact/impact-figures.js';
import type { ImpactSections } from '../impact/impact-report.js';
import { periodBounds } from '../period-bounds.js';
import { bySets } from './by-sets.js';
import { stillTrue, trueUntil } from './running-figures.js';

export interface FiguresPractice {
  id: number;
  timezone: string;
  attendance_threshold: number;
  /** As read before the figures are worked out: figures kept under it are thrown away if anything changed meanwhile. */
  figures_version: number;
}

/** What the programme's row shows of a practice's report (its sections without their words). */
export interface ProgrammeSections extends CellCounts {
  attendance: Pick<ImpactSections['attendance'], 'sessionsHeld' | 'attended' | 'absent' | 'apologies' | 'rate'>;
  retention: { weeks4: { eligible: number; rate: number | null }; weeks12: { eligible: number; rate: number | null } };
  wellbeing: { swemwbs: { n: number; meanChange: number | null; improvedMeaningfully: number | null }; ons4: { n: number } };
  gpAppointments: { n: number; medianChange: number | null };
  /** How many of its groups are below its attendance threshold. */
  belowThreshold: number;
}

/** One practice's part of the programme's impact report for a period. */
export interface PracticeFigures {
  sections: ProgrammeSections;
  /** The band sums of all its people in the order its own report reads them, packed: its own bands are worked out from them. */
  all: number[];
  /** Those of its people whose CHI number no other practice holds: added as they are into the programme's bands. */
  own: number[];
  /** The others one by one: the programme counts each once with their record in another practice. */
  shared: (PersonDose & { participantId: number })[];
}

/** Changed whenever what kept figures hold or how they are worked out changes: an older release's are not read. */
const FIGURES_OF = 'figures 2';
/** Kept figures are written this much at a time on D1 (a row or a parameter of 2 MB at most), where each write counts against the budget. */
const BYTES_A_WRITE = 512 * 1024;
/** And on Node, where a statement holds the thread: half a megabyte a write held it 28-33 ms for 1,000 practices, 64 KB 19-29 ms. */
const BYTES_A_WRITE_ON_NODE = 64 * 1024;
/** Kept figures are read this many practices at a time on Node: a thousand practices' in one statement held the thread. */
const READ_AT_ONCE = 100;

/** How long figures are kept up to date after the programme last asked for their period. */
const KEPT_FOR_MS = 92 * 24 * 3600_000;
/** How many practices' figures one reminder pass works out again: a few seconds on Node, one cron's worth on Workers. */
const REFRESH_AT_ONCE = 100;

/**
 * Each practice's figures for the period: as kept, where nothing the report reads has changed in
 * the practice since they were worked out (`figures_version`, bumped by triggers) and, for a
 * period still running, the clock has not moved past anything they count (running-figures.ts);
 * worked out afresh otherwise, and kept. `asked`: by a report (the period stays kept up to date
 * for KEPT_FOR_MS from now), not by the pass that refreshes it.
 */
export async function practiceFigures(
  db: Db,
  practices: FiguresPractice[],
  now: number,
  range: { from: string; to: string },
  asked = true,
): Promise<PracticeFigures[]> {
  const period = `${FIGURES_OF} ${range.from}..${range.to}`;
  const { bounds } = periodBounds(practices, range, now);
  const kept = await keptFor(db, practices, period, now);
  if (practices.length && asked)
    await db
      .insertInto('kept_periods')
      .values({ period, asked_at: now })
      .onConflict((oc) => oc.column('period').doUpdateSet({ asked_at: now }))
      .execute();
  const made = new Map<number, PracticeFigures>();
  await bySets(
    practices.filter((p) => !kept.has(p.id)),
    async (some) => {
      for (const [id, f] of await workedOut(db, some, now, range)) made.set(id, f);
      return [];
    },
  );
  const worked = practices.filter((p) => made.has(p.id));
  const isRunning = (p: FiguresPractice) => bounds.get(p.id)!.end > now;
  const running = worked.filter(isRunning);
  // The report matters more than keeping it: under a query budget, a running period is kept only if there is room to ask how long it stays true.
  const until = running.length && canQuery(2 + AFTER_WRITE_QUERIES) ? await trueUntil(db, running, bounds, now) : new Map<number, number>();
  await keep(
    db,
    worked.filter((p) => !isRunning(p) || until.has(p.id)),
    made,
    period,
    { now, until },
  );
  return practices.map((p) => kept.get(p.id) ?? made.get(p.id)!);
}

/** The figures of a few practices worked out from their registers, measures and imports. */
async function workedOut(db: Db, some: FiguresPractice[], now: number, range: { from: string; to: string }) {
  const sections = await impactFigures(db, some, now, range);
  await turn(); // on Node each half holds the thread for its queries: requests get a turn between
  const people = await peopleByDoseIn(db, some, now, range);
  return some.map((p) => {
    const all = noBandSums();
    const own = noBandSums();
    const shared: PracticeFigures['shared'] = [];
    for (const { elsewhere, ...person } of people.get(p.id) ?? []) {
      addPerson(all, person);
      if (elsewhere) shared.push(person);
      else addPerson(own, person);
    }
    const figures: PracticeFigures = { sections: summary(sections.get(p.id)!), all: packBandSums(all), own: packBandSums(own), shared };
    return [p.id, figures] as const;
  });
}

function summary(r: ImpactSections): ProgrammeSections {
  const { attendance: a, retention, wellbeing: w, gpAppointments: gp } = r;
  return {
    funnel: { referred: r.funnel.referred, enrolled: r.funnel.enrolled, attendedOnce: r.funnel.attendedOnce, attendedThreePlus: r.funnel.attendedThreePlus },
    referrals: { received: r.referrals.received, accepted: r.referrals.accepted, attended: r.referrals.attended, declined: r.referrals.declined },
    attendance: { sessionsHeld: a.sessionsHeld, attended: a.attended, absent: a.absent, apologies: a.apologies, rate: a.rate },
    retention: {
      weeks4: { eligible: retention.weeks4.eligible, rate: retention.weeks4.rate },
      weeks12: { eligible: retention.weeks12.eligible, rate: retention.weeks12.rate },
    },
    wellbeing: {
      swemwbs: { n: w.swemwbs.n, meanChange: w.swemwbs.meanChange, improvedMeaningfully: w.swemwbs.improvedMeaningfully },
      ons4: { n: w.ons4.n },
    },
    gpAppointments: { n: gp.n, medianChange: gp.medianChange },
    belowThreshold: r.belowThreshold.groups.length,
  };
}

async function keptFor(db: Db, practices: FiguresPractice[], period: string, now: number) {
  const out = new Map<number, PracticeFigures>();
  const breather = yielder();
  const step = queryBudget() ? Math.max(1, practices.length) : READ_AT_ONCE;
  for (let i = 0; i < practices.length; i += step) {
    const ids = practices.slice(i, i + step).map((p) => p.id);
    const rows = await sql<{ practice_id: number; figures: string }>`
      SELECT k.practice_id, k.figures FROM kept_figures k JOIN practices p ON p.id = k.practice_id AND p.figures_version = k.version
      WHERE k.period = ${period} AND k.practice_id IN ${jsonIds(ids)} AND ${stillTrue(now)}`.execute(db);
    for (const r of rows.rows) {
      out.set(Number(r.practice_id), JSON.parse(r.figures) as PracticeFigures);
      await breather();
    }
  }
  return out;
}

/**
 * Keeps the figures under the version read before they were worked out, in as few writes as fit
 * D1's limits; within a query budget only if they fit beside what the request still has to do
 * (the report matters more than keeping it).
 */
async function keep(
  db: Db,
  practices: FiguresPractice[],
  made: Map<number, PracticeFigures>,
  period: string,
  running: { now: number; until: Map<number, number> },
) {
  if (practices.length === 0) return;
  const writes: (readonly [number, number, string, number | null, number | null])[][] = [[]];
  const most = queryBudget() ? BYTES_A_WRITE : BYTES_A_WRITE_ON_NODE;
  // A thousand practices' figures written out as JSON take tens of milliseconds: requests get their turns between.
  const breather = yielder();
  let bytes = 0;
  for (const p of practices) {
    await breather();
    const until = running.until.get(p.id);
    const row = [p.id, p.figures_version, JSON.stringify(made.get(p.id)), until === undefined ? null : running.now, until ?? null] as const;
    if (bytes + row[2].length > most && writes.at(-1)!.length) {
      writes.push([]);
      bytes = 0;
    }
    writes.at(-1)!.push(row);
    bytes += row[2].length;
  }
  if (!canQuery(writes.length + AFTER_WRITE_QUERIES)) return;
  for (const rows of writes) {
    await sql`
      INSERT INTO kept_figures (practice_id, period, version, figures, worked_at, valid_until)
      SELECT json_extract(value, '$[0]'), ${period}, json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]')
      FROM json_each(${JSON.stringify(rows)}) WHERE true
      ON CONFLICT (practice_id, period) DO UPDATE SET version = excluded.version, figures = excluded.figures, worked_at = excluded.worked_at, valid_until = excluded.valid_until`.execute(
      db,
    );
    await turn();
  }
}

/**
 * Works out again, off the request, the kept figures something has changed since (a register
 * saved, a measure taken, or for a period still running a session started or a day began), for periods the programme asked for in the last three months; figures
 * nobody asked for in that time go. The next report then reads them all as kept. Returns how
 * many practices' figures it worked out.
 */
export async function refreshKeptFigures(db: Db, now: number, share: Allowance): Promise<number> {
  if (!share.has(3)) return 0;
  const old = now - KEPT_FOR_MS;
  await db
    .deleteFrom('kept_figures')
    .where((eb) =>
      eb.or([eb('period', 'in', eb.selectFrom('kept_periods').select('period').where('asked_at', '<', old)), eb('period', 'not like', `${FIGURES_OF} %`)]),
    )
    .execute();
  await db.deleteFrom('kept_periods').where('asked_at', '<', old).execute();
  const stale = await sql<{ practice_id: number; period: string }>`
    SELECT k.practice_id, k.period FROM kept_figures k JOIN practices p ON p.id = k.practice_id
    WHERE k.version <> p.figures_version OR NOT ${stillTrue(now)} ORDER BY k.period, k.practice_id LIMIT ${REFRESH_AT_ONCE}`.execute(db);
  let done = 0;
  for (const period of new Set(stale.rows.map((r) => r.period))) {
    const m = /(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(period);
    // A period's figures cost the same few queries for any number of practices, and their writes.
    if (!m || !share.has(REFRESH_QUERIES)) break;
    const ids = stale.rows.filter((r) => r.period === period).map((r) => Number(r.practice_id));
    const practices = await db
      .selectFrom('practices')
      .select(['id', 'timezone', 'attendance_threshold', 'figures_version'])
      .where('id', 'in', jsonIds(ids))
      .orderBy('id')
      .execute();
    await practiceFigures(db, practices, now, { from: m[1]!, to: m[2]! }, false);
    done += practices.length;
  }
  return done;
}

/** What refreshing one period's figures may cost in queries: reading them (about 20) and writing them. */
const REFRESH_QUERIES = 40;
