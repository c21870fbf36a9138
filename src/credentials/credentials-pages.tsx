import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { describerFor, ErrorSummary, FieldError, issuesOf, problemsFor, titleWith, type FieldProblem, type FieldRules } from '../web/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { DateInput, readDateField } from '../web/date-input.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { AppError } from '../lib/errors.js';
import { addDays, localDate } from '../lib/time.js';
import { NewCredentialBody } from './credentials-routes.js';
import { CHECK_WORDS, dueWords } from './checks-due.js';
import { addCredential, covers, CREDENTIAL_KINDS, credentialsDue, DUE_WITHIN_DAYS } from './credentials-service.js';

const manage = pageRoles('admin', 'clp');

const RULES: FieldRules = [
  ['userId', 'userId', 'Choose whose check it is'],
  ['kind', 'kind-first_aid', 'Choose what kind of check it is'],
  ['label', 'label', 'Keep the name of the check to one line of 100 characters'],
  ['reference', 'reference', 'Keep the reference to one line of 100 characters'],
  ['validFrom', 'validFrom', 'Enter the date it was gained as day, month and year'],
  ['expiresOn', 'expiresOn', 'Enter the date it runs out as day, month and year, on or after the date it was gained, or leave it empty'],
];

const longDate = (iso: string) => DateTime.fromISO(iso).setLocale('en-GB').toFormat('d LLLL yyyy');

type Values = { userId: string; kind: string; label: string; reference: string; validFrom: string; expiresOn: string };
const EMPTY: Values = { userId: '', kind: '', label: '', reference: '', validFrom: '', expiresOn: '' };

/** Leaders and their checks: who leads which group, what they hold, what runs out soon (admins and CLPs). */
export const credentialPages = new Hono<WebEnv>()
  .get('/leaders', manage, (c) => leadersPage(c, EMPTY, []))
  .post('/leaders/checks', manage, async (c) => {
    const f = await form(c);
    const values: Values = {
      userId: str(f.userId),
      kind: str(f.kind),
      label: str(f.label),
      reference: str(f.reference),
      validFrom: readDateField(f, 'validFrom'),
      expiresOn: readDateField(f, 'expiresOn'),
    };
    const parsed = NewCredentialBody.safeParse({
      kind: values.kind || undefined,
      label: values.label || null,
      reference: values.reference || null,
      validFrom: values.validFrom,
      expiresOn: values.expiresOn || null,
    });
    const userId = Number(values.userId) || 0;
    const problems = parsed.success ? [] : problemsFor(parsed.error.issues, RULES);
    if (!userId) problems.unshift({ field: 'userId', message: 'Choose whose check it is' });
    if (!parsed.success || problems.length) return leadersPage(c, values, problems, 400);
    const { db, user, clock } = c.var;
    try {
      await addCredential(db, user, clock.now().getTime(), userId, parsed.data);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'invalid_input' || err.code === 'not_found')) {
        return leadersPage(
          c,
          values,
          err.code === 'not_found' ? [{ field: 'userId', message: 'Choose whose check it is' }] : problemsFor(issuesOf(err), RULES),
          400,
        );
      }
      throw err;
    }
    return c.redirect(`/leaders?done=${encodeURIComponent(`${CHECK_WORDS[parsed.data.kind]} recorded.`)}#checks`, 303);
  });

