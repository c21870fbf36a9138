import { PageNav } from './page-nav.js';

/**
 * Links that narrow a list to one state ("All", "Open", "Closed"…), the current one marked for
 * screen readers: the concerns and the referrals lists show them the same way, as any views of
 * one page do (PageNav).
 */
export function StateFilter<S extends string>(p: { label: string; path: string; states: readonly S[]; words: Record<S, string>; current: S | undefined }) {
  return (
    <PageNav
      label={p.label}
      items={[
        { href: p.path, label: 'All', current: p.current === undefined },
        ...p.states.map((s) => ({ href: `${p.path}?status=${s}`, label: p.words[s], current: p.current === s })),
      ]}
    />
  );
}
