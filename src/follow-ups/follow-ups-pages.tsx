import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { ErrorSummary, FieldError, problemsFor, titleWith, type FieldProblem } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { DateInput, readDateField } from '../web/forms/date-input.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { displayPhone } from '../lib/phone.js';
import { localDate } from '../lib/time/time.js';
import { followUps, recordFollowUp, type FollowUp, type FollowUpReason } from './follow-ups-service.js';
import { NewFollowUp } from './follow-ups-routes.js';
import { ClosedOffer } from './follow-up-closed.js';

const manage = pageRoles('admin', 'clp');

export const REASON_WORDS: Record<FollowUpReason, string> = {
  missed_first: 'Missed their first session',
  never_came: 'Given a place 4 or more weeks ago, never came',
  stopped_coming: 'Missed the last two sessions',
  waitlisted_long: 'Waiting for a place for 4 or more weeks',
};
const ACTION_WORDS = { phoned: 'Phoned', texted: 'Texted', met: 'Met', closed: 'Closed' } as const;

const day = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy');
const dayOf = (date: string) => DateTime.fromISO(date).setLocale('en-GB').toFormat('ccc d LLL yyyy');

/** One person on the list: every group they are listed for, and what is known about the calls. */
interface PersonToCall {
  participantId: number;
  name: string;
  phone: string | null;
  groups: FollowUp[];
  last: FollowUp['lastAction'];
  takenOnBy: FollowUp['takenOnBy'];
  callAgainOn: string | null;
}

/** The list as people, not person-and-group pairs: one card, one call, however many groups. */
function byPerson(items: FollowUp[]): PersonToCall[] {
  const people = new Map<number, PersonToCall>();
  for (const f of items) {
    const p = people.get(f.participantId) ?? {
      participantId: f.participantId,
      name: [f.givenName, f.familyName].filter(Boolean).join(' ') || 'Someone without a name',
      phone: f.phone,
      groups: [],
      last: null,
      takenOnBy: f.takenOnBy,
      callAgainOn: f.callAgainOn,
    };
    p.groups.push(f);
    if (f.lastAction && (!p.last || f.lastAction.at > p.last.at)) p.last = f.lastAction;
    people.set(f.participantId, p);
  }
  return [...people.values()];
}

/** Who needs a word from a CLP, on a phone or a desktop: one card a person, a number to tap, who has it, when to call again. */
export const followUpPages = new Hono<WebEnv>()
  .get('/follow-ups', manage, (c) => followUpsPage(c, [], null))
  .post('/follow-ups', manage, async (c) => {
    const f = await form(c);
    const pid = str(f.participantId);
    const groupIds = [f.groupId].flat().map((g) => String(g ?? ''));
    const values = { participantId: pid, action: str(f.action), note: str(f.note), callAgainOn: readDateField(f, `callAgainOn-${pid}`), takeOn: str(f.takeOn) };
    const parsed = NewFollowUp.safeParse({
      participantId: pid,
      groupId: groupIds[0],
      action: values.action || undefined,
      note: values.note || null,
      callAgainOn: values.callAgainOn || null,
      takeOn: values.takeOn === 'yes',
    });
    if (!parsed.success) {
      const problems = problemsFor(parsed.error.issues, [
        ['action', `action-${pid}`, 'Choose what you did'],
        ['note', `note-${pid}`, 'Say why this is closed (a note is needed to close it)'],
        ['callAgainOn', `callAgainOn-${pid}`, 'Enter the day to call again as day, month and year, for example 14 3 2027'],
        ['', `action-${pid}`, 'Choose someone from the list'],
      ]);
      return followUpsPage(c, problems, values, 400);
    }
    const { db, user, clock } = c.var;
    const now = clock.now().getTime();
    if (parsed.data.callAgainOn && parsed.data.callAgainOn < localDate(now, user.timezone))
      return followUpsPage(c, [{ field: `callAgainOn-${pid}`, message: 'The day to call again must be today or later' }], values, 400);
    // The same call is about each of their groups: recorded against every one listed.
    for (const [i, groupId] of groupIds.entries())
      await recordFollowUp(db, user, now, { ...parsed.data, groupId: Number(groupId), ...(i > 0 && { takeOn: undefined, callAgainOn: undefined }) });
    if (parsed.data.action === 'closed') return ClosedOffer(c, parsed.data.participantId, groupIds.map(Number));
    const done = parsed.data.action ? `${ACTION_WORDS[parsed.data.action]}: saved.` : 'Saved.';
    return c.redirect(`/follow-ups?done=${encodeURIComponent(done)}`, 303);
  });

