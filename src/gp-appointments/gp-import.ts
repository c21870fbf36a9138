import { DateTime } from 'luxon';
import type { Db } from '../db/schema.js';
import { audit, type Actor } from '../audit/audit-service.js';
import { atomic } from '../db/atomic.js';
import { invalid, unprocessable } from '../lib/errors.js';
import { chiProblem, normaliseChi } from '../outcomes/chi-number.js';
import { parseCsv } from './csv-parse.js';

export const GP_FIELDS = ['chi', 'from', 'to', 'appointments'] as const;
export type GpField = (typeof GP_FIELDS)[number];
export type GpMapping = Partial<Record<GpField, string>>;

/** Column names clinical systems use for each field (compared lower-case, without spaces or punctuation). */
const ALIASES: Record<GpField, string[]> = {
  chi: ['chi', 'chinumber', 'chino', 'chinum', 'patientchi'],
  from: ['from', 'start', 'startdate', 'fromdate', 'periodstart', 'periodfrom'],
  to: ['to', 'end', 'enddate', 'todate', 'periodend', 'periodto'],
  appointments: ['appointments', 'appts', 'count', 'numberofappointments', 'appointmentcount', 'consultations'],
};
const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

function parseDate(v: string): string | null {
  const t = v.trim();
  const d = /^\d{4}-\d{2}-\d{2}$/.test(t) ? DateTime.fromISO(t) : DateTime.fromFormat(t, 'd/M/yyyy');
  return d.isValid ? d.toISODate() : null;
}

export interface GpRow {
  row: number;
  chi: string;
  from: string;
  to: string;
  appointments: number;
}

export interface GpPreview {
  columns: string[];
  mapping: Record<GpField, string>;
  rows: number;
  valid: number;
  /** Valid rows whose CHI is not a participant here: never stored. */
  notParticipants: number;
  errors: { row: number; message: string }[];
  preview: Omit<GpRow, 'row'>[];
}

/**
 * Reads a practice's appointment export (chi, from, to, appointments; other column names mapped
 * by alias or by the caller), checking every row. Only rows for this practice's participants are
 * kept: counts, never reasons, and never anyone else's.
 */
export async function previewGpImport(db: Db, practiceId: number, csv: string, given: GpMapping = {}): Promise<GpPreview & { keep: GpRow[] }> {
  const table = parseCsv(csv);
  if (table.length < 2) throw invalid('The file needs a header row and at least one row of data');
  const columns = table[0]!.map((c) => c.trim());
  const mapping = {} as Record<GpField, string>;
  for (const field of GP_FIELDS) {
    const chosen = given[field] ?? columns.find((c) => ALIASES[field].includes(squash(c)));
    if (!chosen || !columns.includes(chosen))
      throw invalid(`No column for ${field}: name it in the mapping (the file has ${columns.map((c) => `"${c}"`).join(', ')})`, [
        { path: `mapping.${field}`, message: 'choose the column that holds it' },
      ]);
    mapping[field] = chosen;
  }
  const index = Object.fromEntries(GP_FIELDS.map((f) => [f, columns.indexOf(mapping[f])])) as Record<GpField, number>;
  const errors: { row: number; message: string }[] = [];
  const rows: GpRow[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((cells, i) => {
    const row = i + 2; // as a spreadsheet numbers it, after the header
    const get = (f: GpField) => (cells[index[f]] ?? '').trim();
    const chi = normaliseChi(get('chi'));
    const problem = chiProblem(chi);
    const from = parseDate(get('from'));
    const to = parseDate(get('to'));
    const n = get('appointments');
    const message = problem
      ? `CHI: ${problem}`
      : !from
        ? `from: "${get('from')}" is not a date (2026-04-01 or 01/04/2026)`
        : !to
          ? `to: "${get('to')}" is not a date (2026-04-01 or 01/04/2026)`
          : to < from
            ? 'to is before from'
            : !/^\d{1,4}$/.test(n)
              ? `appointments: "${n}" is not a whole number`
              : seen.has(`${chi}:${from}:${to}`)
                ? 'the same CHI and period appear twice'
                : null;
    if (message) errors.push({ row, message });
    else {
      seen.add(`${chi}:${from}:${to}`);
      rows.push({ row, chi, from: from!, to: to!, appointments: Number(n) });
    }
  });
  const chis = [...new Set(rows.map((r) => r.chi))];
  const known = new Set<string>();
  for (let i = 0; i < chis.length; i += 500) {
    const found = await db
      .selectFrom('participants')
      .select('chi_number')
      .where('practice_id', '=', practiceId)
      .where('chi_number', 'in', chis.slice(i, i + 500))
      .execute();
    for (const f of found) known.add(f.chi_number!);
  }
  const keep = rows.filter((r) => known.has(r.chi));
  return {
    columns,
    mapping,
    rows: table.length - 1,
    valid: rows.length,
    notParticipants: rows.length - keep.length,
    errors: errors.slice(0, 200),
    preview: keep.slice(0, 10).map(({ row: _, ...r }) => r),
    keep,
  };
}

/** Stores the rows once the preview has no errors; a period imported again replaces its count. */
export async function commitGpImport(db: Db, actor: Actor, now: number, csv: string, mapping: GpMapping) {
  const p = await previewGpImport(db, actor.practiceId, csv, mapping);
  const { keep, ...preview } = p;
  if (p.errors.length > 0) throw unprocessable(`${p.errors.length} rows have problems: fix them and upload again (nothing was imported)`, { errors: p.errors });
  await atomic(db, async (tx) => {
    for (const r of keep) {
      await tx
        .insertInto('gp_appointments')
        .values({
          practice_id: actor.practiceId,
          chi_number: r.chi,
          period_from: r.from,
          period_to: r.to,
          appointments: r.appointments,
          imported_at: now,
          imported_by: actor.id,
        })
        .onConflict((oc) =>
          oc
            .columns(['practice_id', 'chi_number', 'period_from', 'period_to'])
            .doUpdateSet({ appointments: r.appointments, imported_at: now, imported_by: actor.id }),
        )
        .execute();
    }
    await audit(tx, actor, now, {
      action: 'import',
      entity: 'gp_appointments',
      detail: `${keep.length} rows kept, ${p.notParticipants} for people not in the service ignored`,
    });
  });
  return { ...preview, imported: keep.length };
}
