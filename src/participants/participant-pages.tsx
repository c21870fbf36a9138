import { Hono } from 'hono';
import { eraseParticipant, participantRecord } from './gdpr-service.js';
import { unresolvedConcernsAbout } from '../concerns/concerns-service.js';
import { NewParticipantBody, ParticipantPatchBody } from './participant-schemas.js';
import { createParticipant, readParticipant, searchParticipants, updateParticipant } from './participants-service.js';
import { displayPhone } from '../lib/phone.js';
import { Layout } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { ParticipantForm, participantProblems, participantFormAgain, withChiProblem } from './participant-form.js';
import { ParticipantScreen } from './participant-screen.js';

export const manage = pageRoles('admin', 'clp');

function toJson(f: Record<string, string | string[]>) {
  return {
    givenName: str(f.givenName),
    familyName: str(f.familyName) || null,
    phone: str(f.phone) || null,
    smsConsent: str(f.smsConsent) === 'yes',
    smsConsentMethod: str(f.smsConsentMethod) || null,
    doNotText: str(f.doNotText) === 'yes',
    preferredLanguage: str(f.preferredLanguage) || null,
    interpreterNeeded: str(f.interpreterNeeded) === 'yes',
    accessNeeds: str(f.accessNeeds) || null,
    gender: str(f.gender) || null,
    chiNumber: str(f.chiNumber) || null,
    programmeId: str(f.programmeId) || null,
    interpreterLanguage: str(f.interpreterLanguage) || null,
    mobility: str(f.mobility) || null,
    transportArranged: str(f.transportArranged) === 'yes',
    firstSessionSupport: str(f.firstSessionSupport) || null,
    emergencyContact: str(f.emergencyContact) || null,
    emergencyContactForLeaders: str(f.emergencyContactForLeaders) === 'yes',
    outcomeTextConsent: str(f.outcomeTextConsent) === 'yes',
  };
}

