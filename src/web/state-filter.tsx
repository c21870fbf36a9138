/**
 * Links that narrow a list to one state ("All", "Open", "Closed"…), the current one marked for
 * screen readers: the concerns and the referrals lists show them the same way.
 */
export function StateFilter<S extends string>(p: { label: string; path: string; states: readonly S[]; words: Record<S, string>; current: S | undefined }) {
  return (
    <nav aria-label={p.label}>
      <ul class="row plain">
        <li>
          <a href={p.path} aria-current={p.current === undefined ? 'page' : undefined}>
            All
          </a>
        </li>
        {p.states.map((s) => (
          <li>
            <a href={`${p.path}?status=${s}`} aria-current={p.current === s ? 'page' : undefined}>
              {p.words[s]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
