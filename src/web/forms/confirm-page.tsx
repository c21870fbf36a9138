import type { Child } from 'hono/jsx';
import type { AuthUser } from '../../app-env.js';
import { Csrf, Layout } from '../layout.js';

export interface ConfirmProps {
  /** A question: "Withdraw Ann from Health walk?" */
  title: string;
  user: AuthUser;
  csrf: string;
  /** Where the yes goes: the same form again, now with `confirmed=yes`. */
  action: string;
  /** What was chosen, carried through unchanged (a list repeats its name). */
  fields?: Record<string, string | string[]>;
  /** Says what it does: "Withdraw Ann", "Erase 3 people". */
  button: string;
  /** Red when it cannot simply be undone. */
  danger?: boolean;
  back: { href: string; label: string };
  /** What will happen, above the form: a summary, the texts that go, a warning. */
  children?: Child;
  /** Inside the form, above the button: an optional note to keep with the change. */
  extra?: Child;
}

/**
 * GOV.UK's confirmation before anything that cannot simply be undone: the page says what will
 * happen, the form carries what was chosen and `confirmed=yes`, and the way back changes nothing.
 * Every such question in the product is this page, so they read, sound and post alike.
 */
export function ConfirmPage(p: ConfirmProps) {
  return (
    <Layout title={p.title} user={p.user} csrf={p.csrf}>
      {p.children}
      <form novalidate method="post" action={p.action}>
        <Csrf token={p.csrf} />
        {Object.entries(p.fields ?? {}).flatMap(([name, value]) =>
          (Array.isArray(value) ? value : [value]).map((v) => <input type="hidden" name={name} value={v} />),
        )}
        <input type="hidden" name="confirmed" value="yes" />
        {p.extra}
        <p class="row">
          <button type="submit" class={p.danger ? 'danger' : undefined}>
            {p.button}
          </button>
          <a href={p.back.href}>{p.back.label}</a>
        </p>
      </form>
    </Layout>
  );
}
