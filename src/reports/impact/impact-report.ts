import type { z } from 'zod';
import type { ImpactReportDto } from '../report-schemas.js';
import type { Db } from '../../db/schema.js';
import { audit, type Actor } from '../../audit/audit-service.js';
import { addDays, startOfLocalDate, toZonedIso } from '../../lib/time/time.js';
import { bandFigures } from './dose-bands.js';
import { peopleByDose } from './dose-people.js';
import { impactFigures } from './impact-figures.js';

export interface ImpactRange {
  from: string;
  to: string;
  groupId?: number;
}

export interface ImpactPractice {
  id: number;
  timezone: string;
  attendance_threshold: number;
}

export type ImpactReport = z.output<typeof ImpactReportDto>;
/** The sections every practice's report has; the report adds the dose bands and says what it is. */
export type ImpactSections = Omit<ImpactReport, 'byDose' | 'practice' | 'groups' | 'producedAt' | 'method'>;

/** What the whole report counts, and what it cannot show: printed with it, in the JSON and the CSV. */
export const IMPACT_METHOD = [
  "By dose: people given a place in the period's groups (enrolled at some point of it), by the sessions they attended there in the period, present or late: 0 (given a place, never came: the comparison), 1, 2, 3-5, 6 or more.",
  "Paired measures only: a person's first SWEMWBS or ONS4 and their latest at least 8 weeks on, both by the end of the period; GP appointments in the year before they were given a place against the year from it (at least 91 days of data, scaled to a year), for people whose CHI number is in the practice's export.",
  'Happiness by text: ONS4\'s happiness question alone ("Overall, how happy did you feel yesterday?", 0-10), texted in the person\'s language, in the daytime, to people who agreed, when given a place and 8 weeks later, whether or not they still came; a reply that is a whole number from 0 to 10 within 3 days is their answer. Paired like the others (first answer and the latest at least 8 weeks on), so it reaches people who stopped coming, whom face-to-face measures miss; it is one question, not the whole ONS4, and people who never reply are still missing.',
  "A mean or a 95% confidence interval (Student's t, paired) only where 5 or more people have a pair; otherwise none. Wherever a figure leaves the practice (the CSV, the programme), a count from 1 to 4 is shown as <5.",
  'What this cannot show: it is an association, not proof that the groups caused any change. People are referred at their worst, so scores tend to rise and appointments to fall with time alone (regression to the mean); the never-came band is the nearest thing to a comparison, and it was not chosen at random.',
  'Who is missing: people with no CHI number or not in the export (GP figures), and people with no follow-up measure, who are more often those who stopped coming.',
];

/** The impact report of the actor's practice. */
export async function impactReport(db: Db, actor: Actor, now: number, range: ImpactRange): Promise<ImpactReport> {
  const practice = await db
    .selectFrom('practices')
    .select(['id', 'timezone', 'attendance_threshold', 'name', 'code'])
    .where('id', '=', actor.practiceId)
    .executeTakeFirstOrThrow();
  const sections = (await impactFigures(db, [practice], now, range)).get(practice.id)!;
  const people = await peopleByDose(db, practice, now, range);
  const start = startOfLocalDate(range.from, practice.timezone);
  const end = startOfLocalDate(addDays(range.to, 1), practice.timezone);
  let groups = db
    .selectFrom('community_groups as g')
    .select(['g.id', 'g.name'])
    .where('g.practice_id', '=', practice.id)
    .where((eb) =>
      eb.exists(
        eb.selectFrom('sessions as s').select('s.id').whereRef('s.group_id', '=', 'g.id').where('s.starts_at', '>=', start).where('s.starts_at', '<', end),
      ),
    )
    .orderBy('g.name');
  if (range.groupId !== undefined) groups = groups.where('g.id', '=', range.groupId);
  await audit(db, actor, now, { action: 'report', entity: 'impact', detail: `${range.from}..${range.to}${range.groupId ? ` group ${range.groupId}` : ''}` });
  return {
    ...sections,
    byDose: bandFigures(people),
    practice: { name: practice.name, code: practice.code },
    groups: await groups.execute(),
    producedAt: toZonedIso(now, practice.timezone),
    method: IMPACT_METHOD,
  };
}
