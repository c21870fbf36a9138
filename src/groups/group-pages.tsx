import { Hono } from 'hono';
import { EnrolBody } from '../enrolments/enrolments-routes.js';
import { DateTime } from 'luxon';
import { enrol, listEnrolments, withdrawEnrolment } from '../enrolments/enrolments-service.js';
import { GroupPatchBody, NewGroupBody } from './group-schemas.js';
import { createGroup, facilitatorIdsByGroup, getGroup, listGroups, updateGroup } from './groups-service.js';
import { invalid, notFound } from '../lib/errors.js';
import { nextFromWaitlist } from '../enrolments/waitlist.js';
import { previewOffers } from '../sms/outbox/outbox.js';
import { TextsToSend } from '../sms/pages/confirm-texts.js';
import { addDays, localDate } from '../lib/time/time.js';
import { parseOrThrow } from '../lib/validate.js';
import { pickableParticipants } from '../participants/participants-service.js';
import { listSessions } from '../sessions/sessions-service.js';
import { GroupForm } from './group-form.js';
import { groupFormToJson, groupFormValues, groupProblems } from './group-form-values.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { REFERRAL_SOURCES, EnrolmentTable, formChoices, groupFormAgain } from './group-screens.js';
import { ConfirmPage } from '../web/forms/confirm-page.js';

export const manage = pageRoles('admin', 'clp');

