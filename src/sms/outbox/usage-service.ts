import { DateTime } from 'luxon';
import type { Db } from '../../db/schema.js';
import { invalid } from '../../lib/errors.js';
import { round } from '../../lib/numbers.js';
import { budgetStatus, type BudgetStatus } from './budget.js';

export interface UsageRow {
  groupId: number | null;
  /** A group's own name: this is for the practice, never for a text. */
  name: string;
  texts: number;
  segments: number;
  cost: number;
}

export interface MonthUsage {
  month: string;
  texts: number;
  segments: number;
  cost: number;
  groups: UsageRow[];
}

export interface SmsUsage {
  price: { perSegment: number; currency: string };
  budget: BudgetStatus;
  months: MonthUsage[];
}

const MAX_MONTHS = 36;

/**
 * SMS segments sent per calendar month (in the practice's zone), per group, and their cost at
 * the configured price: billed texts only (sent, delivered, undelivered, unknown).
 */
export async function smsUsage(
  db: Db,
  practiceId: number,
  price: { perSegment: number; currency: string },
  now: number,
  range: { from?: string; to?: string } = {},
): Promise<SmsUsage> {
  const { timezone } = await db.selectFrom('practices').select('timezone').where('id', '=', practiceId).executeTakeFirstOrThrow();
  const current = DateTime.fromMillis(now, { zone: timezone }).startOf('month');
  const month = (s: string) => DateTime.fromFormat(s, 'yyyy-LL', { zone: timezone });
  const to = range.to ? month(range.to) : current;
  const from = range.from ? month(range.from) : to.minus({ months: 5 });
  if (!from.isValid || !to.isValid) throw invalid('from and to are months like 2026-11');
  if (from > to) throw invalid('from must not be after to');
  if (to.diff(from, 'months').months >= MAX_MONTHS) throw invalid(`ask for at most ${MAX_MONTHS} months at a time`);

  const months: MonthUsage[] = [];
  for (let m = to; m >= from; m = m.minus({ months: 1 })) {
    const rows = await db
      .selectFrom('messages as m')
      .leftJoin('community_groups as g', 'g.id', 'm.group_id')
      .select((eb) => ['m.group_id', 'g.name', eb.fn.countAll<number>().as('texts'), eb.fn.sum<number>(eb.fn.coalesce('m.segments', eb.lit(1))).as('segments')])
      .where('m.practice_id', '=', practiceId)
      .where('m.direction', '=', 'outbound')
      .where('m.status', '!=', 'failed')
      .where('m.sent_at', '>=', m.toMillis())
      .where('m.sent_at', '<', m.plus({ months: 1 }).toMillis())
      .groupBy('m.group_id')
      .orderBy('segments', 'desc')
      .execute();
    const groups = rows.map((r) => ({
      groupId: r.group_id,
      name: r.name ?? 'Not about a group',
      texts: Number(r.texts),
      segments: Number(r.segments),
      cost: round(Number(r.segments) * price.perSegment),
    }));
    const segments = groups.reduce((n, g) => n + g.segments, 0);
    months.push({ month: m.toFormat('yyyy-LL'), texts: groups.reduce((n, g) => n + g.texts, 0), segments, cost: round(segments * price.perSegment), groups });
  }
  return { price, budget: await budgetStatus(db, practiceId, now), months };
}
