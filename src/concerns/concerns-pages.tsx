import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { describerFor, ErrorSummary, FieldError, problemsFor, titleWith, type FieldProblem, type FieldRules } from '../web/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { getRegister } from '../attendance/register-service.js';
import { getSession } from '../sessions/sessions-service.js';
import { assertLeads } from '../leaders/leader-access.js';
import { nameFor } from '../participants/person-name.js';
import { AppError } from '../lib/errors.js';
import { issuesOf } from '../web/form-errors.js';
import { NewConcernBody } from './concerns-routes.js';
import { CONCERN_STATUSES, getConcern, listConcerns, raiseConcern, updateConcern, type ConcernView } from './concerns-service.js';
import type { ConcernStatus } from '../db/schema.js';

const raisers = pageRoles('admin', 'clp', 'leader');
const manage = pageRoles('admin', 'clp');

const KIND_WORDS = {
  wellbeing: ['Wellbeing', 'Someone seemed distressed, unwell or not themselves'],
  safeguarding: ['Safeguarding', 'Someone may be at risk of harm or abuse'],
  incident: ['Incident', 'Something happened at the group: a row, a theft, a dog'],
  accident: ['Accident', 'Someone was hurt, or nearly was'],
} as const;
const URGENCY_WORDS = { today: 'A CLP should act today', this_week: 'Within the week' } as const;
const STATUS_WORDS: Record<ConcernStatus, string> = { open: 'Open', acknowledged: 'Acknowledged', closed: 'Closed' };

const RULES: FieldRules = [
  ['kind', 'kind-wellbeing', 'Choose what kind of concern it is'],
  ['urgency', 'urgency-today', 'Choose how soon a CLP should act'],
  ['text', 'text', 'Say what you saw or were told, in up to 2000 characters'],
  ['participantId', 'participantId', 'Choose someone from the list, or nobody in particular'],
  ['sessionId', 'participantId', 'Raise it from the session it happened at'],
];

const when = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm');

