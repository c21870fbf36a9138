import { isValidDate } from '../../lib/time/time.js';
import { FieldError, type FieldProblem } from './form-errors.js';

type Form = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();

/**
 * A date typed as GOV.UK asks for it (day, month and year boxes), read as YYYY-MM-DD. Empty boxes
 * read as ''; a date that does not exist (31 2 2027, or letters) reads as "31/2/2027", which no
 * date rule accepts and which DateInput shows back as typed. A single `name` field (links such as
 * ?from=2027-01-01) is read as it is.
 */
export function readDateField(f: Form, name: string): string {
  const [day, month, year] = ['day', 'month', 'year'].map((part) => one(f[`${name}-${part}`]));
  if (!day && !month && !year) return one(f[name]);
  if (/^\d{1,2}$/.test(day!) && /^\d{1,2}$/.test(month!) && /^\d{4}$/.test(year!)) {
    const iso = `${year}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
    if (isValidDate(iso)) return iso;
  }
  return `${day}/${month}/${year}`;
}

/** The three boxes' contents for a value: a date's own numbers, or what was typed when it was not a date. */
function partsOf(value: string): [string, string, string] {
  const iso = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (iso) return [String(Number(iso[3])), String(Number(iso[2])), iso[1]!];
  const typed = value.match(/^([^/]*)\/([^/]*)\/([^/]*)$/);
  return typed ? [typed[1]!, typed[2]!, typed[3]!] : ['', '', ''];
}

/**
 * GOV.UK's date input: a fieldset with its legend and hint, and Day, Month and Year boxes that take
 * numbers only. The Day box carries the field's own id, so an error summary's `#name` link lands in it.
 */
export function DateInput(p: { name: string; legend: string; hint?: string; value: string; problems?: FieldProblem[]; small?: boolean }) {
  const [day, month, year] = partsOf(p.value);
  const problems = p.problems ?? [];
  const failed = problems.some((x) => x.field === p.name);
  const hintId = `${p.name}-hint`;
  const described = [hintId, failed ? `${p.name}-error` : ''].filter(Boolean).join(' ');
  const box = (part: 'day' | 'month' | 'year', label: string, value: string, width: string) => (
    <div class="date-part">
      <label for={part === 'day' ? p.name : `${p.name}-${part}`}>{label}</label>
      <input
        id={part === 'day' ? p.name : `${p.name}-${part}`}
        name={`${p.name}-${part}`}
        inputmode="numeric"
        class={`width-${width}${failed ? ' invalid' : ''}`}
        value={value}
        autocomplete="off"
      />
    </div>
  );
  return (
    <fieldset class="date-input" role="group" aria-describedby={described}>
      <legend class={p.small ? 'small' : undefined}>{p.legend}</legend>
      <p id={hintId} class="muted">
        {p.hint ?? 'For example, 27 3 2027'}
      </p>
      <FieldError field={p.name} problems={problems} />
      <div class="date-parts">
        {box('day', 'Day', day, '2')}
        {box('month', 'Month', month, '2')}
        {box('year', 'Year', year, '4')}
      </div>
    </fieldset>
  );
}
