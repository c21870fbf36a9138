import { sql } from 'kysely';
import { jsonIds } from '../../db/json-table.js';
import type { Db } from '../../db/schema.js';
import { audit } from '../../audit/audit-service.js';
import { queryBudget } from '../../db/query-budget.js';
import { turn, yielder } from '../../lib/yielder.js';
import { IMPACT_METHOD } from '../impact/impact-report.js';
import {
  addPackedSums,
  addPerson,
  figuresOfSums,
  noBandSums,
  oneReportKey,
  onceAcrossPractices,
  unpackBandSums,
  type BandFigures,
  type PersonDose,
} from '../impact/dose-bands.js';
import { DisclosureTable } from '../disclosure/disclosure-table.js';
import { practiceCells, type PracticeCells } from '../impact/impact-cells.js';
import { DISCLOSURE_METHOD, shownBand, shownOver } from '../impact/protected-impact.js';
import { overFive } from '../figures.js';
import { practiceFigures, type PracticeFigures } from './kept-figures.js';
import { boardField, boardsNamed, boardsOf, practicesIn, type ProgrammeScope } from './programme-report.js';
import { fromBoard, type Board } from './boards.js';

/**
 * The impact report across practices, one row per practice code, and the programme's bands pooled
 * from people (someone in two practices once). Protected as one table, rows and the pooled row
 * together, so no hidden count comes back from another practice's figures or the pooled row.
 */
export async function programmeImpact(db: Db, scope: ProgrammeScope, now: number, range: { from: string; to: string }) {
  const hmac = await oneReportKey();
  const parts: BoardPart[] = [];
  for (const board of boardsOf(db, scope)) parts.push(await fromBoard(board, () => boardPart(board, scope, hmac, now, range)));
  const practices = parts.flatMap((b) => b.practices.map((p) => ({ ...p, ...boardField(scope, b.board) })));
  const figures = parts.flatMap((b) => b.figures);
  const breather = yielder();
  const pooled = await pooledBands(parts, breather);
  const t = new DisclosureTable();
  const cells: ReturnType<typeof practiceCells>[] = [];
  const bands: ReturnType<typeof figuresOfSums>[] = [];
  // A thousand practices' cells take tens of milliseconds: requests get their turns between.
  for (const f of figures) {
    const own = figuresOfSums(unpackBandSums(f.all));
    bands.push(own);
    cells.push(practiceCells(t, f.sections, own));
    await breather();
  }
  const pooledCells = await pooledBandCells(t, pooled, cells, breather);
  const apologies = figures.map((f) => t.count(f.sections.attendance.apologies));
  await breather();
  await t.protectInTurns(breather);
  // A thousand rows built at once held the thread 40-100 ms: requests get their turns between.
  const rows: ReturnType<typeof rowOf>[] = [];
  for (const [i, p] of practices.entries()) {
    rows.push(rowOf(t, p, figures[i]!.sections, bands[i]!, cells[i]!, apologies[i]!));
    await breather();
  }

  await audit(db, scope.actor, now, {
    action: 'report',
    entity: 'programme_impact',
    detail: `${range.from}..${range.to}, ${rows.length} practices${boardsNamed(scope)}`,
  });
  return {
    period: range,
    practices: rows,
    // Pooled from people across practices, so one band's mean is every person in it, not a mean of means.
    programme: { byDose: pooled.map((b, k) => shownBand(t, b, pooledCells[k]!)) },
    producedAt: new Date(now).toISOString(),
    method: [...IMPACT_METHOD, PROGRAMME_PEOPLE_METHOD, ...(scope.boards ? [BOARDS_METHOD] : []), DISCLOSURE_METHOD],
  };
}

/** One board's practices, their figures, and the keys of its people held by two of them. */
interface BoardPart {
  board: Board;
  practices: Awaited<ReturnType<typeof practicesIn>>;
  figures: PracticeFigures[];
  keys: Map<number, string>;
}

async function boardPart(board: Board, scope: ProgrammeScope, hmac: (chi: string) => Promise<string>, now: number, range: { from: string; to: string }) {
  const practices = await practicesIn(board.db, scope);
  const figures = await practiceFigures(board.db, practices, now, range);
  return { board, practices, figures, keys: await sharedKeys(board.db, practices, hmac) };
}