async function followUpsPage(c: Context<WebEnv>, problems: FieldProblem[], values: Record<string, string> | null, status: 200 | 400 = 200) {
  const { db, user, clock } = c.var;
  const today = localDate(clock.now().getTime(), user.timezone);
  const people = byPerson(await followUps(db, user, clock.now().getTime()));
  const now = people.filter((p) => !p.callAgainOn || p.callAgainOn <= today);
  const later = people.filter((p) => p.callAgainOn && p.callAgainOn > today).sort((a, b) => a.callAgainOn!.localeCompare(b.callAgainOn!));
  const card = (p: PersonToCall) => <PersonCard person={p} csrf={c.var.csrf} me={user.id} zone={user.timezone} problems={problems} values={values} />;
  return c.html(
    <Layout title={titleWith(problems, 'Follow-ups')} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p>People who need a word from a CLP. Coming to a session takes someone off the list; so does closing it, with a note, until something new happens.</p>
      {people.length === 0 ? <p class="muted">Nobody needs following up.</p> : <ul class="cards">{now.map(card)}</ul>}
      {later.length > 0 && (
        <>
          <h2>To call again later</h2>
          <ul class="cards">{later.map(card)}</ul>
        </>
      )}
    </Layout>,
    status,
  );
}

/** One person to call: how to reach them, why in each group, who has it, and what was done. */
function PersonCard(p: { person: PersonToCall; csrf: string; me: number; zone: string; problems: FieldProblem[]; values: Record<string, string> | null }) {
  const x = p.person;
  const id = String(x.participantId);
  const typed = p.values?.participantId === id ? p.values : null;
  const mine = x.takenOnBy?.id === p.me;
  return (
    <li>
      <p>
        <a href={`/participants/${id}`}>
          <strong>{x.name}</strong>
        </a>
        {x.phone ? (
          <>
            {' · '}
            <a href={`tel:${x.phone}`} class="tel">
              Call {displayPhone(x.phone)}
            </a>
          </>
        ) : (
          <span class="muted"> · no phone number</span>
        )}
      </p>
      <ul>
        {x.groups.map((g) => (
          <li>
            {g.groupName}: {REASON_WORDS[g.reason]}, since {day(g.since, p.zone)}
            {g.referralId !== null && (
              <>
                {' · '}
                <a href={`/referrals/${g.referralId}`}>their referral</a>
              </>
            )}
          </li>
        ))}
      </ul>
      <p class="muted">
        {x.takenOnBy ? `Taken on by ${mine ? 'you' : x.takenOnBy.name}.` : 'Nobody has taken this on yet.'}
        {x.callAgainOn && ` Call again on ${dayOf(x.callAgainOn)}.`}
        {x.last &&
          ` Last: ${ACTION_WORDS[x.last.action].toLowerCase()} ${day(x.last.at, p.zone)}${x.last.by ? ` by ${x.last.by.name}` : ''}${x.last.note ? `: ${x.last.note}` : ''}.`}
      </p>
      <FollowUpForm person={x} csrf={p.csrf} mine={mine} typed={typed} problems={p.problems} />
    </li>
  );
}

/** What was done about them: an action, a note, a day to call again, and taking it on. What was typed stays after an error. */
function FollowUpForm(p: { person: PersonToCall; csrf: string; mine: boolean; typed: Record<string, string> | null; problems: FieldProblem[] }) {
  const { person: x, typed } = p;
  const id = String(x.participantId);
  return (
    <form novalidate method="post" action="/follow-ups">
      <Csrf token={p.csrf} />
      <input type="hidden" name="participantId" value={id} />
      {x.groups.map((g) => (
        <input type="hidden" name="groupId" value={String(g.groupId)} />
      ))}
      <fieldset>
        <legend>What did you do about {x.name}?</legend>
        <FieldError field={`action-${id}`} problems={p.problems} />
        <div class="statuses">
          {Object.entries(ACTION_WORDS).map(([value, label]) => (
            <label>
              <input type="radio" id={value === 'phoned' ? `action-${id}` : undefined} name="action" value={value} checked={typed?.action === value} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <label for={`note-${id}`}>Note (needed to close)</label>
      <FieldError field={`note-${id}`} problems={p.problems} />
      <input id={`note-${id}`} name="note" maxlength={1000} value={typed?.note ?? ''} />
      <DateInput
        name={`callAgainOn-${id}`}
        legend="Call again on (optional)"
        hint="For example, 14 3 2027"
        value={typed?.callAgainOn ?? x.callAgainOn ?? ''}
        problems={p.problems}
        small
      />
      <label class="check">
        <input type="checkbox" name="takeOn" value="yes" checked={typed ? typed.takeOn === 'yes' : p.mine} /> I am taking this on
      </label>
      <p>
        <button type="submit" class="secondary">
          Save
        </button>
      </p>
    </form>
  );
}
