import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { getPractice, updatePractice } from '../practice/practice-service.js';
import { PracticeSettings } from '../practice/practice-routes.js';
import { ErrorSummary, problemsFor, titleWith, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, list, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { archivedEventCount, eraseInactive, inactiveParticipants } from './retention-service.js';
import { ConfirmPage } from '../web/forms/confirm-page.js';
import { TextField } from '../web/forms/fields.js';
import { plural } from '../lib/numbers.js';

const admin = pageRoles('admin');
/** The settings as typed (the threshold as a whole percentage), checked by the API's own rules. */
const Settings = z.object({
  retentionTextMonths: z.coerce.number().pipe(PracticeSettings.retentionTextMonths),
  retentionInactiveMonths: z.coerce.number().pipe(PracticeSettings.retentionInactiveMonths),
  retentionAuditMonths: z.coerce.number().pipe(PracticeSettings.retentionAuditMonths),
  attendanceThreshold: z.coerce
    .number()
    .int()
    .min(0)
    .max(100)
    .transform((percent) => percent / 100)
    .pipe(PracticeSettings.attendanceThreshold),
});

/** Keeping only what is needed: the practice's retention settings, and inactive people to erase after confirming. */
export const retentionPages = new Hono<WebEnv>()
  .get('/retention', admin, (c) => retentionPage(c, [], {}))
  .post('/retention/settings', admin, async (c) => {
    const f = await form(c);
    const values = {
      retentionTextMonths: str(f.retentionTextMonths),
      retentionInactiveMonths: str(f.retentionInactiveMonths),
      retentionAuditMonths: str(f.retentionAuditMonths),
      attendanceThreshold: str(f.attendanceThreshold),
    };
    const r = Settings.safeParse(values);
    // Every field with a problem is named, and what was typed stays in the form.
    if (!r.success) return retentionPage(c, problemsFor(r.error.issues, SETTINGS_FIELDS), values, 400);
    await updatePractice(c.var.db, c.var.user.practiceId, r.data);
    return c.redirect('/retention?done=Settings saved.', 303);
  })
  .post('/retention/confirm', admin, async (c) => {
    const f = await form(c);
    const ids = list(f.participantId).map(Number).filter(Boolean);
    return c.html(
      <ConfirmPage
        title={`Erase ${ids.length} people?`}
        user={c.var.user}
        csrf={c.var.csrf}
        action="/retention/erase"
        fields={{ participantId: ids.map(String) }}
        button={`Erase ${ids.length} people`}
        danger
        back={{ href: '/retention', label: 'Keep them' }}
      >
        <p>
          Their names, numbers, language, access needs, CHI numbers and the words of their texts will be erased for good. Their attendance stays, without a
          name, so the practice's figures do not change. This cannot be undone.
        </p>
      </ConfirmPage>,
    );
  })
  .post('/retention/erase', admin, async (c) => {
    const f = await form(c);
    const ids = [...new Set(list(f.participantId).map(Number).filter(Boolean))];
    const r = await eraseInactive(c.var.db, c.var.user, c.var.clock.now().getTime(), ids);
    return c.redirect(`/retention?done=${encodeURIComponent(`${r.erased} people erased.`)}`, 303);
  });

const SETTINGS_FIELDS: FieldRules = [
  ['retentionTextMonths', 'retentionTextMonths', 'Enter a whole number of months from 1 to 120'],
  ['retentionInactiveMonths', 'retentionInactiveMonths', 'Enter a whole number of months from 6 to 240'],
  ['retentionAuditMonths', 'retentionAuditMonths', 'Enter a whole number of months from 6 to 240'],
  ['attendanceThreshold', 'attendanceThreshold', 'Enter a percentage from 0 to 100'],
];

/** The settings form (with what was typed and its problems, after a refused save) and the people to erase. */
async function retentionPage(c: Context<WebEnv>, problems: FieldProblem[], values: Record<string, string>, status: 200 | 400 = 200) {
  const { db, user, clock } = c.var;
  const practice = await getPractice(db, user.practiceId);
  const inactive = await inactiveParticipants(db, user.practiceId, clock.now().getTime());
  const archived = await archivedEventCount(db, user.practiceId);
  const shown = {
    retentionTextMonths: values.retentionTextMonths ?? String(practice.retentionTextMonths),
    retentionInactiveMonths: values.retentionInactiveMonths ?? String(practice.retentionInactiveMonths),
    retentionAuditMonths: values.retentionAuditMonths ?? String(practice.retentionAuditMonths),
    attendanceThreshold: values.attendanceThreshold ?? String(Math.round(practice.attendanceThreshold * 100)),
  };
  return c.html(
    <Layout title={titleWith(problems, 'Keeping only what is needed')} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <form novalidate method="post" action="/retention/settings">
        <Csrf token={c.var.csrf} />
        <TextField
          name="retentionTextMonths"
          label="Blank the words of texts after (months)"
          inputmode="numeric"
          value={shown.retentionTextMonths}
          problems={problems}
        />
        <TextField
          name="retentionInactiveMonths"
          label="List people with no activity for (months)"
          inputmode="numeric"
          value={shown.retentionInactiveMonths}
          problems={problems}
        />
        <TextField
          name="retentionAuditMonths"
          label="Move audit events to the archive after (months)"
          hint={archiveHint(c.var.auditArchive !== undefined, archived)}
          inputmode="numeric"
          value={shown.retentionAuditMonths}
          problems={problems}
        />
        <TextField
          name="attendanceThreshold"
          label="Flag groups below this attendance rate (%)"
          inputmode="numeric"
          value={shown.attendanceThreshold}
          problems={problems}
        />
        <p>
          <button type="submit" class="secondary">
            Save settings
          </button>
        </p>
      </form>
      <h2>No activity for {practice.retentionInactiveMonths} months</h2>
      {inactive.length === 0 ? (
        <p class="muted">Nobody.</p>
      ) : (
        <form novalidate method="post" action="/retention/confirm">
          <Csrf token={c.var.csrf} />
          <ul>
            {inactive.map((p) => (
              <li>
                <input type="hidden" name="participantId" value={String(p.participant_id)} />
                {[p.given_name, p.family_name].filter(Boolean).join(' ')}: last activity{' '}
                {DateTime.fromMillis(p.last_activity, { zone: user.timezone }).setLocale('en-GB').toFormat('d LLLL yyyy')}
              </li>
            ))}
          </ul>
          <button type="submit" class="danger">
            Erase these {inactive.length} people…
          </button>
        </form>
      )}
    </Layout>,
    status,
  );
}

/** What the admin needs to know before changing when audit events leave the database. */
function archiveHint(connected: boolean, archived: number): string {
  const held = archived > 0 ? ` ${plural(archived, 'event')} archived so far.` : '';
  if (!connected) return `No archive is connected to this server, so audit events stay in the database.${held}`;
  return `Still found for a subject-access request and in the audit log, read back from the archive.${held}`;
}
