import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { localDate, ukDate } from '../lib/time/time.js';
import { DateInput, readDateField } from '../web/forms/date-input.js';
import { Csrf, Layout, PostButton } from '../web/layout.js';
import { queuedWords, TextsToSend } from '../sms/pages/confirm-texts.js';
import { ErrorSummary, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/forms/form-errors.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { addClosure, closurePreview, listClosures, removeClosure } from './closures-service.js';
import { ClosureBody } from './closures-routes.js';
import { ReflowTable } from '../web/components/reflow-table.js';
import { ConfirmPage } from '../web/forms/confirm-page.js';
import { plural } from '../lib/numbers.js';
import { TextField } from '../web/forms/fields.js';

const fullDate = (d: string) => ukDate(d, true);
const scopeOf = (c: Context<WebEnv>) => ({
  practiceId: c.var.user.practiceId,
  timezone: c.var.user.timezone,
  horizonDays: c.var.config.horizonDays,
  templates: c.var.templates,
  userId: c.var.user.id,
});

const CLOSURE_FIELDS: FieldRules = [
  ['date', 'date', 'Enter the day the practice is closed as day, month and year, like 2 4 2027'],
  ['reason', 'reason', 'Keep the reason to one line of 200 characters'],
];

/** Days the practice is closed (bank holidays, training days): every session on one is cancelled and its people texted. */
export const closurePages = new Hono<WebEnv>()
  .get('/closures', pageRoles('admin', 'clp'), (c) => closuresPage(c, [], {}))
  .post('/closures', pageRoles('admin'), async (c) => {
    const f = await form(c);
    const values = { date: readDateField(f, 'date'), reason: str(f.reason) };
    const { user, db, clock } = c.var;
    const now = clock.now().getTime();
    // The API's own rules, then one only a person choosing a day needs: not a day gone.
    const parsed = ClosureBody.safeParse(values);
    const problems = parsed.success ? [] : problemsFor(parsed.error.issues, CLOSURE_FIELDS);
    if (parsed.success && parsed.data.date < localDate(now, user.timezone)) problems.push({ field: 'date', message: 'Choose today or a day still to come' });
    if (!parsed.success || problems.length) return closuresPage(c, problems, values, 400);
    const reason = parsed.data.reason;
    if (str(f.confirmed) !== 'yes') {
      const { sessions, texts } = await closurePreview(db, scopeOf(c), values.date, reason, now);
      return c.html(
        <ConfirmPage
          title={`Close the practice on ${fullDate(values.date)}?`}
          user={user}
          csrf={c.var.csrf}
          action="/closures"
          fields={{ date: values.date, reason: values.reason }}
          button={sessions.length ? `Close the day and send ${plural(texts.send.length, 'text')}` : 'Close the day'}
          danger
          back={{ href: '/closures', label: 'Go back without closing anything' }}
        >
          {sessions.length === 0 ? (
            <p>No group meets that day, so nobody is texted.</p>
          ) : (
            <>
              <p>These sessions will be cancelled:</p>
              <ul>
                {sessions.map((s) => (
                  <li>
                    {s.group_name}, {DateTime.fromMillis(s.starts_at, { zone: user.timezone }).toFormat('HH:mm')}
                  </li>
                ))}
              </ul>
              <TextsToSend preview={texts} />
            </>
          )}
        </ConfirmPage>,
      );
    }
    const { cancelled, texted } = await addClosure(db, clock, scopeOf(c), values.date, reason);
    const done = `Closed on ${fullDate(values.date)}. ${plural(cancelled, 'session')} cancelled; ${queuedWords(texted)}`;
    return c.redirect(`/closures?done=${encodeURIComponent(done)}`, 303);
  })
  .post('/closures/:id/remove', pageRoles('admin'), async (c) => {
    const f = await form(c);
    const id = Number(c.req.param('id')) || 0;
    const closure = (await listClosures(c.var.db, c.var.user.practiceId)).find((x) => x.id === id);
    if (!closure) return c.redirect('/closures', 303);
    if (str(f.confirmed) !== 'yes')
      return c.html(
        <ConfirmPage
          title={`Open again on ${fullDate(closure.date)}?`}
          user={c.var.user}
          csrf={c.var.csrf}
          action={`/closures/${id}/remove`}
          button="Open the day again"
          back={{ href: '/closures', label: 'Go back without changing anything' }}
        >
          <p>Sessions cancelled only because of the closure come back, and everyone in them is texted that they are back on.</p>
        </ConfirmPage>,
      );
    await removeClosure(c.var.db, c.var.clock, scopeOf(c), id);
    return c.redirect(`/closures?done=${encodeURIComponent(`Open again on ${fullDate(closure.date)}.`)}`, 303);
  });

async function closuresPage(c: Context<WebEnv>, problems: FieldProblem[], values: Record<string, string>, status: 200 | 400 = 200) {
  const { user, db, clock } = c.var;
  const today = localDate(clock.now().getTime(), user.timezone);
  const rows = (await listClosures(db, user.practiceId)).filter((x) => x.date >= today);
  return c.html(
    <Layout title={titleWith(problems, 'Days the practice is closed')} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      {rows.length === 0 ? (
        <p class="muted">No closed days to come.</p>
      ) : (
        <ReflowTable
          rows={rows}
          columns={[
            { heading: 'Day', cell: (x) => fullDate(x.date) },
            { heading: 'Reason', cell: (x) => x.reason ?? '–' },
            {
              heading: 'Action',
              unlabelled: true,
              hidden: user.role !== 'admin',
              cell: (x) => <PostButton action={`/closures/${x.id}/remove`} csrf={c.var.csrf} label="Open again" name={`Open again on ${fullDate(x.date)}`} />,
            },
          ]}
        />
      )}
      {user.role === 'admin' && (
        <>
          <h2>Close a day</h2>
          <form novalidate method="post" action="/closures">
            <Csrf token={c.var.csrf} />
            <DateInput name="date" legend="Day the practice is closed" hint="For example, 2 4 2027" value={values.date ?? ''} problems={problems} />
            <TextField
              name="reason"
              label="Reason (optional; it goes in the texts)"
              maxlength={200}
              placeholder="e.g. Easter bank holiday"
              value={values.reason ?? ''}
              problems={problems}
            />
            <p>
              <button type="submit">Check what closing it does</button>
            </p>
          </form>
        </>
      )}
    </Layout>,
    status,
  );
}