async function leadersPage(c: Context<WebEnv>, values: Values, problems: FieldProblem[], status: 200 | 400 = 200) {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const today = localDate(now, user.timezone);
  const soon = addDays(today, DUE_WITHIN_DAYS);
  // Leaders, and anyone else who leads a group or holds a check: the people a walk depends on.
  const people = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'm.role'])
    .where('m.practice_id', '=', user.practiceId)
    .where('m.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('m.role', '=', 'leader'),
        eb.exists(
          eb
            .selectFrom('group_facilitators as f')
            .innerJoin('community_groups as g', 'g.id', 'f.group_id')
            .select('f.group_id')
            .whereRef('f.user_id', '=', 'u.id')
            .where('g.practice_id', '=', user.practiceId),
        ),
        eb.exists(eb.selectFrom('credentials as c').select('c.id').whereRef('c.user_id', '=', 'u.id').where('c.practice_id', '=', user.practiceId)),
      ]),
    )
    .orderBy('u.name')
    .execute();
  const ids = people.map((p) => p.id);
  const checks = ids.length
    ? await db
        .selectFrom('credentials')
        .selectAll()
        .where('practice_id', '=', user.practiceId)
        .where('user_id', 'in', ids)
        .orderBy('kind')
        .orderBy('valid_from', 'desc')
        .execute()
    : [];
  const leads = ids.length
    ? await db
        .selectFrom('group_facilitators as f')
        .innerJoin('community_groups as g', 'g.id', 'f.group_id')
        .select(['f.user_id', 'g.name'])
        .where('g.practice_id', '=', user.practiceId)
        .where('f.user_id', 'in', ids)
        .where('g.status', '!=', 'archived')
        .orderBy('g.name')
        .execute()
    : [];
  const due = await credentialsDue(db, user, now);
  const state = (c: { valid_from: string; expires_on: string | null }) =>
    c.expires_on !== null && c.expires_on < today
      ? 'Ran out'
      : !covers(c, today)
        ? 'Not yet valid'
        : c.expires_on !== null && c.expires_on < soon
          ? 'Runs out soon'
          : 'Valid';
  const described = describerFor(problems);
  return c.html(
    <Layout title={titleWith(problems, 'Leaders and their checks')} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p>
        Volunteer walk leaders and partner staff who lead groups: their first aid, training and PVG membership. A group that needs first aid is flagged on Today
        when none of its leaders holds it on the day.
      </p>
      <div id="checks">
        <h2>Run out, or running out within {DUE_WITHIN_DAYS} days</h2>
        {due.length === 0 ? (
          <p class="muted">Nothing runs out in the next {DUE_WITHIN_DAYS} days.</p>
        ) : (
          <ul>
            {due.map((d) => (
              <li>{dueWords(d)}</li>
            ))}
          </ul>
        )}
      </div>
      <h2>People</h2>
      {people.length === 0 ? (
        <p class="muted">
          Nobody leads a group yet. An admin adds a leader on the <a href="/users">users page</a> with the role "leader"; then choose them as a group's
          facilitator.
        </p>
      ) : (
        <ul class="cards">
          {people.map((p) => {
            const mine = checks.filter((c) => c.user_id === p.id);
            const groups = leads.filter((l) => l.user_id === p.id).map((l) => l.name);
            return (
              <li>
                <strong>{p.name}</strong> <span class="muted">({p.role})</span>
                <br />
                {groups.length ? `Leads: ${groups.join(', ')}` : 'Leads no group yet'}
                {mine.length === 0 ? (
                  <p class="muted">No checks recorded.</p>
                ) : (
                  <ul>
                    {mine.map((c) => (
                      <li>
                        {CHECK_WORDS[c.kind]}
                        {c.label ? ` (${c.label})` : ''}: from {longDate(c.valid_from)}
                        {c.expires_on ? ` to ${longDate(c.expires_on)}` : ''} · <strong>{state(c)}</strong>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <h2 id="record">Record a check or training</h2>
      <form novalidate method="post" action="/leaders/checks">
        <Csrf token={c.var.csrf} />
        <label for="userId">Whose</label>
        <FieldError field="userId" problems={problems} />
        <select id="userId" name="userId" aria-describedby={described('userId')}>
          <option value="">Choose someone</option>
          {people.map((p) => (
            <option value={String(p.id)} selected={values.userId === String(p.id)}>
              {p.name}
            </option>
          ))}
        </select>
        <fieldset aria-describedby={described('kind-first_aid')}>
          <legend>What</legend>
          <FieldError field="kind-first_aid" problems={problems} />
          {CREDENTIAL_KINDS.map((k) => (
            <label class="check">
              <input type="radio" id={`kind-${k}`} name="kind" value={k} checked={values.kind === k} /> {CHECK_WORDS[k]}
            </label>
          ))}
        </fieldset>
        <label for="label">Name of the course or check (optional)</label>
        <FieldError field="label" problems={problems} />
        <input
          id="label"
          name="label"
          maxlength={100}
          value={values.label}
          placeholder="e.g. Emergency First Aid at Work"
          aria-describedby={described('label')}
        />
        <label for="reference">Certificate or PVG scheme number (optional)</label>
        <FieldError field="reference" problems={problems} />
        <input id="reference" name="reference" maxlength={100} value={values.reference} aria-describedby={described('reference')} />
        <DateInput name="validFrom" legend="Gained on" hint="For example, 14 9 2026" value={values.validFrom} problems={problems} />
        <DateInput
          name="expiresOn"
          legend="Runs out on (optional)"
          hint="First aid usually lasts 3 years. Leave empty if it does not run out."
          value={values.expiresOn}
          problems={problems}
        />
        <p>
          <button type="submit">Record the check</button>
        </p>
      </form>
    </Layout>,
    status,
  );
}
