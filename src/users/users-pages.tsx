import { Hono, type Context } from 'hono';
import { ErrorSummary, issuesOf, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/forms/form-errors.js';
import type { Role } from '../db/schema.js';
import { Csrf, Layout, PostButton } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { startPasswordReset } from './password-reset.js';
import { NewUserBody } from './users-routes.js';
import { createUser, listUsers, updateUser } from './users-service.js';
import { AppError, notFound } from '../lib/errors.js';
import { credentialsDue } from '../credentials/credentials-service.js';
import { ChecksDue } from '../credentials/checks-due.js';
import { ReflowTable } from '../web/components/reflow-table.js';
import { Radios, TextField } from '../web/forms/fields.js';
import { ConfirmPage } from '../web/forms/confirm-page.js';

const admin = pageRoles('admin');
const ROLES: [Role, string][] = [
  ['admin', 'Admin: everything, including users and erasure'],
  ['clp', 'CLP: groups, participants, registers, texts'],
  ['staff', 'Staff: groups and calendars only'],
  ['leader', 'Group leader (a volunteer or partner): only the groups they lead, their registers with given names and initials'],
];
const id = (v: string | undefined) => Number(v) || 0;

/** Users of this practice: list, add (or add an existing account), change role, disable, reset a password. */
export const usersPages = new Hono<WebEnv>()
  .get('/users', admin, (c) => usersPage(c, [], {}))
  .post('/users', admin, async (c) => {
    const f = await form(c);
    const values = { email: str(f.email), name: str(f.name), role: str(f.role) };
    const parsed = NewUserBody.safeParse({ ...values, password: str(f.password) || undefined });
    if (!parsed.success) return usersPage(c, problemsFor(parsed.error.issues, USER_FIELDS), values, 400);
    let u;
    try {
      u = await createUser(c.var.db, c.var.clock, c.var.user.practiceId, parsed.data, c.var.config.passwordIterations);
    } catch (err) {
      // A rule only the service can check (a new account needs a password; already a member here):
      // the form again, with the problem beside its field and what was typed kept.
      if (!(err instanceof AppError) || (err.code !== 'invalid_input' && err.code !== 'conflict')) throw err;
      const problems =
        err.code === 'conflict'
          ? [{ field: 'email', message: `${values.email} already works in ${c.var.user.practiceName}: change their role in the list above` }]
          : problemsFor(issuesOf(err), USER_FIELDS);
      return usersPage(c, problems, values, 400);
    }
    return c.redirect(`/users?done=${encodeURIComponent(`${u.name} can now sign in to ${c.var.user.practiceName} as ${u.role}.`)}`, 303);
  })
  .post('/users/:id/role', admin, async (c) => {
    const f = await form(c);
    const role = str(f.role) as Role;
    if (!ROLES.some(([r]) => r === role)) return c.redirect('/users', 303);
    const u = await updateUser(c.var.db, c.var.clock, c.var.user, id(c.req.param('id')), { role });
    return c.redirect(`/users?done=${encodeURIComponent(`${u.name} is now ${u.role}.`)}`, 303);
  })
  .post('/users/:id/disable', admin, async (c) => {
    const f = await form(c);
    if (str(f.confirmed) !== 'yes') {
      // Disabling signs them out at once: ask first, as for anything that cannot simply be undone.
      const who = (await listUsers(c.var.db, c.var.user.practiceId, { includeDisabled: true })).find((x) => x.id === id(c.req.param('id')));
      if (!who) throw notFound('User');
      return c.html(
        <ConfirmPage
          title={`Disable ${who.name}?`}
          user={c.var.user}
          csrf={c.var.csrf}
          action={`/users/${who.id}/disable`}
          button={`Disable ${who.name}`}
          danger
          back={{ href: '/users', label: 'Keep them' }}
        >
          <p>
            {who.name} ({who.email}) will be signed out of {c.var.user.practiceName} at once, on every device, and cannot sign in here until an admin enables
            them again. Their registers and texts stay.
          </p>
        </ConfirmPage>,
      );
    }
    const u = await updateUser(c.var.db, c.var.clock, c.var.user, id(c.req.param('id')), { disabled: true });
    return c.redirect(`/users?done=${encodeURIComponent(`${u.name} is disabled here and signed out of this practice.`)}`, 303);
  })
  .post('/users/:id/enable', admin, async (c) => {
    await form(c);
    const u = await updateUser(c.var.db, c.var.clock, c.var.user, id(c.req.param('id')), { disabled: false });
    return c.redirect(`/users?done=${encodeURIComponent(`${u.name} can sign in again.`)}`, 303);
  })
  .post('/users/:id/sign-in', admin, async (c) => {
    const f = await form(c);
    const nhsOnly = str(f.nhsOnly) === 'yes';
    const u = await updateUser(c.var.db, c.var.clock, c.var.user, id(c.req.param('id')), { nhsOnly });
    const done = nhsOnly
      ? `${u.name} now signs in with their NHS account only: their password no longer works.`
      : `${u.name} may sign in with a password again.`;
    return c.redirect(`/users?done=${encodeURIComponent(done)}`, 303);
  })
  .post('/users/:id/reset', admin, async (c) => {
    await form(c);
    const r = await startPasswordReset(c.var.db, c.var.clock, c.var.user, id(c.req.param('id')));
    const url = `${c.var.config.publicBaseUrl}/reset-password?code=${r.code}`;
    return c.html(
      <Layout title="Password reset link" user={c.var.user} csrf={c.var.csrf}>
        <p>Give this link to {r.email} in person or by phone. It works once, for 24 hours; their other sessions end when they use it. It is shown only now.</p>
        <p>
          <code class="wrap">{url}</code>
        </p>
        <p>
          <a href="/users">Back to users</a>
        </p>
      </Layout>,
    );
  });

const USER_FIELDS: FieldRules = [
  ['email', 'email', 'Enter their email address, like name@nhs.scot'],
  ['name', 'name', 'Enter their name, on one line, up to 200 characters'],
  ['role', 'role-admin', 'Choose a role'],
  ['password', 'password', 'A new account needs a password of at least 10 characters (leave it empty for someone who already has an account)'],
];

async function usersPage(c: Context<WebEnv>, problems: FieldProblem[], values: Record<string, string>, status: 200 | 400 = 200) {
  const { db, user } = c.var;
  const rows = await listUsers(db, user.practiceId, { includeDisabled: true });
  const due = await credentialsDue(db, user, c.var.clock.now().getTime());
  const nhs = c.var.config.oidc !== undefined;
  return c.html(
    <Layout title={titleWith(problems, `Users of ${user.practiceName}`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ChecksDue due={due} />
      <ReflowTable
        rows={rows}
        columns={[
          { heading: 'Name', cell: (u) => u.name },
          { heading: 'Email', cell: (u) => u.email },
          { heading: 'Role', unlabelled: true, cell: (u) => <RoleForm u={u} csrf={c.var.csrf} /> },
          {
            heading: 'Signs in with',
            cell: (u) => (
              <>
                {u.nhs_only === 1 ? 'NHS account only' : 'Password'}
                {u.oidc_subject !== null ? (u.nhs_only === 1 ? ' (linked)' : ' or NHS account (linked)') : ''}{' '}
                {nhs && u.id !== user.id && (
                  <form novalidate method="post" action={`/users/${u.id}/sign-in`} class="inline">
                    <Csrf token={c.var.csrf} />
                    <input type="hidden" name="nhsOnly" value={u.nhs_only === 1 ? '' : 'yes'} />
                    <button type="submit" class="secondary" aria-label={`${u.nhs_only === 1 ? 'Allow a password for' : 'NHS account only for'} ${u.name}`}>
                      {u.nhs_only === 1 ? 'Allow a password' : 'NHS account only'}
                    </button>
                  </form>
                )}
              </>
            ),
          },
          {
            heading: 'Access',
            cell: (u) => (
              <>
                {u.disabled_at !== null ? 'Disabled' : 'Can sign in'}{' '}
                {u.id !== user.id && (
                  <>
                    <PostButton
                      action={`/users/${u.id}/${u.disabled_at !== null ? 'enable' : 'disable'}`}
                      csrf={c.var.csrf}
                      label={u.disabled_at !== null ? 'Enable' : 'Disable'}
                      name={`${u.disabled_at !== null ? 'Enable' : 'Disable'} ${u.name}`}
                    />{' '}
                    <PostButton action={`/users/${u.id}/reset`} csrf={c.var.csrf} label="Reset password" name={`Reset password for ${u.name}`} />
                  </>
                )}
              </>
            ),
          },
        ]}
      />
      <AddUserForm csrf={c.var.csrf} values={values} problems={problems} />
    </Layout>,
    status,
  );
}

/** Adding someone: a new account with a password, or someone from another practice who keeps theirs. */
function AddUserForm(p: { csrf: string; values: Record<string, string>; problems: FieldProblem[] }) {
  const { values, problems } = p;
  return (
    <>
      <h2 id="add">Add a user</h2>
      <ErrorSummary problems={problems} />
      <p>Someone who already works in another practice keeps their password: leave it empty.</p>
      <form novalidate method="post" action="/users">
        <Csrf token={p.csrf} />
        <TextField name="email" label="Email" type="email" autocomplete="off" value={values.email ?? ''} problems={problems} />
        <TextField name="name" label="Name" maxlength={200} value={values.name ?? ''} problems={problems} />
        <Radios name="role" legend="Role" options={ROLES} chosen={values.role || 'clp'} problems={problems} />
        <TextField
          name="password"
          label="Password for a new account (at least 10 characters)"
          type="password"
          autocomplete="new-password"
          value=""
          problems={problems}
        />
        <p>
          <button type="submit">Add user</button>
        </p>
      </form>
    </>
  );
}

/** A user's role, changed in place. */
function RoleForm(p: { u: { id: number; name: string; role: string }; csrf: string }) {
  const u = p.u;
  return (
    <form novalidate method="post" action={`/users/${u.id}/role`} class="inline">
      <Csrf token={p.csrf} />
      <label for={`role-${u.id}`} class="visually-hidden">{`Role of ${u.name}`}</label>
      <select id={`role-${u.id}`} name="role">
        {ROLES.map(([value]) => (
          <option value={value} selected={u.role === value}>
            {value}
          </option>
        ))}
      </select>{' '}
      <button type="submit" class="secondary">
        Change role
      </button>
    </form>
  );
}