type FormValues = { participantId: string; kind: string; urgency: string; text: string; from?: string };

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
        <nav aria-label="Concerns by state">
          <ul class="row plain">
            <li>
              <a href="/concerns" aria-current={status === undefined ? 'page' : undefined}>
                All
              </a>
            </li>
            {CONCERN_STATUSES.map((s) => (
              <li>
                <a href={`/concerns?status=${s}`} aria-current={status === s ? 'page' : undefined}>
                  {STATUS_WORDS[s]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
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
  });

function ConcernList(p: { rows: ConcernView[]; zone: string }) {
  return (
    <ul class="cards">
      {p.rows.map((r) => (
        <li>
          <p>
            <a href={`/concerns/${r.id}`}>
              {KIND_WORDS[r.kind][0]}
              {r.participantName ? `: ${r.participantName}` : ''}
            </a>{' '}
            <span class="tag">{STATUS_WORDS[r.status]}</span> {r.urgency === 'today' && r.status !== 'closed' && <span class="tag urgent">Today</span>}
          </p>
          <p class="muted">
            {r.groupName ? `${r.groupName}${r.sessionStartsAt ? `, ${when(r.sessionStartsAt, p.zone)}` : ''} · ` : ''}
            raised by {r.raisedBy?.name ?? 'someone'} on {when(r.raisedAt, p.zone)}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The form: who (from the session's register), what kind, how soon, and what was seen. */
async function newConcernPage(
  c: Context<WebEnv>,
  values: FormValues,
  problems: FieldProblem[],
  status: 200 | 400 | 409 = 200,
  sessionIdFromForm?: number | null,
) {
  const { db, user, clock } = c.var;
  const sessionId = sessionIdFromForm ?? (Number(c.req.query('sessionId')) || null);
  const from = (values.from ?? c.req.query('from')) === 'register' ? 'register' : '';
  let people: { id: number; name: string }[] = [];
  let heading = '';
  if (sessionId !== null) {
    const session = await getSession(db, user.practiceId, sessionId);
    await assertLeads(db, user, session.group_id, 'Session');
    const group = await db.selectFrom('community_groups').select('name').where('id', '=', session.group_id).executeTakeFirstOrThrow();
    heading = `${group.name}, ${when(session.starts_at, user.timezone)}`;
    // The list of names is a read of the register, and audited as one.
    const r = await getRegister(db, user, clock.now().getTime(), session.id, { session, folds: c.var.folds });
    people = r.entries.filter((e) => e.erased_at === null).map((e) => ({ id: e.participant_id, name: nameFor(e, user.role === 'leader') }));
  }
  const described = describerFor(problems);
  return c.html(
    <Layout title={titleWith(problems, 'Raise a concern or report an incident')} user={user} csrf={c.var.csrf}>
      <ErrorSummary problems={problems} />
      {sessionId === null ? (
        <p>
          Open the session it happened at (from <a href="/today">Today</a>) and raise it from there, so the CLPs know where and when.
        </p>
      ) : (
        <form novalidate method="post" action="/concerns">
          <Csrf token={c.var.csrf} />
          <input type="hidden" name="sessionId" value={String(sessionId)} />
          <input type="hidden" name="from" value={from} />
          <p>
            <strong>{heading}</strong>
          </p>
          <p class="muted">It goes to the practice's CLPs and admins, and is never sent by text. In an emergency, call 999 first.</p>
          <label for="participantId">Who is it about?</label>
          <FieldError field="participantId" problems={problems} />
          <select id="participantId" name="participantId" aria-describedby={described('participantId')}>
            <option value="">Nobody in particular (the group, or someone not on the register)</option>
            {people.map((p) => (
              <option value={String(p.id)} selected={values.participantId === String(p.id)}>
                {p.name}
              </option>
            ))}
          </select>
          <Radios
            name="kind"
            legend="What kind of concern is it?"
            problems={problems}
            chosen={values.kind}
            options={Object.entries(KIND_WORDS).map(([v, [label, hint]]) => [v, label, hint])}
          />
          <Radios
            name="urgency"
            legend="How soon should a CLP act?"
            problems={problems}
            chosen={values.urgency}
            options={Object.entries(URGENCY_WORDS).map(([v, label]) => [v, label, ''])}
          />
          <label for="text">What did you see or hear?</label>
          <p id="text-hint" class="muted">
            Say what happened, in your own words. Write facts, not guesses.
          </p>
          <FieldError field="text" problems={problems} />
          <textarea id="text" name="text" rows={6} maxlength={2000} aria-describedby={['text-hint', described('text')].filter(Boolean).join(' ')}>
            {values.text}
          </textarea>
          <p>
            <button type="submit">Send to the CLPs</button>
          </p>
        </form>
      )}
    </Layout>,
    status,
  );
}

/** GOV.UK radios: a fieldset with its question as the legend, the first radio carrying the id the error summary links to. */
function Radios(p: { name: string; legend: string; options: [value: string, label: string, hint: string][]; chosen: string; problems: FieldProblem[] }) {
  const first = `${p.name}-${p.options[0]![0]}`;
  const failed = p.problems.some((x) => x.field === first);
  return (
    <fieldset aria-describedby={failed ? `${first}-error` : undefined}>
      <legend>{p.legend}</legend>
      <FieldError field={first} problems={p.problems} />
      {p.options.map(([value, label, hint]) => (
        <label class="check">
          <input type="radio" id={`${p.name}-${value}`} name={p.name} value={value} checked={p.chosen === value} /> {label}
          {hint && <span class="muted"> — {hint}</span>}
        </label>
      ))}
    </fieldset>
  );
}

/** One concern: what was seen, who raised it, and (for CLPs and admins) acknowledge and close with a note. */
async function concernPage(c: Context<WebEnv>, problems: FieldProblem[], status: 200 | 400 = 200, note = '') {
  const { db, user, clock } = c.var;
  const r = await getConcern(db, user, clock.now().getTime(), Number(c.req.param('id')) || 0);
  const canAct = user.role === 'admin' || user.role === 'clp';
  const zone = user.timezone;
  return c.html(
    <Layout title={titleWith(problems, `${KIND_WORDS[r.kind][0]} concern`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <dl class="summary">
        <dt>State</dt>
        <dd>{STATUS_WORDS[r.status]}</dd>
        <dt>About</dt>
        <dd>
          {r.participantName === null ? (
            r.participantId === null ? (
              'Nobody in particular'
            ) : (
              'A person whose details were erased'
            )
          ) : canAct ? (
            <a href={`/participants/${r.participantId}`}>{r.participantName}</a>
          ) : (
            r.participantName
          )}
        </dd>
        <dt>Where</dt>
        <dd>
          {r.sessionId ? <a href={`/sessions/${r.sessionId}`}>{`${r.groupName ?? 'Session'}, ${when(r.sessionStartsAt!, zone)}`}</a> : 'Not at a session'}
        </dd>
        <dt>How soon</dt>
        <dd>{URGENCY_WORDS[r.urgency]}</dd>
        <dt>What was seen</dt>
        <dd class="pre">{r.text}</dd>
        <dt>Raised</dt>
        <dd>
          {when(r.raisedAt, zone)} by {r.raisedBy?.name ?? 'someone'}
        </dd>
        {r.acknowledgedAt !== null && (
          <>
            <dt>Acknowledged</dt>
            <dd>
              {when(r.acknowledgedAt, zone)} by {r.acknowledgedBy?.name ?? 'someone'}
            </dd>
          </>
        )}
        {r.closedAt !== null && (
          <>
            <dt>Closed</dt>
            <dd>
              {when(r.closedAt, zone)} by {r.closedBy?.name ?? 'someone'}
            </dd>
          </>
        )}
        {r.note !== null && (
          <>
            <dt>What was done</dt>
            <dd class="pre">{r.note}</dd>
          </>
        )}
      </dl>
      {canAct && r.status === 'open' && (
        <form novalidate method="post" action={`/concerns/${r.id}/acknowledge`}>
          <Csrf token={c.var.csrf} />
          <button type="submit" class="secondary">
            Acknowledge: I am taking this on
          </button>
        </form>
      )}
      {canAct && r.status !== 'closed' && (
        <form novalidate method="post" action={`/concerns/${r.id}/close`}>
          <Csrf token={c.var.csrf} />
          <h2>Close it</h2>
          <label for="note">What was done</label>
          <FieldError field="note" problems={problems} />
          <textarea id="note" name="note" rows={4} maxlength={2000} aria-describedby={problems.some((x) => x.field === 'note') ? 'note-error' : undefined}>
            {note}
          </textarea>
          <p>
            <button type="submit">Close the concern</button>
          </p>
        </form>
      )}
      <p>
        <a href="/concerns">All concerns</a>
      </p>
    </Layout>,
    status,
  );
}