/** Groups: list, create, edit; a group's sessions, enrolled list, waitlist and enrolment. */
export const groupPages = new Hono<WebEnv>()
  .get('/groups', async (c) => {
    const groups = await listGroups(c.var.db, c.var.user.practiceId);
    return c.html(
      <Layout title="Groups" user={c.var.user} csrf={c.var.csrf} notice={c.req.query('done')}>
        {c.var.user.role !== 'staff' && (
          <p>
            <a class="button" href="/groups/new">
              New group
            </a>{' '}
            <a href="/closures">Days the practice is closed</a>
          </p>
        )}
        <ul class="cards">
          {groups.map((g) => (
            <li>
              <a href={`/groups/${g.id}`}>{g.name}</a> <span class="tag">{g.status}</span>
              <br />
              <span class="muted">
                {g.frequency} on {g.weekdays.split(',').join(', ')} at {g.start_time}
                {g.capacity === null ? ' · drop-in' : ` · ${g.capacity} places`}
              </span>
            </li>
          ))}
        </ul>
      </Layout>,
    );
  })
  .get('/groups/new', manage, async (c) => {
    const choices = await formChoices(c);
    if (choices.venues.length === 0) return c.redirect('/venues?done=Add a venue first: every group meets somewhere.', 303);
    const values = groupFormValues(undefined, [], localDate(c.var.clock.now().getTime(), c.var.user.timezone));
    return c.html(
      <Layout title="New group" user={c.var.user} csrf={c.var.csrf}>
        <GroupForm action="/groups" csrf={c.var.csrf} editing={false} values={values} {...choices} />
      </Layout>,
    );
  })
  .post('/groups', manage, async (c) => {
    const f = await form(c);
    const parsed = NewGroupBody.safeParse(groupFormToJson(f));
    if (!parsed.success) return groupFormAgain(c, 'New group', '/groups', false, f, groupProblems(parsed.error.issues));
    const { user } = c.var;
    const g = await createGroup(
      c.var.db,
      c.var.clock,
      { practiceId: user.practiceId, timezone: user.timezone, horizonDays: c.var.config.horizonDays },
      parsed.data,
    );
    return c.redirect(`/groups/${g.id}?done=${encodeURIComponent('Group created and its sessions planned.')}`, 303);
  })
  .get('/groups/:id/edit', manage, async (c) => {
    const g = await getGroup(c.var.db, c.var.user.practiceId, Number(c.req.param('id')) || 0);
    const f = (await facilitatorIdsByGroup(c.var.db, [g.id])).get(g.id) ?? [];
    const values = groupFormValues(g, f, localDate(c.var.clock.now().getTime(), c.var.user.timezone));
    return c.html(
      <Layout title={`Edit ${g.name}`} user={c.var.user} csrf={c.var.csrf}>
        <GroupForm action={`/groups/${g.id}`} csrf={c.var.csrf} editing values={values} {...await formChoices(c)} />
      </Layout>,
    );
  })
  .post('/groups/:id', manage, async (c) => {
    const f = await form(c);
    const { user } = c.var;
    const existing = await getGroup(c.var.db, user.practiceId, Number(c.req.param('id')) || 0);
    const parsed = GroupPatchBody.safeParse(groupFormToJson(f));
    if (!parsed.success) return groupFormAgain(c, `Edit ${existing.name}`, `/groups/${existing.id}`, true, f, groupProblems(parsed.error.issues));
    const g = await updateGroup(
      c.var.db,
      c.var.clock,
      { practiceId: user.practiceId, timezone: user.timezone, horizonDays: c.var.config.horizonDays },
      existing.id,
      parsed.data,
    );
    return c.redirect(`/groups/${g.id}?done=Saved.`, 303);
  })
  .get('/groups/:id', async (c) => {
    const { db, user, clock } = c.var;
    const g = await getGroup(db, user.practiceId, Number(c.req.param('id')) || 0);
    const now = clock.now().getTime();
    const today = localDate(now, user.timezone);
    const sessions = await listSessions(db, user, { from: today, to: addDays(today, 56), groupId: g.id });
    const canManage = user.role !== 'staff';
    const enrolments = canManage ? await listEnrolments(db, user, now, g.id) : [];
    const people = canManage ? await pickableParticipants(db, user.practiceId) : [];
    const enrolledIds = new Set(enrolments.filter((e) => e.status !== 'withdrawn').map((e) => e.participant_id));
    const name = (e: { given_name: string | null; family_name: string | null }) => [e.given_name ?? 'Erased', e.family_name].filter(Boolean).join(' ');
    const find = (c.req.query('find') ?? '').trim().slice(0, 100);
    const needle = find.toLocaleLowerCase('en-GB');
    const choosable = people.filter((p) => !enrolledIds.has(p.id) && (!needle || name(p).toLocaleLowerCase('en-GB').includes(needle)));
    return c.html(
      <Layout title={g.name} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p class="muted">
          {g.status} · {g.capacity === null ? 'drop-in' : `${enrolments.filter((e) => e.status === 'active').length} of ${g.capacity} places taken`}
          {g.sms_label && ` · texts say "${g.sms_label}"`}
        </p>
        {canManage && (
          <p>
            <a class="button secondary" href={`/groups/${g.id}/edit`}>
              Edit group
            </a>{' '}
            <a href={`/groups/${g.id}/public`}>{g.public === 1 ? 'Listed in public: see and change' : 'List in public'}</a>
          </p>
        )}
        <h2>Next sessions</h2>
        <ul class="cards">
          {sessions.slice(0, 8).map((s) => (
            <li>
              <a href={`/sessions/${s.id}`}>{DateTime.fromMillis(s.starts_at, { zone: user.timezone }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm')}</a>{' '}
              {s.status === 'cancelled' && <span class="tag">Cancelled{s.cancel_reason ? `: ${s.cancel_reason}` : ''}</span>}
            </li>
          ))}
        </ul>
        {canManage && (
          <>
            <h2>Enrolled</h2>
            <EnrolmentTable rows={enrolments.filter((e) => e.status === 'active')} groupId={g.id} csrf={c.var.csrf} name={name} />
            <h2>Waitlist</h2>
            <EnrolmentTable rows={enrolments.filter((e) => e.status === 'waitlisted')} groupId={g.id} csrf={c.var.csrf} name={name} waitlist />
            <h2 id="enrol">Enrol someone</h2>
            <form novalidate method="get" action={`/groups/${g.id}#enrol`} role="search" class="row">
              <label for="find">Find a person by name</label>
              <input id="find" name="find" maxlength={100} value={find} />
              <button type="submit" class="secondary">
                Find
              </button>
            </form>
            <form novalidate method="post" action={`/groups/${g.id}/enrol`}>
              <Csrf token={c.var.csrf} />
              <label for="participantId">Participant</label>
              {choosable.length === 0 && find ? <p class="muted">Nobody not yet in the group matches “{find}”.</p> : null}
              <select id="participantId" name="participantId">
                {/* Nobody chosen until the CLP chooses: a pre-selected first name enrolled the wrong person. */}
                <option value="">Choose a person</option>
                {choosable.map((p) => (
                  <option value={String(p.id)}>{name(p)}</option>
                ))}
              </select>
              <label for="referralSource">Referred by</label>
              <select id="referralSource" name="referralSource">
                {Object.entries(REFERRAL_SOURCES).map(([v, l]) => (
                  <option value={v}>{l}</option>
                ))}
              </select>
              <label for="referralReason">Why they were referred (optional, for the monitoring return)</label>
              <input id="referralReason" name="referralReason" maxlength={200} placeholder="e.g. isolation after a bereavement" />
              <p>
                <button type="submit">Enrol</button> <a href="/participants/new">New participant</a>
              </p>
            </form>
          </>
        )}
      </Layout>,
    );
  })
  .post('/groups/:id/enrol', manage, async (c) => {
    const f = await form(c);
    const participantId = Number(str(f.participantId));
    if (!participantId) throw invalid('Choose who to enrol from the list of participants');
    const body = parseOrThrow(EnrolBody, { participantId, referralSource: str(f.referralSource) || null, referralReason: str(f.referralReason) || null });
    const e = await enrol(c.var.db, c.var.user, c.var.clock.now().getTime(), Number(c.req.param('id')) || 0, {
      participantId: body.participantId,
      referralSource: body.referralSource ?? null,
      referralReason: body.referralReason ?? null,
    });
    const msg = e.status === 'active' ? 'Enrolled.' : `The group is full: added to the waitlist at position ${e.waitlist_position}.`;
    return c.redirect(`/groups/${e.group_id}?done=${encodeURIComponent(msg)}`, 303);
  })
  .post('/groups/:id/withdraw/:pid', manage, async (c) => {
    const f = await form(c);
    const { db, user, clock, templates } = c.var;
    const now = clock.now().getTime();
    const group = await getGroup(db, user.practiceId, Number(c.req.param('id')) || 0);
    const pid = Number(c.req.param('pid')) || 0;
    if (str(f.confirmed) !== 'yes') {
      const person = await db
        .selectFrom('enrolments as e')
        .innerJoin('participants as p', 'p.id', 'e.participant_id')
        .select(['p.given_name', 'p.family_name', 'e.status'])
        .where('e.group_id', '=', group.id)
        .where('e.participant_id', '=', pid)
        .where('e.status', '!=', 'withdrawn')
        .executeTakeFirst();
      if (!person) throw notFound('Enrolment');
      const offers = await previewOffers(db, templates, group.id, await nextFromWaitlist(db, group.id, pid), now);
      const name = [person.given_name, person.family_name].filter(Boolean).join(' ') || 'This person';
      const promoted = offers.send.length + offers.cannot.length;
      return c.html(
        <ConfirmPage
          title={`Withdraw ${name} from ${group.name}?`}
          user={user}
          csrf={c.var.csrf}
          action={`/groups/${group.id}/withdraw/${pid}`}
          button={promoted > 0 ? `Withdraw ${name} and offer the place` : `Withdraw ${name}`}
          danger
          back={{ href: `/groups/${group.id}`, label: 'Go back without withdrawing anyone' }}
        >
          <p>
            {name} will {person.status === 'waitlisted' ? 'leave the waitlist' : 'lose their place'}. They are not texted about it.
          </p>
          {promoted > 0 ? (
            <>
              <p>Their place goes to the first on the waitlist, who is offered it by text with the next session.</p>
              <TextsToSend preview={offers} />
            </>
          ) : (
            <p>Nobody is waiting for a place, so nobody else is texted.</p>
          )}
        </ConfirmPage>,
      );
    }
    const r = await withdrawEnrolment(db, user, now, group.id, pid);
    const offered = r.promoted.length
      ? ` ${r.promoted.length === 1 ? 'The first person' : `${r.promoted.length} people`} on the waitlist now ${r.promoted.length === 1 ? 'has the place' : 'have places'}, offered by text with the next session.`
      : '';
    return c.redirect(`/groups/${group.id}?done=${encodeURIComponent(`Withdrawn.${offered}`)}`, 303);
  });
