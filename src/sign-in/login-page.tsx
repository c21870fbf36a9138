import { Layout } from '../web/layout.js';

/** The sign-in page: a password, and (where the server is set up for it) the NHS account button. */
export function LoginPage(p: { next?: string; error?: string; email?: string; nhsLabel?: string }) {
  return (
    <Layout title="Sign in" error={p.error}>
      {p.nhsLabel && (
        <>
          <p>
            <a class="button" href={`/auth/oidc/start?next=${encodeURIComponent(p.next ?? '/today')}`}>
              Sign in with {p.nhsLabel}
            </a>
          </p>
          <p class="muted">Practice staff: use the NHS account you already have. Volunteers and others: your email and password below.</p>
        </>
      )}
      <form novalidate method="post" action="/login">
        <input type="hidden" name="next" value={p.next ?? '/today'} />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value={p.email ?? ''} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <p>
          <button type="submit">Sign in</button>
        </p>
      </form>
    </Layout>
  );
}
