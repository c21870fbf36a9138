import { Hono, type Context } from 'hono';
import { AppError } from '../lib/errors.js';
import { issuesOf, problemsFor, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { Layout } from '../web/layout.js';
import { StateFilter } from '../web/components/state-filter.js';
import { form, pageRoles, str, type WebEnv } from '../web/web-auth.js';
import { NewReferralBody, REFERRAL_STATUSES, ReferralPatchBody } from './referral-schemas.js';
import { createReferral, getReferral, listReferrals } from './referrals-service.js';
import { moveReferral } from './referral-moves.js';
import { referralReply } from './referral-reply.js';
import { openGroups, REFERRAL_RULES, referralBodyFrom, referralFormPage } from './referral-form.js';
import { confirmClosePage, ReferralCards, referralPage, STATUS_WORDS } from './referral-screens.js';

const referrers = pageRoles('admin', 'clp', 'staff');
const manage = pageRoles('admin', 'clp');

const MOVE_RULES: FieldRules = [
  ['reason', 'reason', 'Say why the referral is declined: the referrer reads it'],
  ['groupId', 'groupId', 'Choose the group to accept them into'],
  ['', 'groupId', 'Choose what to do next'],
];

/** Referrals on the pages: the form for staff, the list and each referral's steps for CLPs, and the message back. */
export const referralPages = new Hono<WebEnv>()
  .get('/referrals', referrers, async (c) => {
    const { db, user, clock } = c.var;
    const status = REFERRAL_STATUSES.find((s) => s === c.req.query('status'));
    const rows = await listReferrals(db, user, clock.now().getTime(), status);
    const staff = user.role === 'staff';
    return c.html(
      <Layout title="Referrals" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
        <p>
          {staff
            ? 'The referrals you made, and how each is going.'
            : 'Referrals from the practice. Accept one into a group, or decline it with a reason; it shows "Came" by itself once the person is marked present.'}
        </p>
        <p>
          <a href="/referrals/new" class="button">
            Refer someone
          </a>
        </p>
        {!staff && <StateFilter label="Referrals by state" path="/referrals" states={REFERRAL_STATUSES} words={STATUS_WORDS} current={status} />}
        {rows.length === 0 ? (
          <p class="muted">No referrals{status ? ` ${STATUS_WORDS[status].toLowerCase()}` : ''}.</p>
        ) : (
          <ReferralCards rows={rows} zone={user.timezone} />
        )}
      </Layout>,
    );
  })
  .get('/referrals/new', referrers, (c) => referralFormPage(c, {}, []))
  .post('/referrals', referrers, async (c) => {
    const { values, body } = referralBodyFrom(await form(c));
    const parsed = NewReferralBody.safeParse(body);
    if (!parsed.success) return referralFormPage(c, values, problemsFor(parsed.error.issues, REFERRAL_RULES, true), 400);
    const { db, user, clock } = c.var;
    try {
      const r = await createReferral(db, user, clock.now().getTime(), parsed.data);
      return c.redirect(`/referrals/${r.id}?done=${encodeURIComponent('Referral sent: a CLP will contact them.')}`, 303);
    } catch (err) {
      // No consent, a CHI number on someone else's record, a group gone meanwhile: said beside the field, with what was typed kept.
      if (err instanceof AppError && err.status < 500 && err.status !== 403) {
        return referralFormPage(c, values, problemsFor(issuesOf(err), REFERRAL_RULES, true), err.status as 400 | 409 | 422);
      }
      throw err;
    }
  })
  .get('/referrals/:id', referrers, (c) => showReferral(c, []))
  .post('/referrals/:id/move', manage, async (c) => {
    const f = await form(c);
    const parsed = ReferralPatchBody.safeParse({
      status: str(f.status),
      reason: str(f.reason) || null,
      groupId: str(f.groupId) ? Number(str(f.groupId)) : undefined,
    });
    if (!parsed.success) return showReferral(c, problemsFor(parsed.error.issues, MOVE_RULES), 400, str(f.reason));
    const { db, user, clock } = c.var;
    const id = Number(c.req.param('id')) || 0;
    if (parsed.data.status === 'closed' && str(f.confirmed) !== 'yes') return confirmClosePage(c, await getReferral(db, user, clock.now().getTime(), id));
    try {
      await moveReferral(db, user, clock.now().getTime(), id, parsed.data);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'conflict' || err.code === 'invalid_input')) {
        return showReferral(c, problemsFor(issuesOf(err), MOVE_RULES, true), err.status as 400 | 409, str(f.reason));
      }
      throw err;
    }
    return c.redirect(`/referrals/${id}?done=${encodeURIComponent(`${STATUS_WORDS[parsed.data.status]}: saved.`)}`, 303);
  });

async function showReferral(c: Context<WebEnv>, problems: FieldProblem[], status: 200 | 400 | 409 = 200, reason?: string) {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const id = Number(c.req.param('id')) || 0;
  const r = await getReferral(db, user, now, id);
  const mayReadReply = user.role !== 'staff' || r.referrer.userId === user.id;
  const reply = mayReadReply && r.status !== 'received' ? await referralReply(db, user, now, id, r) : null;
  const groups = user.role === 'staff' ? [] : await openGroups(db, user.practiceId);
  return referralPage(c, r, reply, groups, problems, status, reason);
}
