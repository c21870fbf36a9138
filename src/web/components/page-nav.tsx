import type { Child } from 'hono/jsx';

/** One way to another view of the same page: the one shown is marked, not linked. */
export interface NavItem {
  href: string;
  label: Child;
  current: boolean;
  lang?: string;
}

/**
 * Views of one page side by side (tabs of Messages, languages of Texts): a named navigation
 * landmark, the current view said as such to a screen reader, the others as links.
 */
export function PageNav(p: { label: string; items: NavItem[] }) {
  return (
    <nav aria-label={p.label}>
      <ul class="inline-list">
        {p.items.map((item) => (
          <li>
            {item.current ? (
              <strong aria-current="page">{item.label}</strong>
            ) : (
              <a href={item.href} lang={item.lang}>
                {item.label}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
