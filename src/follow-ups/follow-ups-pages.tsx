import { Hono, type Context } from 'hono';
import { DateTime } from 'luxon';
import { ErrorSummary, FieldError, problemsFor, titleWith, type FieldProblem } from '../web/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { followUps, recordFollowUp, type FollowUpReason } from './follow-ups-service.js';
import { NewFollowUp } from './follow-ups-routes.js';

const manage = pageRoles('admin', 'clp');

export const REASON_WORDS: Record<FollowUpReason, string> = {
  missed_first: 'Missed their first session',
  never_came: 'Given a place 4 or more weeks ago, never came',
  stopped_coming: 'Missed the last two sessions',
  waitlisted_long: 'Waiting for a place for 4 or more weeks',
};
const ACTION_WORDS = { phoned: 'Phoned', texted: 'Texted', met: 'Met', closed: 'Closed' } as const;

const day = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('ccc d LLL yyyy');

/** Who needs a word from a CLP, on a phone or a desktop: what happened, since when, what was done, and a place to say what was done now. */
export const followUpPages = new Hono<WebEnv>()
  .get('/follow-ups', manage, (c) => followUpsPage(c, [], null))
  .post('/follow-ups', manage, async (c) => {
    const f = await form(c);
    const values = { participantId: str(f.participantId), groupId: str(f.groupId), action: str(f.action), note: str(f.note) };
    const parsed = NewFollowUp.safeParse({ ...values, note: values.note || null });
    const row = `${values.participantId}-${values.groupId}`;
    if (!parsed.success) {
      const problems = problemsFor(parsed.error.issues, [
        ['action', `action-${row}`, 'Choose what you did'],
        ['note', `note-${row}`, 'Say why this is closed (a note is needed to close it)'],
        ['', `action-${row}`, 'Choose someone from the list'],
      ]);
      return followUpsPage(c, problems, values, 400);
    }
    const { db, user, clock } = c.var;
    await recordFollowUp(db, user, clock.now().getTime(), parsed.data);
    return c.redirect(`/follow-ups?done=${encodeURIComponent(`${ACTION_WORDS[parsed.data.action]}: saved.`)}`, 303);
  });

async function followUpsPage(c: Context<WebEnv>, problems: FieldProblem[], values: Record<string, string> | null, status: 200 | 400 = 200) {
  const { db, user, clock } = c.var;
  const items = await followUps(db, user, clock.now().getTime());
  return c.html(
    <Layout title={titleWith(problems, 'Follow-ups')} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p>People who need a word from a CLP. Coming to a session takes someone off the list; so does closing it, with a note, until something new happens.</p>
      {items.length === 0 ? (
        <p class="muted">Nobody needs following up.</p>
      ) : (
        <ul class="cards">
          {items.map((f) => {
            const row = `${f.participantId}-${f.groupId}`;
            const mine = values && `${values.participantId}-${values.groupId}` === row ? values : null;
            const name = [f.givenName, f.familyName].filter(Boolean).join(' ') || 'Someone without a name';
            return (
              <li>
                <p>
                  <a href={`/participants/${f.participantId}`}>
                    <strong>{name}</strong>
                  </a>{' '}
                  · {f.groupName}
                  {f.referralId !== null && (
                    <>
                      {' · '}
                      <a href={`/referrals/${f.referralId}`}>their referral</a>
                    </>
                  )}
                </p>
                <p>
                  {REASON_WORDS[f.reason]}, since {day(f.since, user.timezone)}.
                  {f.lastAction && (
                    <span class="muted">
                      {' '}
                      Last: {ACTION_WORDS[f.lastAction.action].toLowerCase()} {day(f.lastAction.at, user.timezone)}
                      {f.lastAction.by ? ` by ${f.lastAction.by.name}` : ''}
                      {f.lastAction.note ? `: ${f.lastAction.note}` : ''}.
                    </span>
                  )}
                </p>
                <form novalidate method="post" action="/follow-ups">
                  <Csrf token={c.var.csrf} />
                  <input type="hidden" name="participantId" value={String(f.participantId)} />
                  <input type="hidden" name="groupId" value={String(f.groupId)} />
                  <fieldset>
                    <legend>What did you do about {name}?</legend>
                    <FieldError field={`action-${row}`} problems={problems} />
                    <div class="statuses">
                      {Object.entries(ACTION_WORDS).map(([value, label]) => (
                        <label>
                          <input
                            type="radio"
                            id={value === 'phoned' ? `action-${row}` : undefined}
                            name="action"
                            value={value}
                            checked={mine?.action === value}
                          />
                          {label}
                        </label>
                      ))}
                    </div>
                  </fieldset>
                  <label for={`note-${row}`}>Note (needed to close)</label>
                  <FieldError field={`note-${row}`} problems={problems} />
                  <input id={`note-${row}`} name="note" maxlength={1000} value={mine?.note ?? ''} />
                  <p>
                    <button type="submit" class="secondary">
                      Save
                    </button>
                  </p>
                </form>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>,
    status,
  );
}
