import { Layout } from '../layout.js';

export function LoginPage(p: { next?: string; error?: string; email?: string }) {
  return (
    <Layout title="Sign in" error={p.error}>
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
