import { credentialsOf } from '../credentials/credentials-service.js';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { sql } from 'kysely';
import { registerClosed, saveRegister, type RegisterEntryInput } from '../attendance/register-service.js';
import { getRegister } from '../attendance/register-reads.js';
import { followUps } from '../follow-ups/follow-ups-service.js';
import { NewPersonBody } from '../attendance/register-routes.js';
import { nameFor } from '../participants/person-name.js';
import { assertLeads } from '../leaders/leader-access.js';
import { sessionFlags } from '../leaders/session-flags.js';
import { openConcernCount } from '../concerns/concerns-service.js';
import { newReferralCount } from '../referrals/referrals-service.js';
import { credentialsDue } from '../credentials/credentials-service.js';
import { parseOrThrow } from '../lib/validate.js';
import { facilitatesAny } from '../attendance/check-ins.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../db/schema.js';
import { invalid } from '../lib/errors.js';
import { addDays, isValidDate, localDate, parseInstant, startOfLocalDate } from '../lib/time/time.js';
import { AdhocBody, MAX_ADHOC_SEGMENTS } from '../sms/messages-routes.js';
import { changeSession } from './session-changes.js';
import { getSession } from './sessions-service.js';
import { previewAdhoc, previewSessionNotice, queueAdhoc } from '../sms/outbox/outbox.js';
import { queuedWords } from '../sms/pages/confirm-texts.js';
import { type FieldProblem } from '../web/forms/form-errors.js';
import { countSegments } from '../sms/wording/gsm.js';
import { readDateField } from '../web/forms/date-input.js';
import { staleRegisters } from '../attendance/kept-registers.js';
import { PrintRegister } from '../attendance/print-register.js';
import { TodayPage, type TodaySession } from './today-page.js';
import { form, list, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { registerPage } from './register-screen.js';
import { fmt, checkPage, CancelReason, sessionPage, MessageForm } from './session-screens.js';
import { plural } from '../lib/numbers.js';

export const manage = pageRoles('admin', 'clp');
/** CLPs, admins and group leaders (a leader only for the groups they lead, checked per session). */
export const registers = pageRoles('admin', 'clp', 'leader');

/** Today, the register, one session's details (cancel, move, text everyone). */
export const sessionPages = new Hono<WebEnv>()
  // Unchanged since the phone last kept it: a 304 of a few hundred bytes instead of the page again.
  .get('/today', registers, etag({ weak: true }), async (c) => {
    const { user, db, clock } = c.var;
    const now = clock.now().getTime();
    const today = localDate(now, user.timezone);
    const leader = user.role === 'leader';
    const mine = leader || (user.role === 'clp' && (await facilitatesAny(db, user.id)));
    const rows = await sql<TodaySession>`
      SELECT s.id, s.starts_at, s.status, s.group_id, s.venue_id, g.name AS group_name, v.name AS venue_name, s.register_taken_at
      FROM sessions s JOIN community_groups g ON g.id = s.group_id JOIN venues v ON v.id = s.venue_id
      WHERE s.practice_id = ${user.practiceId} AND s.starts_at >= ${startOfLocalDate(today, user.timezone)} AND s.starts_at < ${startOfLocalDate(addDays(today, 7), user.timezone)}
        ${mine ? sql`AND s.group_id IN (SELECT group_id FROM group_facilitators WHERE user_id = ${user.id})` : sql``}
      ORDER BY s.starts_at`.execute(db);
    const tomorrow = startOfLocalDate(addDays(today, 1), user.timezone);
    // Counts only: nobody's details, so no read to audit.
    const toFollowUp = leader ? 0 : (await followUps(db, user, now, false)).length;
    const concerns = await openConcernCount(db, user);
    const referrals = leader ? 0 : await newReferralCount(db, user);
    const checksDue = leader ? [] : await credentialsDue(db, user, now);
    const myChecks = leader ? await credentialsOf(db, user.practiceId, user.id) : undefined;
    const flags = await sessionFlags(db, user, rows.rows, now);
    return c.html(
      <TodayPage
        followUps={toFollowUp}
        concerns={concerns}
        referrals={referrals}
        checksDue={checksDue}
        myChecks={myChecks}
        flags={flags}
        user={user}
        csrf={c.var.csrf}
        mineOnly={mine}
        now={now}
        today={rows.rows.filter((r) => r.starts_at < tomorrow)}
        week={rows.rows.filter((r) => r.starts_at >= tomorrow)}
      />,
    );
  })
  .get('/offline/stale', registers, staleRegisters)
  .get('/sessions/:id/register', registers, (c) => registerPage(c, Number(c.req.param('id')) || 0, c.req.query('find') ?? ''))
  .get('/sessions/:id/register/print', registers, async (c) => {
    const { user, db, clock } = c.var;
    const session = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    await assertLeads(db, user, session.group_id, 'Session');
    const r = await getRegister(db, user, clock.now().getTime(), session.id, { session });
    const group = await db.selectFrom('community_groups').select('name').where('id', '=', r.session.group_id).executeTakeFirstOrThrow();
    const venue = await db.selectFrom('venues').select('name').where('id', '=', r.session.venue_id).executeTakeFirstOrThrow();
    return c.html(
      <PrintRegister title={group.name} when={fmt(r.session.starts_at, user.timezone)} venue={venue.name} rows={r.entries} user={user} csrf={c.var.csrf} />,
    );
  })
  .post('/sessions/:id/register', registers, async (c) => {
    const f = await form(c);
    const { db, user, clock } = c.var;
    const now = clock.now().getTime();
    const id = Number(c.req.param('id')) || 0;
    const session = await getSession(db, user.practiceId, id);
    await assertLeads(db, user, session.group_id, 'Session');
    const closed = registerClosed(session, now);
    if (closed) throw closed;
    if (str(f.action) === 'find') {
      // A search for a drop-in, before saving: the page again with the matches and every mark as it was left.
      const marks: Record<number, string> = {};
      for (const [k, v] of Object.entries(f)) {
        const m = k.match(/^status_(\d+)$/);
        if (m) marks[Number(m[1])] = str(v);
      }
      const unsaved = { marks, headcount: str(f.headcount), dropIns: list(f.dropIn).map(Number).filter(Boolean) };
      return registerPage(c, id, str(f.find), unsaved);
    }
    const everyone = str(f.everyone) === 'present';
    const entries: RegisterEntryInput[] = [];
    for (const [k, v] of Object.entries(f)) {
      const m = k.match(/^status_(\d+)$/);
      if (!m) continue;
      const value = str(v);
      const seen = str(f[`seen_${m[1]}`]) || 'clear';
      // "Everyone present" marks whoever is still unmarked; a row only goes when it changed.
      const chosen = everyone && value === 'clear' && seen === 'clear' ? 'present' : value;
      if (chosen === seen) continue;
      if (chosen === 'clear') entries.push({ participantId: Number(m[1]), status: null });
      else if (ATTENDANCE_STATUSES.includes(chosen as AttendanceStatus)) entries.push({ participantId: Number(m[1]), status: chosen as AttendanceStatus });
    }
    for (const dropIn of list(f.dropIn).map(Number).filter(Boolean)) {
      if (!entries.some((e) => e.participantId === dropIn)) entries.push({ participantId: dropIn, status: 'present', dropIn: true });
    }
    const newPeople = str(f.newGivenName) ? [parseOrThrow(NewPersonBody, { givenName: str(f.newGivenName), familyName: str(f.newFamilyName) || null })] : [];
    const hc = str(f.headcount);
    if (hc !== '' && !/^\d{1,4}$/.test(hc)) throw invalid('The headcount must be a whole number');
    const headcount = hc === str(f.seen_headcount) || hc === '' ? undefined : Number(hc);
    const saved = await saveRegister(db, user, now, id, entries, headcount, newPeople);
    const names = new Map(saved.entries.map((e) => [e.participant_id, nameFor(e, user.role === 'leader')]));
    const refused = saved.results.filter((x) => x.outcome === 'refused' || x.outcome === 'newer_kept');
    const marked = saved.entries.filter((e) => e.status !== null).length;
    const done = `Register saved: ${marked} of ${saved.entries.length} marked.`;
    const problem = refused.map((x) => `${names.get(x.participantId) ?? 'Someone'} was not changed: ${x.reason}.`).join(' ');
    return c.redirect(`/sessions/${id}/register?done=${encodeURIComponent(done)}${problem ? `&problem=${encodeURIComponent(problem)}` : ''}`, 303);
  })
  .get('/sessions/:id', async (c) => c.html(await sessionPage(c, Number(c.req.param('id')) || 0)))
  .post('/sessions/:id/cancel', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const s = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    const reason = str(f.reason);
    const notify = str(f.notify) === 'yes';
    const problems: FieldProblem[] = [];
    if (!reason) problems.push({ field: 'reason', message: 'Say why the session is cancelled: the reason goes in the text' });
    else if (!CancelReason.safeParse(reason).success) problems.push({ field: 'reason', message: 'Keep the reason to one line of 120 characters or fewer' });
    if (problems.length) return c.html(await sessionPage(c, s.id, { problems, values: { reason } }), 400);
    if (str(f.confirmed) !== 'yes') {
      const preview = notify ? await previewSessionNotice(db, templates, 'cancellation', s.id, { cancel_reason: reason }) : null;
      return checkPage(c, s, {
        title: 'Check before you cancel this session',
        rows: [['Reason', reason]],
        notify,
        preview,
        action: `/sessions/${s.id}/cancel`,
        fields: { reason, notify: notify ? 'yes' : 'no' },
        button: preview ? `Cancel the session and send ${plural(preview.send.length, 'text')}` : 'Cancel the session without texting',
        danger: true,
      });
    }
    const { texted } = await changeSession(db, clock, user, s.id, { kind: 'cancel', reason }, { templates, userId: user.id, notify });
    return c.redirect(`/sessions/${s.id}?done=${encodeURIComponent(`Cancelled. ${queuedWords(texted)}`)}`, 303);
  })
  .post('/sessions/:id/restore', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const s = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    if (str(f.confirmed) !== 'yes') {
      const preview = await previewSessionNotice(db, templates, 'back_on', s.id, { cancel_reason: null });
      return checkPage(c, s, {
        title: 'Check before you put this session back on',
        rows: [],
        notify: true,
        preview,
        action: `/sessions/${s.id}/restore`,
        fields: {},
        button: `Put it back on and send ${plural(preview.send.length, 'text')}`,
      });
    }
    const { texted } = await changeSession(db, clock, user, s.id, { kind: 'restore' }, { templates, userId: user.id, notify: true });
    return c.redirect(`/sessions/${s.id}?done=${encodeURIComponent(`Back on. ${queuedWords(texted)}`)}`, 303);
  })
  .post('/sessions/:id/move', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const s = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    const values = { date: readDateField(f, 'date'), time: str(f.time), venueId: str(f.venueId) };
    const notify = str(f.notify) === 'yes';
    const parsed = parseInstant(`${values.date}T${values.time}`, user.timezone);
    const startsAt = parsed.ok ? parsed.ms : null;
    const venue = values.venueId
      ? await db
          .selectFrom('venues')
          .select(['id', 'name'])
          .where('practice_id', '=', user.practiceId)
          .where('id', '=', Number(values.venueId) || 0)
          .executeTakeFirst()
      : undefined;
    const problems: FieldProblem[] = [];
    if (!isValidDate(values.date) || (!parsed.ok && parsed.reason === 'format'))
      problems.push({ field: 'date', message: 'Enter the new date as day, month and year, like 16 3 2027' });
    if (!/^\d{2}:\d{2}$/.test(values.time)) problems.push({ field: 'time', message: 'Enter the new start time, like 10:30' });
    else if (!parsed.ok && parsed.reason === 'skipped') problems.push({ field: 'time', message: parsed.message });
    if (values.venueId && !venue) problems.push({ field: 'venueId', message: 'Choose a venue from the list' });
    if (startsAt !== null && startsAt <= clock.now().getTime()) problems.push({ field: 'date', message: 'A session can only move to a time still to come' });
    if (problems.length) return c.html(await sessionPage(c, s.id, { problems, values }), 400);
    if (str(f.confirmed) !== 'yes') {
      const preview = notify
        ? await previewSessionNotice(db, templates, 'moved', s.id, { starts_at: startsAt!, ...(venue && { venue_name: venue.name }) })
        : null;
      return checkPage(c, s, {
        title: 'Check before you move this session',
        rows: [['New time', fmt(startsAt!, user.timezone)], ...(venue ? [['Venue', venue.name] as [string, string]] : [])],
        notify,
        preview,
        action: `/sessions/${s.id}/move`,
        fields: { ...values, notify: notify ? 'yes' : 'no' },
        button: preview ? `Move the session and send ${plural(preview.send.length, 'text')}` : 'Move the session without texting',
      });
    }
    const { session: moved, texted } = await changeSession(
      db,
      clock,
      user,
      s.id,
      { kind: 'move', startsAt: startsAt!, venueId: venue?.id },
      { templates, userId: user.id, notify },
    );
    return c.redirect(`/sessions/${moved.id}?done=${encodeURIComponent(`Moved. ${queuedWords(texted)}`)}`, 303);
  })
  .get('/sessions/:id/message', manage, async (c) => {
    const s = await getSession(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0);
    return c.html(<MessageForm c={c} sessionId={s.id} body="" problems={[]} />);
  })
  .post('/sessions/:id/message', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const s = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    const body = str(f.body);
    const problems: FieldProblem[] = [];
    const segments = countSegments(body).segments;
    if (!body) problems.push({ field: 'body', message: 'Write the message' });
    else if (segments > MAX_ADHOC_SEGMENTS)
      problems.push({ field: 'body', message: `This message would take ${segments} texts; shorten it to ${MAX_ADHOC_SEGMENTS} or fewer` });
    else if (!AdhocBody.safeParse({ body }).success)
      problems.push({ field: 'body', message: 'Keep the message to 600 characters, without control characters' });
    // The words typed stay on the form with the problem beside them: nothing is lost.
    if (problems.length) return c.html(<MessageForm c={c} sessionId={s.id} body={body} problems={problems} />, 400);
    if (str(f.confirmed) !== 'yes') {
      const preview = await previewAdhoc(db, templates, s.id, body);
      return checkPage(c, s, {
        title: 'Check before you send',
        rows: [],
        notify: true,
        preview,
        action: `/sessions/${s.id}/message`,
        fields: { body },
        button: `Send ${plural(preview.send.length, 'text')}`,
        back: `/sessions/${s.id}/message`,
      });
    }
    const now = clock.now().getTime();
    const r = await queueAdhoc(db, templates, s.id, body, `${s.id}:${now}:${crypto.randomUUID()}`, now, user.id);
    return c.redirect(`/messages?done=${encodeURIComponent(queuedWords(r))}`, 303);
  });
