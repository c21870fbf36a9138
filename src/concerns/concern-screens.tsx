import { type Context } from 'hono';
import { describerFor, ErrorSummary, FieldError, titleWith, type FieldProblem } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { type WebEnv } from '../web/web-auth.js';
import { getRegister } from '../attendance/register-reads.js';
import { getSession } from '../sessions/sessions-service.js';
import { assertLeads } from '../leaders/leader-access.js';
import { nameFor } from '../participants/person-name.js';
import { getConcern, type ConcernView } from './concerns-service.js';
import { KIND_WORDS, URGENCY_WORDS, STATUS_WORDS, when, type FormValues } from './concern-words.js';
import { SummaryList } from '../web/components/summary-list.js';
import { Radios, TextAreaField } from '../web/forms/fields.js';
import { ConcernLog, ConcernReaders, NoteForm } from './concern-log.js';
import { concernReaders } from './concern-export.js';

export function ConcernList(p: { rows: ConcernView[]; zone: string }) {
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
export async function newConcernPage(
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

/** What a concern is: its state, who and where, what was seen, and each step taken with who took it. */
function ConcernFacts({ concern: r, canAct, zone }: { concern: Awaited<ReturnType<typeof getConcern>>; canAct: boolean; zone: string }) {
  const about =
    r.participantName === null ? (
      r.participantId === null ? (
        'Nobody in particular'
      ) : (
        'A person whose details were erased'
      )
    ) : canAct ? (
      <a href={`/participants/${r.participantId}`}>{r.participantName}</a>
    ) : (
      r.participantName
    );
  return (
    <SummaryList
      rows={[
        ['State', STATUS_WORDS[r.status]],
        ['About', about],
        [
          'Where',
          r.sessionId ? <a href={`/sessions/${r.sessionId}`}>{`${r.groupName ?? 'Session'}, ${when(r.sessionStartsAt!, zone)}`}</a> : 'Not at a session',
        ],
        ['How soon', URGENCY_WORDS[r.urgency]],
        ['What was seen', <span class="pre">{r.text}</span>],
        ['Raised', `${when(r.raisedAt, zone)} by ${r.raisedBy?.name ?? 'someone'}`],
        ['Acknowledged', r.acknowledgedAt !== null && `${when(r.acknowledgedAt, zone)} by ${r.acknowledgedBy?.name ?? 'someone'}`],
        ['Closed', r.closedAt !== null && `${when(r.closedAt, zone)} by ${r.closedBy?.name ?? 'someone'}`],
        ['What was done', r.note !== null && <span class="pre">{r.note}</span>],
      ]}
    />
  );
}

/** One concern: what was seen, who raised it, and (for CLPs and admins) acknowledge and close with a note. */
export async function concernPage(c: Context<WebEnv>, problems: FieldProblem[], status: 200 | 400 = 200, note = '') {
  const { db, user, clock } = c.var;
  const r = await getConcern(db, user, clock.now().getTime(), Number(c.req.param('id')) || 0);
  const canAct = user.role === 'admin' || user.role === 'clp';
  const readers = canAct ? await concernReaders(db, user.practiceId, r.id) : [];
  const zone = user.timezone;
  return c.html(
    <Layout title={titleWith(problems, `${KIND_WORDS[r.kind][0]} concern`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <ConcernFacts concern={r} canAct={canAct} zone={zone} />
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
          <TextAreaField name="note" label="What was done" rows={4} maxlength={2000} value={note} problems={problems} />
          <p>
            <button type="submit">Close the concern</button>
          </p>
        </form>
      )}
      {canAct && (
        <>
          <NoteForm
            id={r.id}
            csrf={c.var.csrf}
            reopen={r.status === 'closed'}
            problems={problems}
            note={problems.some((x) => x.field.endsWith('-note')) ? note : ''}
          />
          <h2>Record</h2>
          <ConcernLog actions={r.actions} zone={zone} />
          <h2>Who read it</h2>
          <ConcernReaders readers={readers} zone={zone} />
          <p>
            <a href={`/concerns/${r.id}/export`}>For an adult-protection referral: the whole record, printable</a>
          </p>
        </>
      )}
      <p>
        <a href="/concerns">All concerns</a>
      </p>
    </Layout>,
    status,
  );
}
