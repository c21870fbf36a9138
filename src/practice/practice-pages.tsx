import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { membershipsOf, switchPractice } from '../auth/auth-service.js';
import { Text } from '../lib/schemas.js';
import { Csrf, Layout } from '../web/layout.js';
import { ErrorSummary, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/forms/form-errors.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { PracticeCodeText, PracticeSettings } from './practice-routes.js';
import { getPractice, updatePractice } from './practice-service.js';
import { TextField } from '../web/forms/fields.js';

/** The settings page's fields, checked with the API's own rules; the threshold is typed as a percentage. */
const SettingsForm = z.object({ name: Text(200), code: PracticeCodeText, threshold: z.coerce.number().int().min(0).max(100) });
const SETTINGS_FIELDS: FieldRules = [
  ['name', 'name', 'Give the practice a name (up to 200 characters, one line)'],
  ['code', 'code', 'Use up to 20 letters, digits and dashes for the practice code'],
  ['threshold', 'threshold', 'Give the attendance threshold as a whole number from 0 to 100'],
];

/** The practices a person works in, to switch between: a session acts in one at a time. */
export const practicePages = new Hono<WebEnv>()
  .get('/practices', async (c) => {
    const { db, user } = c.var;
    const rows = await membershipsOf(db, user.id);
    return c.html(
      <Layout title="Your practices" user={user} csrf={c.var.csrf}>
        <p>You are working in {user.practiceName}.</p>
        <ul class="plain">
          {rows.map((p) => (
            <li>
              {p.id === user.practiceId ? (
                <strong>
                  {p.name} ({p.role}, current)
                </strong>
              ) : (
                <form novalidate method="post" action="/practices/switch" class="inline">
                  <Csrf token={c.var.csrf} />
                  <input type="hidden" name="practiceId" value={String(p.id)} />
                  <button type="submit" class="secondary">{`Work in ${p.name} (${p.role})`}</button>
                </form>
              )}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  })
  .get('/practice/settings', pageRoles('admin'), async (c) => settingsPage(c, [], null))
  .post('/practice/settings', pageRoles('admin'), async (c) => {
    const f = await form(c);
    const values = { name: str(f.name), code: str(f.code), threshold: str(f.threshold), outcomeTexts: str(f.outcomeTexts) };
    const parsed = SettingsForm.safeParse(values);
    if (!parsed.success) return settingsPage(c, problemsFor(parsed.error.issues, SETTINGS_FIELDS), values, 400);
    const threshold = PracticeSettings.attendanceThreshold.parse(parsed.data.threshold / 100);
    await updatePractice(c.var.db, c.var.user.practiceId, {
      name: parsed.data.name,
      code: parsed.data.code || null,
      attendanceThreshold: threshold,
      outcomeTexts: values.outcomeTexts === 'yes',
    });
    return c.redirect('/practice/settings?done=Saved.', 303);
  })
  .post('/practices/switch', async (c) => {
    const f = await form(c);
    const user = await switchPractice(c.var.db, c.var.user, Number(str(f.practiceId)) || 0);
    return c.redirect(user.role === 'staff' ? '/groups' : '/today', 303);
  });

async function settingsPage(c: Context<WebEnv>, problems: FieldProblem[], typed: Record<string, string> | null, status: 200 | 400 = 200) {
  const p = await getPractice(c.var.db, c.var.user.practiceId);
  const v = typed ?? {
    name: p.name,
    code: p.code ?? '',
    threshold: String(Math.round(p.attendanceThreshold * 100)),
    outcomeTexts: p.outcomeTexts ? 'yes' : '',
  };
  return c.html(
    <Layout title={titleWith(problems, 'Practice settings')} user={c.var.user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <form novalidate method="post" action="/practice/settings">
        <Csrf token={c.var.csrf} />
        <TextField name="name" label="Practice name" maxlength={200} value={v.name ?? ''} problems={problems} />
        <TextField
          name="code"
          label="Practice code (for the Links Worker Programme's monitoring returns)"
          maxlength={20}
          value={v.code ?? ''}
          problems={problems}
        />
        <TextField
          name="threshold"
          label="Attendance threshold, in % (groups below it are flagged in the impact report)"
          inputmode="numeric"
          value={v.threshold ?? ''}
          problems={problems}
        />
        <label class="check">
          <input type="checkbox" name="outcomeTexts" value="yes" checked={v.outcomeTexts === 'yes'} /> Ask people who agreed how happy they felt yesterday, by
          text (0 to 10), when they are given a place and 8 weeks later, whether or not they still come
        </label>
        <p>
          <button type="submit">Save settings</button>
        </p>
      </form>
      <p>
        Also: <a href="/closures">days the practice is closed</a> · <a href="/texts">texts and the monthly budget</a> ·{' '}
        <a href="/retention">keeping only what is needed</a>
      </p>
    </Layout>,
    status,
  );
}
