import type { Child } from 'hono/jsx';

/** One row of a summary list: what it is, and its value; a row whose value is `false` is left out. */
export type SummaryRow = [key: Child, value: Child | false];

/**
 * Facts about one thing as key and value pairs (GOV.UK's summary list): a session on its check
 * page, a concern, a text's cost. Rows with `false` for their value are left out.
 */
export function SummaryList(p: { rows: SummaryRow[] }) {
  return (
    <dl class="summary">
      {p.rows
        .filter(([, v]) => v !== false)
        .map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
    </dl>
  );
}
