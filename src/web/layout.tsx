import type { Child } from 'hono/jsx';
import type { AuthUser } from '../app-env.js';
import { STYLES } from './styles.js';

const NAV: { href: string; label: string; roles: string[] }[] = [
  { href: '/today', label: 'Today', roles: ['admin', 'clp', 'leader'] },
  { href: '/groups', label: 'Groups', roles: ['admin', 'clp', 'staff'] },
  { href: '/referrals', label: 'Referrals', roles: ['admin', 'clp', 'staff'] },
  { href: '/participants', label: 'Participants', roles: ['admin', 'clp'] },
  { href: '/messages', label: 'Messages', roles: ['admin', 'clp'] },
  { href: '/concerns', label: 'Concerns', roles: ['admin', 'clp', 'leader'] },
  { href: '/feeds', label: 'Calendar feeds', roles: ['admin', 'clp', 'staff', 'leader'] },
  { href: '/reports', label: 'Reports', roles: ['admin', 'clp'] },
  { href: '/venues', label: 'Venues', roles: ['admin', 'clp'] },
  { href: '/leaders', label: 'Leaders', roles: ['admin', 'clp'] },
  { href: '/texts', label: 'Texts', roles: ['admin'] },
  { href: '/users', label: 'Users', roles: ['admin'] },
  { href: '/practice/settings', label: 'Settings', roles: ['admin'] },
];

export interface PageProps {
  title: string;
  user?: AuthUser;
  csrf?: string;
  notice?: string;
  error?: string;
  children?: Child;
}

/** Every page: a skip link, the navigation for the person's role, and one main landmark. */
export function Layout(p: PageProps) {
  return (
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {/* No favicon to fetch: every page used to ask for one and get a 404. */}
        <link rel="icon" href="data:," />
        <link rel="manifest" href="/manifest.webmanifest" />
        <meta name="theme-color" content="#0b3d91" />
        {p.user && p.csrf && <meta name="csrf-token" content={p.csrf} />}
        {/* Every page: the error summary takes focus and the phone menu folds; signed in, the offline register too. */}
        <script src="/offline.js" defer />
        <title>{`${p.title} · Community Links Groups`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          {p.user ? (
            <nav aria-label="Main">
              <ul>
                {NAV.filter((n) => n.roles.includes(p.user!.role)).map((n) => (
                  <li>
                    <a href={n.href}>{n.label}</a>
                  </li>
                ))}
                <li>
                  <form novalidate method="post" action="/logout" class="inline">
                    <input type="hidden" name="_csrf" value={p.csrf} />
                    <button type="submit" class="secondary">
                      Sign out
                    </button>
                  </form>
                </li>
              </ul>
              <p class="who">
                Signed in as {p.user.name} ({p.user.role}) at {p.user.practiceName}
                {(p.user.practiceCount ?? 1) > 1 && (
                  <>
                    {' · '}
                    <a href="/practices">Switch practice</a>
                  </>
                )}
              </p>
            </nav>
          ) : (
            <p>Community Links Groups</p>
          )}
        </header>
        <main id="main">
          <h1>{p.title}</h1>
          {p.user?.banners}
          {p.user && <div id="sync-status" role="status" hidden />}
          {p.notice && (
            <p class="notice" role="status">
              {p.notice}
            </p>
          )}
          {p.error && (
            <p class="error" role="alert">
              {p.error}
            </p>
          )}
          {p.children}
        </main>
      </body>
    </html>
  );
}

/** A hidden CSRF field; every form carries one. */
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

/** A one-button form (withdraw, revoke): a POST with its CSRF token, named for screen readers. */
export const PostButton = (p: { action: string; csrf: string; label: string; name: string }) => (
  <form novalidate method="post" action={p.action} class="inline">
    <Csrf token={p.csrf} />
    <button type="submit" class="secondary" aria-label={p.name}>
      {p.label}
    </button>
  </form>
);
