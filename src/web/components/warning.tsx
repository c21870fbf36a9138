import type { Child } from 'hono/jsx';

/**
 * GOV.UK's warning text: something a person must know before going on, said as a warning to a
 * screen reader too ("Warning:"), with an optional heading and what to do. `banner` is the boxed
 * form every page of an admin's shows until it is dealt with.
 */
export function Warning(p: { heading?: Child; id?: string; role?: 'status' | 'alert'; banner?: boolean; children?: Child }) {
  return (
    <div class={p.banner ? 'warning-banner' : 'warning-note'} id={p.id} role={p.role}>
      {p.heading !== undefined ? (
        <h2>
          <span class="visually-hidden">Warning: </span>
          {p.heading}
        </h2>
      ) : (
        <span class="visually-hidden">Warning: </span>
      )}
      {p.children}
    </div>
  );
}
