import { Hono } from 'hono';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { EARLIEST_BEFORE_START_MS, getRegister, markWindow, registerClosed, saveRegister, type RegisterEntryInput } from '../attendance/register-service.js';
import { createParticipant, pickableParticipants } from '../participants/participants-service.js';
import { NewParticipantBody } from '../participants/participant-schemas.js';
import { parseOrThrow } from '../lib/validate.js';
import { facilitatesAny } from '../attendance/check-ins.js';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../db/schema.js';
import { invalid } from '../lib/errors.js';
import { addDays, localDate, parseInstant, startOfLocalDate } from '../lib/time.js';
import { changeSession } from '../sessions/session-changes.js';
import { getSession } from '../sessions/sessions-service.js';
import { queueAdhoc } from '../sms/outbox.js';
import { countSegments } from '../sms/gsm.js';
import { Csrf, Layout } from './layout.js';
import { personName, RegisterPage } from './pages/register-page.js';
import { PrintRegister } from './pages/print-register.js';
import { TodayPage, type TodaySession } from './pages/today-page.js';
import { form, list, pageRoles, str, type WebEnv } from './web-auth.js';

const fmt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm');
const manage = pageRoles('admin', 'clp');

/** Today, the register, one session's details (cancel, move, text everyone). */
export const sessionPages = new Hono<WebEnv>()
  .get('/today', manage, async (c) => {
    const { user, db, clock } = c.var;
    const now = clock.now().getTime();
    const today = localDate(now, user.timezone);
    const mine = user.role === 'clp' && (await facilitatesAny(db, user.id));
    const rows = await sql<TodaySession>`
      SELECT s.id, s.starts_at, s.status, g.name AS group_name, v.name AS venue_name, s.register_taken_at
      FROM sessions s JOIN community_groups g ON g.id = s.group_id JOIN venues v ON v.id = s.venue_id
      WHERE s.practice_id = ${user.practiceId} AND s.starts_at >= ${startOfLocalDate(today, user.timezone)} AND s.starts_at < ${startOfLocalDate(addDays(today, 7), user.timezone)}
        ${mine ? sql`AND s.group_id IN (SELECT group_id FROM group_facilitators WHERE user_id = ${user.id})` : sql``}
      ORDER BY s.starts_at`.execute(db);
    const tomorrow = startOfLocalDate(addDays(today, 1), user.timezone);
    return c.html(
      <TodayPage
        user={user}
        csrf={c.var.csrf}
        mineOnly={mine}
        today={rows.rows.filter((r) => r.starts_at < tomorrow)}
        week={rows.rows.filter((r) => r.starts_at >= tomorrow)}
      />,
    );
  })
  .get('/sessions/:id/register', manage, async (c) => {
    const { user, db, clock } = c.var;
    const now = clock.now().getTime();
    const r = await getRegister(db, user, now, Number(c.req.param('id')) || 0);
    const group = await db.selectFrom('community_groups').select('name').where('id', '=', r.session.group_id).executeTakeFirstOrThrow();
    const onList = new Set(r.entries.map((e) => e.participant_id));
    const others = (await pickableParticipants(db, user.practiceId))
      .filter((p) => !onList.has(p.id))
      .map((p) => ({ id: p.id, name: [p.given_name, p.family_name].filter(Boolean).join(' ') }));
    const closed = registerClosed(r.session, now);
    return c.html(
      <RegisterPage
        user={user}
        csrf={c.var.csrf}
        title={`Register: ${group.name}`}
        sessionId={r.session.id}
        when={fmt(r.session.starts_at, user.timezone)}
        rows={r.entries}
        headcount={r.session.headcount}
        others={others}
        notice={c.req.query('done')}
        error={c.req.query('problem')}
        closed={
          closed ? { message: closed.message, opensAt: r.session.status === 'cancelled' ? null : r.session.starts_at - EARLIEST_BEFORE_START_MS } : undefined
        }
        window={markWindow(r.session, user.timezone)}
      />,
    );
  })
  .get('/sessions/:id/register/print', manage, async (c) => {
    const { user, db, clock } = c.var;
    const r = await getRegister(db, user, clock.now().getTime(), Number(c.req.param('id')) || 0);
    const group = await db.selectFrom('community_groups').select('name').where('id', '=', r.session.group_id).executeTakeFirstOrThrow();
    const venue = await db.selectFrom('venues').select('name').where('id', '=', r.session.venue_id).executeTakeFirstOrThrow();
    return c.html(
      <PrintRegister title={group.name} when={fmt(r.session.starts_at, user.timezone)} venue={venue.name} rows={r.entries} user={user} csrf={c.var.csrf} />,
    );
  })
  .post('/sessions/:id/register', manage, async (c) => {
    const f = await form(c);
    const { db, user, clock } = c.var;
    const now = clock.now().getTime();
    const id = Number(c.req.param('id')) || 0;
    const session = await getSession(db, user.practiceId, id);
    const closed = registerClosed(session, now);
    if (closed) throw closed;
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
    if (str(f.newGivenName)) {
      const person = parseOrThrow(NewParticipantBody, { givenName: str(f.newGivenName), familyName: str(f.newFamilyName) || null, smsConsent: false });
      const created = await createParticipant(db, user, now, person);
      entries.push({ participantId: created.id, status: 'present', dropIn: true });
    }
    const hc = str(f.headcount);
    if (hc !== '' && !/^\d{1,4}$/.test(hc)) throw invalid('The headcount must be a whole number');
    const headcount = hc === str(f.seen_headcount) || hc === '' ? undefined : Number(hc);
    const saved = await saveRegister(db, user, now, id, entries, headcount);
    const names = new Map(saved.entries.map((e) => [e.participant_id, personName(e)]));
    const refused = saved.results.filter((x) => x.outcome === 'refused' || x.outcome === 'newer_kept');
    const marked = saved.entries.filter((e) => e.status !== null).length;
    const done = `Register saved: ${marked} of ${saved.entries.length} marked.`;
    const problem = refused.map((x) => `${names.get(x.participantId) ?? 'Someone'} was not changed: ${x.reason}.`).join(' ');
    return c.redirect(`/sessions/${id}/register?done=${encodeURIComponent(done)}${problem ? `&problem=${encodeURIComponent(problem)}` : ''}`, 303);
  })
  .get('/sessions/:id', async (c) => {
    const { user, db } = c.var;
    const s = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    const group = await db.selectFrom('community_groups').select(['id', 'name']).where('id', '=', s.group_id).executeTakeFirstOrThrow();
    const venues = await db.selectFrom('venues').select(['id', 'name']).where('practice_id', '=', user.practiceId).orderBy('name').execute();
    const local = DateTime.fromMillis(s.starts_at, { zone: user.timezone });
    const canManage = user.role !== 'staff';
    return c.html(
      <Layout title={`${group.name}: ${fmt(s.starts_at, user.timezone)}`} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p>
          Status: <strong>{s.status === 'cancelled' ? `Cancelled${s.cancel_reason ? ` (${s.cancel_reason})` : ''}` : 'Going ahead'}</strong> ·{' '}
          <a href={`/groups/${group.id}`}>Group page</a>
        </p>
        {canManage && s.status === 'scheduled' && (
          <>
            <p>
              <a class="button" href={`/sessions/${s.id}/register`}>
                Register
              </a>{' '}
              <a class="button secondary" href={`/sessions/${s.id}/message`}>
                Text everyone
              </a>{' '}
              <a href={`/sessions/${s.id}/register/print`}>Printable register</a>
            </p>
            <h2>Cancel this session</h2>
            <form method="post" action={`/sessions/${s.id}/cancel`}>
              <Csrf token={c.var.csrf} />
              <label for="reason">Reason (sent to participants)</label>
              <input id="reason" name="reason" required maxlength={120} placeholder="e.g. heavy rain" />
              <label class="check">
                <input type="checkbox" name="notify" value="yes" checked /> Text everyone enrolled
              </label>
              <p>
                <button type="submit" class="danger">
                  Cancel session
                </button>
              </p>
            </form>
            <h2>Move this session</h2>
            <form method="post" action={`/sessions/${s.id}/move`}>
              <Csrf token={c.var.csrf} />
              <label for="date">Date</label>
              <input id="date" name="date" type="date" required value={local.toISODate()!} />
              <label for="time">Start time</label>
              <input id="time" name="time" type="time" required value={local.toFormat('HH:mm')} />
              <label for="venueId">Venue</label>
              <select id="venueId" name="venueId">
                {venues.map((v) => (
                  <option value={String(v.id)} selected={v.id === s.venue_id}>
                    {v.name}
                  </option>
                ))}
              </select>
              <label class="check">
                <input type="checkbox" name="notify" value="yes" checked /> Text everyone enrolled
              </label>
              <p>
                <button type="submit">Move session</button>
              </p>
            </form>
          </>
        )}
        {canManage && s.status === 'cancelled' && (
          <form method="post" action={`/sessions/${s.id}/restore`}>
            <Csrf token={c.var.csrf} />
            <button type="submit">Restore this session</button>
          </form>
        )}
      </Layout>,
    );
  })
  .post('/sessions/:id/cancel', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const reason = str(f.reason);
    if (!reason) throw invalid('Say why the session is cancelled');
    const { session: s, texted } = await changeSession(
      db,
      clock,
      user,
      Number(c.req.param('id')) || 0,
      { kind: 'cancel', reason: reason.slice(0, 120) },
      {
        templates,
        userId: user.id,
        notify: str(f.notify) === 'yes',
      },
    );
    return c.redirect(`/sessions/${s.id}?done=${encodeURIComponent(`Cancelled. ${texted} text${texted === 1 ? '' : 's'} queued.`)}`, 303);
  })
  .post('/sessions/:id/restore', manage, async (c) => {
    await form(c);
    const { db, clock, user, templates } = c.var;
    const { session: s, texted } = await changeSession(
      db,
      clock,
      user,
      Number(c.req.param('id')) || 0,
      { kind: 'restore' },
      { templates, userId: user.id, notify: true },
    );
    return c.redirect(`/sessions/${s.id}?done=${encodeURIComponent(`Restored. ${texted} text${texted === 1 ? '' : 's'} queued to say it is back on.`)}`, 303);
  })
  .post('/sessions/:id/move', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const startsAt = parseInstant(`${str(f.date)}T${str(f.time)}`, user.timezone);
    if (startsAt === null) throw invalid('Give a date and a start time');
    const { session: s, texted } = await changeSession(
      db,
      clock,
      user,
      Number(c.req.param('id')) || 0,
      { kind: 'move', startsAt, venueId: Number(str(f.venueId)) || undefined },
      { templates, userId: user.id, notify: str(f.notify) === 'yes' },
    );
    return c.redirect(`/sessions/${s.id}?done=${encodeURIComponent(`Moved. ${texted} text${texted === 1 ? '' : 's'} queued.`)}`, 303);
  })
  .get('/sessions/:id/message', manage, async (c) => {
    const s = await getSession(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0);
    return c.html(
      <Layout title="Text everyone in this session" user={c.var.user} csrf={c.var.csrf}>
        <form method="post" action={`/sessions/${s.id}/message`}>
          <Csrf token={c.var.csrf} />
          <label for="body">Message</label>
          <textarea id="body" name="body" rows={4} maxlength={600} required aria-describedby="count"></textarea>
          <p id="count" class="muted" aria-live="polite">
            Plain words work best. Up to 3 texts long.
          </p>
          <p>
            <button type="submit">Send</button>
          </p>
        </form>
        <script dangerouslySetInnerHTML={{ __html: COUNTER_SCRIPT }} />
      </Layout>,
    );
  })
  .post('/sessions/:id/message', manage, async (c) => {
    const f = await form(c);
    const { db, clock, user, templates } = c.var;
    const s = await getSession(db, user.practiceId, Number(c.req.param('id')) || 0);
    const body = str(f.body);
    if (!body) throw invalid('Write a message');
    if (countSegments(body).segments > 3) throw invalid('That message is longer than 3 texts; shorten it');
    const now = clock.now().getTime();
    const r = await queueAdhoc(db, templates, s.id, body, `${s.id}:${now}:${crypto.randomUUID()}`, now, user.id);
    return c.redirect(`/messages?done=${encodeURIComponent(`${r.queued} texts queued, ${r.skipped} people cannot be texted.`)}`, 303);
  });

// Progressive enhancement: a live character and segment count; the form works without it.
const COUNTER_SCRIPT = `(() => {
  const t = document.getElementById('body'), out = document.getElementById('count');
  const gsm = /^[@£$¥èéùìòÇ\\nØø\\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\\\\\[~\\]|€]*$/;
  const update = () => {
    const v = t.value, isGsm = gsm.test(v);
    const units = isGsm ? [...v].reduce((n, ch) => n + ('^{}\\\\[~]|€'.includes(ch) ? 2 : 1), 0) : v.length;
    const single = isGsm ? 160 : 70, multi = isGsm ? 153 : 67;
    const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi);
    out.textContent = units + ' characters, ' + segments + ' text' + (segments === 1 ? '' : 's') + (isGsm ? '' : ' (special characters make texts shorter)');
  };
  t.addEventListener('input', update); update();
})();`;
