import { Hono, type Context } from 'hono';
import { ErrorSummary, issuesOf, problemsFor, titleWith, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { Layout } from '../web/layout.js';
import { readDateField } from '../web/forms/date-input.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { AppError } from '../lib/errors.js';
import { localDate } from '../lib/time/time.js';
import { NewCredentialBody } from './credentials-routes.js';
import { CHECK_WORDS, dueWords } from './checks-due.js';
import { addCredential, credentialsDue, DUE_WITHIN_DAYS } from './credentials-service.js';
import { CheckForm, type CheckValues, LeaderCards, leadersAndChecks } from './leaders-screen.js';

const manage = pageRoles('admin', 'clp');

const RULES: FieldRules = [
  ['userId', 'userId', 'Choose whose check it is'],
  ['kind', 'kind-first_aid', 'Choose what kind of check it is'],
  ['label', 'label', 'Keep the name of the check to one line of 100 characters'],
  ['reference', 'reference', 'Keep the reference to one line of 100 characters'],
  ['validFrom', 'validFrom', 'Enter the date it was gained as day, month and year'],
  ['expiresOn', 'expiresOn', 'Enter the date it runs out as day, month and year, on or after the date it was gained, or leave it empty'],
];

type Values = CheckValues;
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
  const [people, due] = [await leadersAndChecks(db, user.practiceId), await credentialsDue(db, user, now)];
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
      <LeaderCards people={people} today={localDate(now, user.timezone)} />
      <h2 id="record">Record a check or training</h2>
      <CheckForm csrf={c.var.csrf} people={people} values={values} problems={problems} />
    </Layout>,
    status,
  );
}
