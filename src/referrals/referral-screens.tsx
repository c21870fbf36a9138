import { type Context } from 'hono';
import type { ReferralStatus } from '../db/schema.js';
import { ukDate, ukDateTime } from '../lib/time/time.js';
import { ErrorSummary, FieldError, titleWith, type FieldProblem } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { SummaryList } from '../web/components/summary-list.js';
import { ConfirmPage } from '../web/forms/confirm-page.js';
import { type WebEnv } from '../web/web-auth.js';
import type { ReferralView } from './referral-reads.js';
import { NEXT_STEPS } from './referral-moves.js';
import { replyText, type ReferralReply } from './referral-reply.js';

export const STATUS_WORDS: Record<ReferralStatus, string> = {
  received: 'New',
  accepted: 'Accepted',
  declined: 'Declined',
  contacted: 'Contacted',
  attended: 'Came',
  closed: 'Closed',
};

export const when = ukDateTime;
export const personOf = (r: ReferralView) =>
  r.givenName === null ? 'Someone whose details were erased' : [r.givenName, r.familyName].filter(Boolean).join(' ');

/** Referrals as cards: who, since when, where they stand; a phone shows them one under another. */
export function ReferralCards(p: { rows: ReferralView[]; zone: string }) {
  return (
    <ul class="cards">
      {p.rows.map((r) => (
        <li>
          <p>
            <a href={`/referrals/${r.id}`}>
              <strong>{personOf(r)}</strong>
            </a>{' '}
            <span class={r.status === 'received' ? 'tag urgent' : 'tag'}>{STATUS_WORDS[r.status]}</span>
          </p>
          <p class="muted">
            Received {when(r.receivedAt, p.zone)}
            {r.referrer.name ? ` from ${r.referrer.name}` : ''}
            {r.groupName ? ` · ${r.groupName}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** The message back, as the referrer reads it on screen and prints it; with the block to paste. */
export function ReplySection(p: { reply: ReferralReply; practiceName: string; zone: string; print?: boolean }) {
  const r = p.reply;
  return (
    <section aria-labelledby="reply-title">
      <h2 id="reply-title">How it is going</h2>
      <p>{r.statusText}</p>
      <SummaryList
        rows={[
          ['Group', r.groupName ?? false],
          ['First session', r.firstSessionOn ? ukDate(r.firstSessionOn) : false],
          ['Sessions attended', String(r.sessionsAttended)],
          ['Last attended', r.lastAttendedOn ? ukDate(r.lastAttendedOn) : false],
          [
            'Wellbeing (SWEMWBS, 7 to 35)',
            r.wellbeing
              ? `${r.wellbeing.first.score} on ${ukDate(r.wellbeing.first.takenOn)}${r.wellbeing.latest ? `; ${r.wellbeing.latest.score} on ${ukDate(r.wellbeing.latest.takenOn)}` : ''}`
              : false,
          ],
        ]}
      />
      <div class="no-print">
        <label for="reply-text">To paste into the clinical system</label>
        <textarea id="reply-text" readonly rows={7}>
          {replyText(r, p.practiceName, p.zone)}
        </textarea>
      </div>
    </section>
  );
}

const MOVE_WORDS: Partial<Record<ReferralStatus, string>> = { contacted: 'Mark as contacted', closed: 'Close the referral' };

/** A CLP's next steps on one referral: accept into a group, decline with a reason, contacted, close. */
export function NextSteps(p: { r: ReferralView; csrf: string; groups: { id: number; name: string }[]; problems: FieldProblem[]; reason?: string }) {
  const next = NEXT_STEPS[p.r.status].filter((s) => s !== 'attended');
  if (next.length === 0) return null;
  const action = `/referrals/${p.r.id}/move`;
  return (
    <section aria-labelledby="next-title">
      <h2 id="next-title">Next step</h2>
      {next.includes('accepted') && (
        <form novalidate method="post" action={action}>
          <Csrf token={p.csrf} />
          <input type="hidden" name="status" value="accepted" />
          <label for="groupId">Accept into</label>
          <FieldError field="groupId" problems={p.problems} />
          <select id="groupId" name="groupId">
            {p.groups.map((g) => (
              <option value={String(g.id)} selected={g.id === (p.r.groupId ?? p.r.suggestedGroupId)}>
                {g.name}
              </option>
            ))}
          </select>
          <p class="muted">They are given a place, or join the waitlist if the group is full, and get the usual welcome text.</p>
          <button type="submit">Accept</button>
        </form>
      )}
      {next.includes('declined') && (
        <form novalidate method="post" action={action}>
          <Csrf token={p.csrf} />
          <input type="hidden" name="status" value="declined" />
          <label for="reason">Why decline it? (the referrer reads this)</label>
          <FieldError field="reason" problems={p.problems} />
          <input id="reason" name="reason" maxlength={500} value={p.reason ?? ''} />
          <button type="submit" class="secondary">
            Decline
          </button>
        </form>
      )}
      {next
        .filter((s) => MOVE_WORDS[s])
        .map((s) => (
          <form novalidate method="post" action={action} class="inline">
            <Csrf token={p.csrf} />
            <input type="hidden" name="status" value={s} />
            <button type="submit" class="secondary">
              {MOVE_WORDS[s]}
            </button>
          </form>
        ))}
    </section>
  );
}

/** One referral: the person, why, what they agreed, each step with who and when, and the message back. */
export function referralPage(
  c: Context<WebEnv>,
  r: ReferralView,
  reply: ReferralReply | null,
  groups: { id: number; name: string }[],
  problems: FieldProblem[] = [],
  status: 200 | 400 | 409 = 200,
  reason?: string,
) {
  const { user } = c.var;
  const manage = user.role === 'admin' || user.role === 'clp';
  return c.html(
    <Layout title={titleWith(problems, `Referral: ${personOf(r)}`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p class="no-print">
        <a href="/referrals">All referrals</a>
        {manage && r.givenName !== null && (
          <>
            {' · '}
            <a href={`/participants/${r.participantId}`}>{personOf(r)}'s page</a>
          </>
        )}
      </p>
      <SummaryList
        rows={[
          ['Where it stands', STATUS_WORDS[r.status]],
          ['Why', r.reason ?? 'Not kept'],
          ['Needs', r.needs.length ? r.needs.join(', ') : false],
          ['Referred by', [r.referrer.name, r.referrer.organisation].filter(Boolean).join(', ') || 'Not recorded'],
          [
            'Agreed',
            r.shareWithReferrer ? 'To be referred, and to share attendance and wellbeing with the referrer' : 'To be referred (not to share how it goes)',
          ],
        ]}
      />
      {manage && <NextSteps r={r} csrf={c.var.csrf} groups={groups} problems={problems} reason={reason} />}
      {reply && <ReplySection reply={reply} practiceName={user.practiceName} zone={user.timezone} />}
      <p class="no-print">
        <button type="button" class="secondary" data-print="">
          Print
        </button>
      </p>
      <h2>History</h2>
      <ol>
        {r.history.map((h) => (
          <li>
            {STATUS_WORDS[h.status]}, {when(h.at, user.timezone)}
            {h.by ? ` by ${h.by.name}` : ''}
            {h.reason ? `: ${h.reason}` : ''}
          </li>
        ))}
      </ol>
    </Layout>,
    status,
  );
}

/** Closing is for good: asked once more, with room for a note (GOV.UK's confirmation before anything irreversible). */
export function confirmClosePage(c: Context<WebEnv>, r: ReferralView) {
  return c.html(
    <ConfirmPage
      title={`Close the referral for ${personOf(r)}?`}
      user={c.var.user}
      csrf={c.var.csrf}
      action={`/referrals/${r.id}/move`}
      fields={{ status: 'closed' }}
      button="Yes, close it"
      back={{ href: `/referrals/${r.id}`, label: 'No, go back' }}
      extra={
        <>
          <label for="reason">Note (optional): why it is closed</label>
          <input id="reason" name="reason" maxlength={500} />
        </>
      }
    >
      <p>A closed referral cannot be moved on again. The person keeps any place they have in a group, and the referrer can still read how it went.</p>
    </ConfirmPage>,
  );
}