/** One practice's row, its counts as the protected table shows them. */
function rowOf(
  t: DisclosureTable,
  p: { id: number; code: string | null; board?: string },
  r: PracticeFigures['sections'],
  bands: ReturnType<typeof figuresOfSums>,
  c: PracticeCells,
  apologies: number,
) {
  const over = <T>(id: number, value: T) => shownOver(t, id, value);
  return {
    ...(p.board === undefined ? {} : { board: p.board }),
    practiceCode: p.code ?? `practice-${p.id}`,
    referred: t.shown(c.referred),
    enrolled: t.shown(c.enrolled),
    attendedOnce: t.shown(c.attendedOnce),
    attendedThreePlus: t.shown(c.attendedThreePlus),
    referralsReceived: t.shown(c.received),
    referralsAccepted: t.shown(c.accepted),
    referralsAttended: t.shown(c.attended),
    referralsDeclined: t.shown(c.declined),
    sessionsHeld: r.attendance.sessionsHeld,
    attendanceRate: overFive(r.attendance.attended + r.attendance.absent, r.attendance.rate),
    apologies: t.shown(apologies),
    retention4WeeksRate: overFive(r.retention.weeks4.eligible, r.retention.weeks4.rate),
    retention12WeeksRate: overFive(r.retention.weeks12.eligible, r.retention.weeks12.rate),
    swemwbsPeople: t.shown(c.swemwbsPeople),
    swemwbsMeanChange: over(c.swemwbsPeople, r.wellbeing.swemwbs.meanChange),
    swemwbsImprovedShare: over(c.swemwbsPeople, r.wellbeing.swemwbs.improvedMeaningfully),
    gpPeople: t.shown(c.gpPeople),
    gpMedianChange: over(c.gpPeople, r.gpAppointments.medianChange),
    groupsBelowThreshold: r.belowThreshold,
    byDose: bands.map((b, k) => shownBand(t, b, c.bands[k]!)),
  };
}

/**
 * The programme's bands: each practice's sums of the people no other practice holds, added; then
 * the people another practice may hold, one by one, those found in two of these practices counted
 * once (matched by their keyed CHI, their sessions added).
 */
async function pooledBands(parts: BoardPart[], breather: () => Promise<void>) {
  const sums = noBandSums();
  const matched: PersonDose[] = [];
  for (const { figures, keys } of parts)
    for (const f of figures) {
      addPackedSums(sums, f.own);
      for (const { participantId, ...person } of f.shared) {
        const key = keys.get(participantId);
        if (key) matched.push({ ...person, key });
        else addPerson(sums, person);
      }
      await breather();
    }
  for (const person of onceAcrossPractices(matched)) addPerson(sums, person);
  return figuresOfSums(sums);
}

/** The pooled bands' cells, each the sum of the practices' cells for it. */
async function pooledBandCells(t: DisclosureTable, pooled: BandFigures[], cells: ReturnType<typeof practiceCells>[], breather: () => Promise<void>) {
  // The pooled bands are what the programme's report is for: a practice's figure is hidden before them.
  const pooledCost = (n: number) => t.count(n, n * 1000);
  const pooledCells = pooled.map((b) => ({
    people: pooledCost(b.people),
    swemwbs: pooledCost(b.swemwbs.n),
    ons4: pooledCost(b.ons4.n),
    happiness: pooledCost(b.happiness.n),
    gp: pooledCost(b.gpAppointments.n),
  }));
  // Each a sum of a thousand practices' cells: requests get their turns between them.
  for (const [i, pc] of pooledCells.entries())
    for (const k of ['people', 'swemwbs', 'ons4', 'happiness', 'gp'] as const) {
      t.sum(
        pc[k],
        cells.map((c) => c.bands[i]![k]),
      );
      await breather();
    }
  return pooledCells;
}

/**
 * A keyed hash for each participant whose CHI number is found in two or more of these practices,
 * by participant: only they can make one person of two, and hashing a whole programme's numbers
 * costs seconds.
 */
async function sharedKeys(db: Db, practices: { id: number }[], hmac: (chi: string) => Promise<string>): Promise<Map<number, string>> {
  const ids = jsonIds(practices.map((p) => p.id));
  // D1 counts queries: one. Node's SQLite holds the thread for a statement: a slice of the numbers at a time (about 5 ms each at 1,000 practices).
  const slices = queryBudget() ? [['', null] as const] : CHI_SLICES.map((from, i) => [from, CHI_SLICES[i + 1] ?? null] as const);
  const keys = new Map<number, string>();
  for (const [from, to] of slices) {
    await turn(); // each slice a statement of a few milliseconds: never straight after the work before it
    const rows = await sql<{ id: number; chi_number: string }>`
      SELECT p.id, p.chi_number FROM participants p
      WHERE p.erased_at IS NULL AND p.practice_id IN ${ids} AND p.chi_number IN (
        SELECT chi_number FROM participants
        WHERE chi_number IS NOT NULL AND erased_at IS NULL AND chi_number >= ${from} ${to === null ? sql`` : sql`AND chi_number < ${to}`}
          AND practice_id IN ${ids}
        GROUP BY chi_number HAVING count(DISTINCT practice_id) > 1)`.execute(db);
    for (const r of rows.rows) keys.set(Number(r.id), await hmac(r.chi_number));
  }
  return keys;
}

export const BOARDS_METHOD =
  "Across boards: each board's practices are read from the board's own database, and people are matched within a board as above. Someone with places in practices of two boards counts once in each board's share of the pooled bands (unless each board also holds them in two of its own practices)";

/** Where the slices of CHI numbers begin: a CHI starts with the day of birth (01-31), so these are a few days each. */
const CHI_SLICES = ['', '04', '08', '12', '16', '20', '24', '28', '32', '50', '75'];

export const PROGRAMME_PEOPLE_METHOD =
  "Across practices: someone given a place in two practices is one person in the pooled bands (matched by a hash of their CHI number keyed afresh for each report and then forgotten, so the pooled figures never hold the number; their sessions added). People without a CHI number cannot be matched and may count once in each practice; each practice's own row counts its own people.";