/** Participants: search, add, edit, history and messages; export and erase (admin). */
export const participantPages = new Hono<WebEnv>()
  .use('/participants/*', manage)
  .use('/participants', manage)
  .get('/participants', async (c) => {
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const rows = await searchParticipants(c.var.db, c.var.user, c.var.clock.now().getTime(), { search: q || undefined, limit: 100, offset: 0 });
    return c.html(
      <Layout title="Participants" user={c.var.user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <form novalidate method="get" action="/participants" role="search">
          <label for="q">Search by name or number</label>
          <input id="q" name="q" value={q} />
          <p class="row">
            <button type="submit">Search</button>{' '}
            <a class="button secondary" href="/participants/new">
              Add participant
            </a>
          </p>
        </form>
        {rows.length === 0 && (
          <p class="muted" role="status">
            {q ? `Nobody matches “${q}”. Check the spelling, or search by part of a name or number.` : 'No participants yet.'}
          </p>
        )}
        <ul class="cards">
          {rows.map((p) => (
            <li>
              <a href={`/participants/${p.id}`}>{[p.given_name, p.family_name].filter(Boolean).join(' ')}</a>{' '}
              <span class="muted">{displayPhone(p.phone) ?? 'no mobile'}</span>
              {(p.opted_out_at !== null || p.do_not_text === 1 || p.sms_consent === 0 || p.phone_status !== null) && <span class="tag">No texts</span>}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  })
  .get('/participants/new', (c) =>
    c.html(
      <Layout title="Add participant" user={c.var.user} csrf={c.var.csrf}>
        <ParticipantForm
          action="/participants"
          csrf={c.var.csrf}
          back={c.req.query('dropInSession') ? `/sessions/${Number(c.req.query('dropInSession'))}/register` : undefined}
        />
      </Layout>,
    ),
  )
  .post('/participants', async (c) => {
    const f = await form(c);
    const parsed = NewParticipantBody.safeParse(toJson(f));
    if (!parsed.success) return participantFormAgain(c, 'Add a participant', '/participants', false, f, participantProblems(parsed.error.issues));
    const p = await withChiProblem(c, 'Add a participant', '/participants', false, f, () =>
      createParticipant(c.var.db, c.var.user, c.var.clock.now().getTime(), parsed.data),
    );
    if (p instanceof Response) return p;
    const back = str(f.back);
    return c.redirect(
      back.startsWith('/sessions/')
        ? `${back}?done=${encodeURIComponent(`${p.given_name} added: choose them under Drop-in.`)}`
        : `/participants/${p.id}?done=Added.`,
      303,
    );
  })
  .get('/participants/:id', async (c) => {
    const { db, user, clock } = c.var;
    const p = await readParticipant(db, user, clock.now().getTime(), Number(c.req.param('id')) || 0);
    const openConcerns = user.role === 'admin' && p.erased_at === null ? await unresolvedConcernsAbout(db, user.practiceId, p.id) : 0;
    if (p.erased_at !== null)
      return c.html(
        <Layout title="Erased participant" user={user} csrf={c.var.csrf}>
          <p>This person's details were erased. Their anonymous attendance still counts in reports.</p>
        </Layout>,
      );
    const doc = await participantRecord(db, user, clock.now().getTime(), p.id);
    const messages = await db.selectFrom('messages').selectAll().where('participant_id', '=', p.id).orderBy('id', 'desc').limit(30).execute();
    const outcomes = await db.selectFrom('outcomes').selectAll().where('participant_id', '=', p.id).orderBy('taken_on').orderBy('id').execute();
    return c.html(
      <ParticipantScreen
        c={c}
        person={p}
        groups={doc.enrolments}
        attendance={doc.attendance}
        messages={messages}
        outcomes={outcomes}
        openConcerns={openConcerns}
      />,
    );
  })
  .get('/participants/:id/edit', async (c) => {
    const p = await readParticipant(c.var.db, c.var.user, c.var.clock.now().getTime(), Number(c.req.param('id')) || 0);
    return c.html(
      <Layout title={`Edit ${p.given_name ?? ''}`} user={c.var.user} csrf={c.var.csrf}>
        <ParticipantForm action={`/participants/${p.id}`} csrf={c.var.csrf} person={p} />
      </Layout>,
    );
  })
  .post('/participants/:id', async (c) => {
    const f = await form(c);
    const id = Number(c.req.param('id')) || 0;
    const action = `/participants/${id}`;
    const parsed = ParticipantPatchBody.safeParse(toJson(f));
    if (!parsed.success) return participantFormAgain(c, 'Edit participant', action, true, f, participantProblems(parsed.error.issues));
    const p = await withChiProblem(c, 'Edit participant', action, true, f, () =>
      updateParticipant(c.var.db, c.var.user, c.var.clock.now().getTime(), id, parsed.data),
    );
    if (p instanceof Response) return p;
    return c.redirect(`/participants/${p.id}?done=Saved.`, 303);
  })
  .post('/participants/:id/erase', pageRoles('admin'), async (c) => {
    const f = await form(c);
    if (str(f.confirm) !== 'yes')
      return c.redirect(
        `/participants/${Number(c.req.param('id')) || 0}?problem=${encodeURIComponent('Tick the box to confirm the erasure: nothing was erased.')}#erase`,
        303,
      );
    const id = Number(c.req.param('id')) || 0;
    const open = await unresolvedConcernsAbout(c.var.db, c.var.user.practiceId, id);
    if (open > 0 && str(f.openConcerns) !== 'erase')
      return c.redirect(
        `/participants/${id}?problem=${encodeURIComponent('Tick the box to say you have checked the open concerns: nothing was erased.')}#erase`,
        303,
      );
    await eraseParticipant(c.var.db, c.var.user, c.var.clock.now().getTime(), id, { openConcerns: open > 0 ? 'erase' : undefined });
    return c.redirect('/participants?done=Erased.', 303);
  });
