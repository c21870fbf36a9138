import { Hono, type Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { describerFor, ErrorSummary, FieldError, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/form-errors.js';
import { DateTime } from 'luxon';
import type { Participant } from '../db/schema.js';
import { eraseParticipant, participantRecord } from './gdpr-service.js';
import { unresolvedConcernsAbout } from '../concerns/concerns-service.js';
import { NewParticipantBody, ParticipantPatchBody } from './participant-schemas.js';
import { createParticipant, readParticipant, searchParticipants, updateParticipant } from './participants-service.js';
import { languageName, TEXT_LANGUAGES } from '../sms/wording/languages.js';
import { displayPhone } from '../lib/phone.js';
import { Csrf, Layout } from '../web/layout.js';
import { TextBody, textStatus, textWhen } from '../sms/pages/message-cells.js';
import { OutcomesSection } from '../outcomes/outcome-pages.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { ReflowTable } from '../web/reflow-table.js';

const manage = pageRoles('admin', 'clp');

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
  };
}

/** The languages texts exist in, by name in English and in their own script; any other tag kept as it is. */
function LanguageSelect(p: { value: string | null; problems: FieldProblem[] }) {
  const known = TEXT_LANGUAGES.some((l) => l.tag === p.value);
  return (
    <>
      <label for="preferredLanguage">Preferred language</label>
      <p id="languageHelp" class="muted">
        Texts go in this language; where we have no wording in it, in English.
      </p>
      <FieldError field="preferredLanguage" problems={p.problems} />
      <select id="preferredLanguage" name="preferredLanguage" aria-describedby="languageHelp">
        <option value="">Not recorded (texts in English)</option>
        {TEXT_LANGUAGES.map((l) => (
          <option value={l.tag} selected={p.value === l.tag}>
            {languageName(l.tag)}
          </option>
        ))}
        {p.value && !known && (
          <option value={p.value} selected>
            {p.value} (texts in English)
          </option>
        )}
      </select>
    </>
  );
}

