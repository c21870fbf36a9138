import type { z } from 'zod';
import type { AppError } from '../../lib/errors.js';

/** A problem with one field, linked from the summary at the top of the form (GOV.UK error summary). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A page's title, starting "Error: " while its form has problems, as GOV.UK pages do. */
export function titleWith(problems: readonly FieldProblem[], title: string): string {
  return problems.length ? `Error: ${title}` : title;
}

export function ErrorSummary(p: { problems: FieldProblem[] }) {
  if (p.problems.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">There is a problem</h2>
      <ul>
        {p.problems.map((x) => (
          <li>
            <a href={`#${x.field}`}>{x.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The message beside a field; the field names it with aria-describedby. */
export function FieldError(p: { field: string; problems: readonly FieldProblem[] }) {
  const mine = p.problems.filter((x) => x.field === p.field);
  if (mine.length === 0) return null;
  return (
    <p id={`${p.field}-error`} class="field-error">
      <span class="visually-hidden">Error: </span>
      {mine.map((x) => x.message).join('. ')}
    </p>
  );
}

/**
 * What a field names with aria-describedby: its error message while it has one, then any hint's
 * id. Undefined when there is neither, so the attribute is left out.
 */
export function describerFor(problems: readonly FieldProblem[]) {
  return (field: string, hint?: string): string | undefined =>
    [problems.some((x) => x.field === field) ? `${field}-error` : '', hint ?? ''].join(' ').trim() || undefined;
}

/** Where a rule's finding belongs on a page form: the field's id, and what to do in plain words. */
export type FieldRules = [path: string, field: string, message: string][];

/**
 * zod's findings as problems beside the fields, one per field. A finding written for people (a
 * custom rule: "SMS consent needs a mobile number") keeps its words when `ownWords` says so;
 * every other one gets the field's plain message, never the schema's names.
 */
export function problemsFor(issues: readonly z.core.$ZodIssue[], rules: FieldRules, ownWords = false): FieldProblem[] {
  const out = new Map<string, string>();
  for (const i of issues) {
    const path = i.path.join('.');
    const hit = rules.find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`)) ?? rules[rules.length - 1]!;
    const words = ownWords && i.code === 'custom' ? i.message.charAt(0).toUpperCase() + i.message.slice(1) : hit[2];
    if (!out.has(hit[1])) out.set(hit[1], words);
  }
  return [...out].map(([field, message]) => ({ field, message }));
}

/** A service's refusal (`details: [{ path, message }]`) read as zod findings, so problemsFor can place it. */
export function issuesOf(err: AppError): z.core.$ZodIssue[] {
  const details = Array.isArray(err.details) ? (err.details as { path?: string; message?: string }[]) : [];
  const found = details.map((d) => ({
    code: 'custom' as const,
    path: (d.path ?? '').split('.').filter(Boolean),
    message: d.message ?? err.message,
    input: undefined,
  }));
  return (found.length ? found : [{ code: 'custom' as const, path: [], message: err.message, input: undefined }]) as z.core.$ZodIssue[];
}
