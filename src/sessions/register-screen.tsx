import { type Context } from 'hono';
import { EARLIEST_BEFORE_START_MS, markWindow, registerClosed } from '../attendance/register-service.js';
import { getRegister, recentDropIns, registerVersion } from '../attendance/register-reads.js';
import { pickableParticipants } from '../participants/participants-service.js';
import { nameFor } from '../participants/person-name.js';
import { assertLeads, leadersGroups, peopleLeaderMayName } from '../leaders/leader-access.js';
import { sessionFlags } from '../leaders/session-flags.js';
import { getSession } from './sessions-service.js';
import { RegisterPage } from '../attendance/register-page.js';
import { registerPageTag } from '../attendance/kept-registers.js';
import { type WebEnv } from '../web/web-auth.js';
import { fmt } from './session-screens.js';

/** How many people a drop-in search shows: enough for a name typed in part, short on a phone. */
const MATCHES_SHOWN = 20;

/** The register page, with the drop-in search's matches and, after a search before saving, the marks as they were left. */
export async function registerPage(
  c: Context<WebEnv>,
  sessionId: number,
  findText: string,
  unsaved?: { marks: Record<number, string>; headcount: string; dropIns: number[] },
) {
  const { user, db, clock } = c.var;
  const now = clock.now().getTime();
  const session = await getSession(db, user.practiceId, sessionId);
  await assertLeads(db, user, session.group_id, 'Session');
  const version = await registerVersion(db, session, user);
  const plain = !findText && !unsaved && !c.req.query('done') && !c.req.query('problem');
  const etag = plain ? registerPageTag(user, session, version, now) : null;
  if (etag && c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
  const recent = await recentDropIns(db, user.practiceId, session);
  const r = await getRegister(db, user, now, sessionId, { session, version, folds: c.var.folds, alsoShown: recent.map((p) => p.id) });
  if (etag) c.header('ETag', etag);
  const group = await db.selectFrom('community_groups').select('name').where('id', '=', r.session.group_id).executeTakeFirstOrThrow();
  const find = findText.trim().slice(0, 100);
  let matches: { id: number; name: string }[] | null = null;
  if (find) {
    const onList = new Set(r.entries.map((e) => e.participant_id));
    const needle = find.toLocaleLowerCase('en-GB');
    const led = await leadersGroups(db, user);
    const pickable = (await pickableParticipants(db, user.practiceId)).filter((p) => !onList.has(p.id));
    // A leader finds only people who have been in the groups they lead, by given name and initial.
    const allowed = led
      ? await peopleLeaderMayName(
          db,
          led,
          pickable.map((p) => p.id),
        )
      : null;
    matches = pickable
      .filter((p) => !allowed || allowed.has(p.id))
      .map((p) => ({ id: p.id, name: nameFor(p, user.role === 'leader') }))
      .filter((p) => p.name.toLocaleLowerCase('en-GB').includes(needle))
      .slice(0, MATCHES_SHOWN);
  }
  const closed = registerClosed(r.session, now);
  const flags = (await sessionFlags(db, user, [r.session], now)).get(r.session.id) ?? [];
  return c.html(
    <RegisterPage
      flags={flags}
      user={user}
      csrf={c.var.csrf}
      title={`Register: ${group.name}`}
      sessionId={r.session.id}
      when={fmt(r.session.starts_at, user.timezone)}
      rows={r.entries}
      headcount={r.session.headcount}
      find={find}
      matches={matches}
      recentDropIns={recent.map((p) => ({ id: p.id, name: nameFor(p, user.role === 'leader') }))}
      unsaved={unsaved}
      notice={c.req.query('done')}
      error={c.req.query('problem')}
      closed={
        closed ? { message: closed.message, opensAt: r.session.status === 'cancelled' ? null : r.session.starts_at - EARLIEST_BEFORE_START_MS } : undefined
      }
      window={markWindow(r.session, user.timezone)}
    />,
  );
}
