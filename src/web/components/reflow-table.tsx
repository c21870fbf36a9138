import type { Child } from 'hono/jsx';

/** One column: its heading, and what each row shows under it. */
export interface Column<R> {
  heading: string;
  cell: (row: R) => Child;
  /** The row's own name (`<th scope="row">`), read first on a phone. */
  rowHeader?: boolean;
  /** An action (a button, a link) needs no "Action:" before it on a phone. */
  unlabelled?: boolean;
  /** Left out altogether (a column only some roles see). */
  hidden?: boolean;
}

/**
 * A table that reflows into one card per row on a narrow screen, each cell labelled with its
 * column's heading (GOV.UK's table, as govukTable builds it): headings are written once, here, so
 * a cell's label can never drift from its column. `after` adds rows of totals in the same columns.
 */
export function ReflowTable<R>(p: { columns: Column<R>[]; rows: readonly R[]; caption?: Child; class?: string; id?: string; after?: Child }) {
  const shown = p.columns.filter((c) => !c.hidden);
  return (
    <table class={p.class ? `reflow ${p.class}` : 'reflow'} id={p.id}>
      {p.caption !== undefined && <caption>{p.caption}</caption>}
      <thead>
        <tr>
          {shown.map((c) => (
            <th scope="col">{c.heading}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {p.rows.map((row) => (
          <tr>
            {shown.map((c) =>
              c.rowHeader ? (
                <th scope="row" data-label={c.heading}>
                  {c.cell(row)}
                </th>
              ) : (
                <td data-label={c.unlabelled ? undefined : c.heading}>{c.cell(row)}</td>
              ),
            )}
          </tr>
        ))}
        {p.after}
      </tbody>
    </table>
  );
}

/** A row of totals under a ReflowTable, labelled the same way: its first cell names it. */
export function TotalsRow(p: { name: Child; cells: { heading: string; value: Child }[] }) {
  return (
    <tr>
      <th scope="row">{p.name}</th>
      {p.cells.map((c) => (
        <td data-label={c.heading}>{c.value}</td>
      ))}
    </tr>
  );
}
