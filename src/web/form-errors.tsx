/** A problem with one field, linked from the summary at the top of the form (GOV.UK error summary). */
export interface FieldProblem {
  field: string;
  message: string;
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
export function FieldError(p: { field: string; problems: FieldProblem[] }) {
  const mine = p.problems.filter((x) => x.field === p.field);
  if (mine.length === 0) return null;
  return (
    <p id={`${p.field}-error`} class="field-error">
      <span class="visually-hidden">Error: </span>
      {mine.map((x) => x.message).join('. ')}
    </p>
  );
}