function ParticipantForm(p: { action: string; csrf: string; person?: Participant; back?: string; editing?: boolean; problems?: FieldProblem[] }) {
  const x = p.person;
  const problems = p.problems ?? [];
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  const describedBy = describerFor(problems);
  return (
    <form novalidate method="post" action={p.action}>
      <ErrorSummary problems={problems} />
      <Csrf token={p.csrf} />
      {p.back && <input type="hidden" name="back" value={p.back} />}
      <label for="givenName">Given name</label>
      {err('givenName')}
      <input id="givenName" name="givenName" maxlength={100} value={x?.given_name ?? ''} aria-describedby={describedBy('givenName')} />
      <label for="familyName">Family name (optional)</label>
      {err('familyName')}
      <input id="familyName" name="familyName" maxlength={100} value={x?.family_name ?? ''} aria-describedby={describedBy('familyName')} />
      <label for="phone">Mobile number</label>
      {err('phone')}
      <input
        id="phone"
        name="phone"
        type="tel"
        inputmode="tel"
        autocomplete="off"
        value={x?.phone ?? ''}
        aria-describedby={describedBy('phone', 'phoneHelp')}
      />
      <p id="phoneHelp" class="muted">
        UK mobiles like 07700 900123; other countries with + and the country code.
      </p>
      <fieldset>
        <legend>Texts</legend>
        {err('smsConsent')}
        <label class="check">
          <input type="checkbox" id="smsConsent" name="smsConsent" value="yes" checked={x ? x.sms_consent === 1 : false} /> Agreed to get texts
        </label>
        <label for="smsConsentMethod">How they agreed</label>
        <select id="smsConsentMethod" name="smsConsentMethod">
          {[
            ['verbal', 'Said so in person or by phone'],
            ['written', 'In writing'],
            ['text_reply', 'By text'],
            ['online', 'Online'],
          ].map(([v, l]) => (
            <option value={v} selected={x?.sms_consent_method === v}>
              {l}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" name="doNotText" value="yes" checked={x?.do_not_text === 1} /> Do not text (e.g. someone else reads their phone)
        </label>
      </fieldset>
      <LanguageSelect value={x?.preferred_language ?? null} problems={problems} />
      <label for="chiNumber">CHI number (optional)</label>
      <p id="chiHelp" class="muted">
        Ten digits, to match the practice's GP appointment counts. Only counts are kept, never reasons.
      </p>
      {err('chiNumber')}
      <input
        id="chiNumber"
        name="chiNumber"
        inputmode="numeric"
        autocomplete="off"
        maxlength={12}
        value={x?.chi_number ?? ''}
        aria-describedby={describedBy('chiNumber', 'chiHelp')}
      />
      <label for="programmeId">Programme ID (optional)</label>
      <p id="programmeIdHelp" class="muted">
        The programme's pseudonymous ID, like P1000: it goes in the monitoring return instead of a name.
      </p>
      {err('programmeId')}
      <input
        id="programmeId"
        name="programmeId"
        autocomplete="off"
        maxlength={20}
        value={x?.programme_id ?? ''}
        aria-describedby={describedBy('programmeId', 'programmeIdHelp')}
      />
      <fieldset>
        <legend>Access needs a leader should see at a glance</legend>
        <label class="check">
          <input type="checkbox" name="interpreterNeeded" value="yes" checked={x?.interpreter_needed === 1} /> Needs an interpreter
        </label>
        <label for="interpreterLanguage">Interpreter's language (optional)</label>
        {err('interpreterLanguage')}
        <select id="interpreterLanguage" name="interpreterLanguage">
          <option value="">Not recorded</option>
          {TEXT_LANGUAGES.map((l) => (
            <option value={l.tag} selected={x?.interpreter_language === l.tag}>
              {languageName(l.tag)}
            </option>
          ))}
        </select>
        <label for="mobility">Mobility (optional)</label>
        {err('mobility')}
        <input id="mobility" name="mobility" maxlength={100} placeholder="e.g. walking stick, wheelchair" value={x?.mobility ?? ''} />
        <label class="check">
          <input type="checkbox" name="transportArranged" value="yes" checked={x?.transport_arranged === 1} /> Comes by arranged transport
        </label>
        <label for="firstSessionSupport">First session: how to welcome them (optional)</label>
        {err('firstSessionSupport')}
        <input id="firstSessionSupport" name="firstSessionSupport" maxlength={200} placeholder="e.g. meet at the gate" value={x?.first_session_support ?? ''} />
        <label for="emergencyContact">Emergency contact (optional)</label>
        {err('emergencyContact')}
        <input id="emergencyContact" name="emergencyContact" maxlength={200} placeholder="Name and number" value={x?.emergency_contact ?? ''} />
        <label class="check">
          <input type="checkbox" name="emergencyContactForLeaders" value="yes" checked={x?.emergency_contact_for_leaders === 1} /> They agreed their group's
          leaders may see it
        </label>
      </fieldset>
      <label for="accessNeeds">Other access needs</label>
      {err('accessNeeds')}
      <textarea id="accessNeeds" name="accessNeeds" rows={2} maxlength={1000} aria-describedby={describedBy('accessNeeds')}>
        {x?.access_needs ?? ''}
      </textarea>
      <label for="gender">Gender (for funders' monitoring)</label>
      <select id="gender" name="gender">
        {[
          ['', 'Not recorded'],
          ['female', 'Female'],
          ['male', 'Male'],
          ['non_binary', 'Non-binary'],
          ['other', 'Other'],
          ['prefer_not_to_say', 'Prefers not to say'],
        ].map(([v, l]) => (
          <option value={v} selected={(x?.gender ?? '') === v}>
            {l}
          </option>
        ))}
      </select>
      <p>
        <button type="submit">{(p.editing ?? !!x) ? 'Save changes' : 'Add participant'}</button>
      </p>
    </form>
  );
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
      <Layout
        title={[p.given_name, p.family_name].filter(Boolean).join(' ')}
        user={user}
        csrf={c.var.csrf}
        notice={c.req.query('done')}
        error={c.req.query('problem')}
      >
        <p>
          {displayPhone(p.phone) ?? 'No mobile'} · {p.sms_consent ? 'agreed to texts' : 'no consent to texts'}
          {p.do_not_text === 1 && ' · do not text'}
          {p.opted_out_at !== null && ' · replied STOP'}
          {p.phone_status === 'invalid' && ' · texts cannot reach this number: Twilio says it is not valid or not in use (change it to text again)'}
          {p.phone_status === 'landline' && ' · texts cannot reach this number: Twilio says it is a landline or cannot take texts (change it to text again)'}
          {p.preferred_language && ` · speaks ${languageName(p.preferred_language)}`}
          {p.interpreter_needed === 1 && ' · needs an interpreter'}
        </p>
        {p.access_needs && <p>Access needs: {p.access_needs}</p>}
        <p class="row">
          <a class="button secondary" href={`/participants/${p.id}/edit`}>
            Edit
          </a>
          <a class="button secondary" href={`/participants/${p.id}/summary`}>
            Summary for the GP record
          </a>
          <a class="button secondary" href={`/api/v1/participants/${p.id}/export`}>
            Export everything (JSON)
          </a>
        </p>
        <h2>Groups</h2>
        <ul>
          {doc.enrolments.map((e) => (
            <li>
              {e.groupName}: {e.status}
            </li>
          ))}
        </ul>
        <h2>Attendance</h2>
        <ul>
          {doc.attendance.map((a) => (
            <li>
              {a.groupName}, {a.sessionStartsAt ? DateTime.fromISO(a.sessionStartsAt).setLocale('en-GB').toFormat('ccc d LLL yyyy') : ''}: {a.status}
              {a.dropIn ? ' (drop-in)' : ''}
            </li>
          ))}
        </ul>
        <OutcomesSection participantId={p.id} outcomes={outcomes} zone={user.timezone} />
        <h2>Texts</h2>
        <ReflowTable
          rows={messages}
          columns={[
            { heading: 'When', cell: (m) => textWhen(m, user.timezone) },
            { heading: 'Direction', cell: (m) => (m.direction === 'inbound' ? 'Received' : m.status === 'pending' ? 'Queued' : 'Sent') },
            { heading: 'Text', cell: (m) => <TextBody m={m} preferred={p.preferred_language} /> },
            { heading: 'Status', cell: (m) => textStatus(m) },
          ]}
        />
        {user.role === 'admin' && (
          <>
            <h2 id="erase">Erase</h2>
            <form novalidate method="post" action={`/participants/${p.id}/erase`}>
              <Csrf token={c.var.csrf} />
              <label class="check">
                <input type="checkbox" name="confirm" value="yes" required /> I understand this removes their name, number and details for good.
              </label>
              {openConcerns > 0 && (
                <>
                  <p class="warning-note" id="open-concerns">
                    {openConcerns === 1 ? 'A concern' : `${openConcerns} concerns`} about them {openConcerns === 1 ? 'is' : 'are'} still open.{' '}
                    <a href="/concerns?status=open">See the concerns</a>. Erasing keeps the record of each concern, but their name goes from it: whoever acts on
                    it will no longer see who it was about.
                  </p>
                  <label class="check">
                    <input type="checkbox" name="openConcerns" value="erase" /> I have checked the open concerns: erase anyway.
                  </label>
                </>
              )}
              <p>
                <button type="submit" class="danger">
                  Erase this person's details
                </button>
              </p>
            </form>
          </>
        )}
      </Layout>,
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

const PARTICIPANT_FIELDS: FieldRules = [
  ['givenName', 'givenName', 'Enter their given name, on one line, up to 100 characters'],
  ['familyName', 'familyName', 'Keep the family name to one line of 100 characters'],
  ['phone', 'phone', 'Enter a UK mobile like 07700 900123, or another country with + and its code'],
  ['smsConsent', 'smsConsent', 'Texts need a mobile number: add one, or untick "Agreed to get texts"'],
  ['smsConsentMethod', 'smsConsent', 'Choose how they agreed to texts'],
  ['preferredLanguage', 'preferredLanguage', 'Choose a language from the list'],
  ['chiNumber', 'chiNumber', 'A CHI number is 10 digits'],
  ['programmeId', 'programmeId', 'A programme ID is letters and digits only, like P1000'],
  ['interpreterLanguage', 'interpreterLanguage', "Choose the interpreter's language from the list"],
  ['mobility', 'mobility', 'Keep mobility to one line of 100 characters'],
  ['firstSessionSupport', 'firstSessionSupport', 'Keep this to one line of 200 characters'],
  ['emergencyContact', 'emergencyContact', 'Keep the emergency contact to one line of 200 characters'],
  ['accessNeeds', 'accessNeeds', 'Keep access needs to 1000 characters'],
  ['gender', 'givenName', 'Choose a gender from the list'],
];

/** The participant form's findings beside its fields; the phone and CHI rules say what is wrong in their own words. */
function participantProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return problemsFor(issues, PARTICIPANT_FIELDS, true);
}

/** What was typed, in the shape the form reads, so nothing is lost when it comes back. */
function typedPerson(f: Record<string, string | string[]>): Participant {
  const yes = (v: string | string[] | undefined) => (str(v) === 'yes' ? 1 : 0);
  return {
    given_name: str(f.givenName),
    family_name: str(f.familyName),
    phone: str(f.phone),
    sms_consent: yes(f.smsConsent),
    sms_consent_method: str(f.smsConsentMethod),
    do_not_text: yes(f.doNotText),
    preferred_language: str(f.preferredLanguage) || null,
    interpreter_needed: yes(f.interpreterNeeded),
    access_needs: str(f.accessNeeds),
    gender: str(f.gender) || null,
    chi_number: str(f.chiNumber),
    programme_id: str(f.programmeId),
    interpreter_language: str(f.interpreterLanguage) || null,
    mobility: str(f.mobility),
    transport_arranged: yes(f.transportArranged),
    first_session_support: str(f.firstSessionSupport),
    emergency_contact: str(f.emergencyContact),
    emergency_contact_for_leaders: yes(f.emergencyContactForLeaders),
  } as Participant;
}

function participantFormAgain(
  c: Context<WebEnv>,
  title: string,
  action: string,
  editing: boolean,
  f: Record<string, string | string[]>,
  problems: FieldProblem[],
) {
  return c.html(
    <Layout title={titleWith(problems, title)} user={c.var.user} csrf={c.var.csrf}>
      <ParticipantForm action={action} csrf={c.var.csrf} person={typedPerson(f)} editing={editing} back={str(f.back) || undefined} problems={problems} />
    </Layout>,
    400,
  );
}

/** A CHI number another person here already has is a problem with that field, not a separate page. */
async function withChiProblem<T>(
  c: Context<WebEnv>,
  title: string,
  action: string,
  editing: boolean,
  f: Record<string, string | string[]>,
  work: () => Promise<T>,
): Promise<T | Response> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict' && /CHI/.test(err.message))
      return participantFormAgain(c, title, action, editing, f, [
        { field: 'chiNumber', message: 'Another participant here already has that CHI number: check it, or open their record' },
      ]);
    if (err instanceof AppError && err.code === 'conflict' && /programme ID/.test(err.message))
      return participantFormAgain(c, title, action, editing, f, [{ field: 'programmeId', message: 'Another participant here already has that programme ID' }]);
    throw err;
  }
}
