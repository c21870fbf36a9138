import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { signIn } from '../auth/auth-middleware.js';
import { AppError } from '../lib/errors.js';
import { Secret, Text } from '../lib/schemas.js';
import { parseOrThrow } from '../lib/validate.js';
import { finishPasswordReset } from './password-reset.js';
import { bootstrapAdmin } from './users-service.js';
import { describerFor, ErrorSummary, FieldError, problemsFor, titleWith, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { Layout } from '../web/layout.js';

const SetupBody = z.object({
  practiceName: Text(200),
  name: Text(200),
  email: z.email().max(320),
  password: Secret(1000, 10).refine((p) => p.length >= 10, 'must be at least 10 characters'),
});

const field = (body: Record<string, unknown>, k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');

const SETUP_RULES: FieldRules = [
  ['practiceName', 'practiceName', 'Enter the practice name'],
  ['name', 'name', 'Enter your name'],
  ['email', 'email', 'Enter your email address, like name@example.nhs.scot'],
  ['password', 'password', 'Enter a password of at least 10 characters'],
];

function SetupForm(p: { code: string; problems?: FieldProblem[]; values?: Record<string, string> }) {
  const v = p.values ?? {};
  const problems = p.problems ?? [];
  const describedBy = describerFor(problems);
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  return (
    <Layout title={titleWith(problems, 'Set up Community Links Groups')}>
      <ErrorSummary problems={problems} />
      <p>Create the first practice and its admin. You will also run the programme: you add the other practices.</p>
      <form novalidate method="post" action="/setup">
        <input type="hidden" name="code" value={p.code} />
        <label for="practiceName">Practice name</label>
        {err('practiceName')}
        <input id="practiceName" name="practiceName" required maxlength={200} value={v.practiceName ?? ''} aria-describedby={describedBy('practiceName')} />
        <label for="name">Your name</label>
        {err('name')}
        <input id="name" name="name" required maxlength={200} autocomplete="name" value={v.name ?? ''} aria-describedby={describedBy('name')} />
        <label for="email">Your email</label>
        {err('email')}
        <input id="email" name="email" type="email" required autocomplete="username" value={v.email ?? ''} aria-describedby={describedBy('email')} />
        <label for="password">Password (at least 10 characters)</label>
        {err('password')}
        <input id="password" name="password" type="password" required minlength={10} autocomplete="new-password" aria-describedby={describedBy('password')} />
        <p>
          <button type="submit">Create and sign in</button>
        </p>
      </form>
    </Layout>
  );
}

/**
 * First run without reading code: while the database has no users, the one-time link printed at
 * start-up (or, on Workers, made from the SETUP_CODE secret) creates the first admin and practice.
 * Once anyone exists the link is dead. Also the page where someone sets a password from a reset code.
 */
export const setupPages = new Hono<AppEnv>()
  .get('/setup', async (c) => {
    const code = c.req.query('code') ?? '';
    await checkSetup(c.var, code);
    return c.html(<SetupForm code={code} />);
  })
  .post('/setup', async (c) => {
    const body = await c.req.parseBody();
    const code = field(body, 'code');
    // The code is checked here; whether setup is done, by bootstrapAdmin's guard in the same transaction.
    checkCode(c.var, code);
    const values = { practiceName: field(body, 'practiceName'), name: field(body, 'name'), email: field(body, 'email'), password: String(body.password ?? '') };
    const parsed = SetupBody.safeParse(values);
    if (!parsed.success) {
      // The password is never sent back: the page asks for it again.
      return c.html(<SetupForm code={code} problems={problemsFor(parsed.error.issues, SETUP_RULES)} values={{ ...values, password: '' }} />, 400);
    }
    const input = parsed.data;
    const made = await bootstrapAdmin(
      c.var.db,
      c.var.clock,
      { email: input.email, password: input.password, name: input.name, practiceName: input.practiceName },
      c.var.config.passwordIterations,
    );
    // Another submission made it first (a double click): the same person simply signs in below;
    // anyone else is told the server is set up, since the login refuses them.
    if (!made && !(await c.var.db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst()))
      throw new AppError('not_found', 'This server is already set up: sign in instead');
    await signIn(c, input.email, input.password);
    return c.redirect('/today', 303);
  })
  .get('/reset-password', (c) =>
    c.html(
      <Layout title="Choose a new password">
        <form novalidate method="post" action="/reset-password">
          <input type="hidden" name="code" value={c.req.query('code') ?? ''} />
          <label for="password">New password (at least 10 characters)</label>
          <input id="password" name="password" type="password" required minlength={10} autocomplete="new-password" />
          <p>
            <button type="submit">Set password</button>
          </p>
        </form>
      </Layout>,
    ),
  )
  .post('/reset-password', async (c) => {
    const body = await c.req.parseBody();
    const input = parseOrThrow(z.object({ code: Text(100), password: SetupBody.shape.password }), {
      code: field(body, 'code'),
      password: String(body.password ?? ''),
    });
    await finishPasswordReset(c.var.db, c.var.clock, input.code, input.password, c.var.config.passwordIterations);
    return c.redirect('/login', 303);
  });

async function checkSetup(v: AppEnv['Variables'], code: string): Promise<void> {
  if (await v.db.selectFrom('setup_done').select('id').executeTakeFirst()) throw new AppError('not_found', 'This server is already set up: sign in instead');
  checkCode(v, code);
}

function checkCode(v: AppEnv['Variables'], code: string): void {
  // Workers prints nothing at start: there the code only exists if someone set the secret.
  if (!v.config.setupCode)
    throw new AppError(
      'forbidden',
      'This server has no setup code yet: set one as the SETUP_CODE secret (wrangler secret put SETUP_CODE), then open /setup?code= followed by it',
    );
  if (code !== v.config.setupCode)
    throw new AppError('forbidden', 'This setup link is not valid: use the one npm start printed, or /setup?code= followed by the SETUP_CODE you set');
}
