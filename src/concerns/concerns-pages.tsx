import { Hono, type Context } from 'hono';
import { concernExport } from './concern-export.js';
import { concernExportPage } from './concern-export-page.js';
import { problemsFor, type FieldRules } from '../web/forms/form-errors.js';
import { Layout } from '../web/layout.js';
import { StateFilter } from '../web/components/state-filter.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { AppError } from '../lib/errors.js';
import { issuesOf } from '../web/forms/form-errors.js';
import { NewConcernBody } from './concerns-routes.js';
import { CONCERN_STATUSES, listConcerns, raiseConcern, updateConcern, type ConcernView } from './concerns-service.js';
import { ConcernList, newConcernPage, concernPage } from './concern-screens.js';
import { STATUS_WORDS, type FormValues } from './concern-words.js';

const raisers = pageRoles('admin', 'clp', 'leader');
export const manage = pageRoles('admin', 'clp');

export const RULES: FieldRules = [
  ['kind', 'kind-wellbeing', 'Choose what kind of concern it is'],
  ['urgency', 'urgency-today', 'Choose how soon a CLP should act'],
  ['text', 'text', 'Say what you saw or were told, in up to 2000 characters'],
  ['participantId', 'participantId', 'Choose someone from the list, or nobody in particular'],
  ['sessionId', 'participantId', 'Raise it from the session it happened at'],
];

/** Concerns and incidents: raised from the register by leaders and CLPs, acted on by the practice's CLPs. */
export const concernPages = new Hono<WebEnv>()
  .get('/concerns', raisers, async (c) => {
    const { db, user, clock } = c.var;
    const status = CONCERN_STATUSES.find((s) => s === c.req.query('status'));
    const rows = await listConcerns(db, user, clock.now().getTime(), status);
    const leader = user.role === 'leader';
    return c.html(
      <Layout title="Concerns" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p>
          {leader
            ? 'The concerns you raised, and what the CLPs did. To raise one, open the session or its register.'
            : 'What leaders and CLPs saw at the groups. Acknowledge a concern when you take it on; close it with a note of what was done.'}{' '}
          Concerns are never sent by text.
        </p>
        <StateFilter label="Concerns by state" path="/concerns" states={CONCERN_STATUSES} words={STATUS_WORDS} current={status} />
        {rows.length === 0 ? (
          <p class="muted">No concerns{status ? ` ${STATUS_WORDS[status].toLowerCase()}` : ''}.</p>
        ) : (
          <ConcernList rows={rows} zone={user.timezone} />
        )}
      </Layout>,
    );
  })
  .get('/concerns/new', raisers, (c) => newConcernPage(c, { participantId: c.req.query('participantId') ?? '', kind: '', urgency: '', text: '' }, []))
  .post('/concerns', raisers, async (c) => {
    const f = await form(c);
    const values: FormValues = { participantId: str(f.participantId), kind: str(f.kind), urgency: str(f.urgency), text: str(f.text), from: str(f.from) };
    const sessionId = Number(str(f.sessionId)) || null;
    const parsed = NewConcernBody.safeParse({
      sessionId,
      participantId: values.participantId ? Number(values.participantId) : null,
      kind: values.kind || undefined,
      urgency: values.urgency || undefined,
      text: values.text,
    });
    if (!parsed.success) return newConcernPage(c, values, problemsFor(parsed.error.issues, RULES), 400, sessionId);
    const { db, user, clock } = c.var;
    let raised: ConcernView;
    try {
      raised = await raiseConcern(db, user, clock.now().getTime(), parsed.data);
    } catch (err) {
      // Someone erased meanwhile: said beside the list of people, with what was typed kept.
      if (err instanceof AppError && err.code === 'conflict') return newConcernPage(c, values, problemsFor(issuesOf(err), RULES, true), 409, sessionId);
      throw err;
    }
    const done = encodeURIComponent(`Concern raised: the practice's CLPs will see it${parsed.data.urgency === 'today' ? ' today' : ''}.`);
    return c.redirect(values.from === 'register' && sessionId ? `/sessions/${sessionId}/register?done=${done}` : `/concerns/${raised.id}?done=${done}`, 303);
  })
  .get('/concerns/:id', raisers, (c) => concernPage(c, []))
  .post('/concerns/:id/acknowledge', manage, async (c) => {
    await form(c);
    const { db, user, clock } = c.var;
    const id = Number(c.req.param('id')) || 0;
    await updateConcern(db, user, clock.now().getTime(), id, { status: 'acknowledged', note: null });
    return c.redirect(`/concerns/${id}?done=${encodeURIComponent('Acknowledged: the others can see you have it.')}`, 303);
  })
  .post('/concerns/:id/close', manage, async (c) => {
    const f = await form(c);
    const { db, user, clock } = c.var;
    const id = Number(c.req.param('id')) || 0;
    const note = str(f.note);
    if (!note) return concernPage(c, [{ field: 'note', message: 'Say what was done: a note is needed to close a concern' }], 400);
    if (note.length > 2000) return concernPage(c, [{ field: 'note', message: 'Keep the note to 2000 characters' }], 400, note);
    await updateConcern(db, user, clock.now().getTime(), id, { status: 'closed', note });
    return c.redirect(`/concerns/${id}?done=${encodeURIComponent('Closed, with your note.')}`, 303);
  })
  .post('/concerns/:id/note', manage, (c) => noteOrReopen(c, 'add-note'))
  .post('/concerns/:id/reopen', manage, (c) => noteOrReopen(c, 'reopen-note'))
  .get('/concerns/:id/export', manage, async (c) => {
    const { db, user, clock } = c.var;
    return concernExportPage(c, await concernExport(db, user, clock.now().getTime(), Number(c.req.param('id')) || 0));
  });

/** A note added to the record, or a closed concern reopened with one: the note is needed either way. */
async function noteOrReopen(c: Context<WebEnv>, field: 'add-note' | 'reopen-note') {
  const f = await form(c);
  const { db, user, clock } = c.var;
  const id = Number(c.req.param('id')) || 0;
  const note = str(f.note);
  const reopen = field === 'reopen-note';
  if (!note) return concernPage(c, [{ field, message: reopen ? 'Say why it is reopened' : 'Write the note' }], 400);
  if (note.length > 2000) return concernPage(c, [{ field, message: 'Keep the note to 2000 characters' }], 400, note);
  await updateConcern(db, user, clock.now().getTime(), id, { ...(reopen && { status: 'open' as const }), note });
  return c.redirect(`/concerns/${id}?done=${encodeURIComponent(reopen ? 'Reopened, with your note.' : 'Note added to the record.')}`, 303);
}
