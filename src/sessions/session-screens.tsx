import { type Context } from 'hono';
import { DateTime } from 'luxon';
import { assertLeads } from '../leaders/leader-access.js';
import { sessionFlags } from '../leaders/session-flags.js';
import { SessionFlags } from '../leaders/session-flags-view.js';
import { Text } from '../lib/schemas.js';
import { getSession } from './sessions-service.js';
import { type TextPreview } from '../sms/outbox/outbox.js';
import type { Session } from '../db/schema.js';
import { TextsToSend } from '../sms/pages/confirm-texts.js';
import { ErrorSummary, FieldError, type FieldProblem, titleWith } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { DateInput } from '../web/forms/date-input.js';
import { type WebEnv } from '../web/web-auth.js';
import { SummaryList } from '../web/components/summary-list.js';
import { ConfirmPage } from '../web/forms/confirm-page.js';
import { SelectField, TextField } from '../web/forms/fields.js';

export const fmt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat('cccc d LLLL yyyy, HH:mm');

/** The session's check page, named by its group. */
export async function checkPage(c: PageContext, session: Session, p: Omit<Parameters<typeof CheckPage>[0], 'c' | 'session' | 'groupName'>) {
  const group = await c.var.db.selectFrom('community_groups').select('name').where('id', '=', session.group_id).executeTakeFirstOrThrow();
  return c.html(<CheckPage c={c} session={session} groupName={group.name} {...p} />);
}

/** A cancellation's reason goes into texts: one plain line, short enough to leave room for the rest. */
export const CancelReason = Text(120);

type PageContext = Context<WebEnv>;

/** One session: its state, and (for CLPs and admins) cancel, move, or put back on. */
export async function sessionPage(
  c: PageContext,
  id: number,
  errors: { problems: FieldProblem[]; values: Record<string, string> } = { problems: [], values: {} },
) {
  const { user, db } = c.var;
  const s = await getSession(db, user.practiceId, id);
  await assertLeads(db, user, s.group_id, 'Session');
  const group = await db.selectFrom('community_groups').select(['id', 'name']).where('id', '=', s.group_id).executeTakeFirstOrThrow();
  const flags = (await sessionFlags(db, user, [s], c.var.clock.now().getTime())).get(s.id) ?? [];
  const venues = await db
    .selectFrom('venues')
    .select(['id', 'name'])
    .where('practice_id', '=', user.practiceId)
    .where((eb) => eb.or([eb('archived_at', 'is', null), eb('id', '=', s.venue_id)]))
    .orderBy('name')
    .execute();
  const canManage = user.role === 'admin' || user.role === 'clp';
  const leader = user.role === 'leader';
  const { problems } = errors;
  return (
    <Layout title={titleWith(problems, `${group.name}: ${fmt(s.starts_at, user.timezone)}`)} user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <ErrorSummary problems={problems} />
      <p>
        Status: <strong>{s.status === 'cancelled' ? `Cancelled${s.cancel_reason ? ` (${s.cancel_reason})` : ''}` : 'Going ahead'}</strong> ·{' '}
        {leader ? group.name : <a href={`/groups/${group.id}`}>Group page</a>}
      </p>
      <SessionFlags flags={flags} />
      {leader && s.status === 'scheduled' && (
        <p>
          <a class="button" href={`/sessions/${s.id}/register`}>
            Register
          </a>{' '}
          <a href={`/sessions/${s.id}/register/print`}>Printable register</a>
        </p>
      )}
      {(leader || canManage) && (
        <p>
          <a href={`/concerns/new?sessionId=${s.id}`}>Raise a concern or report an incident</a>
        </p>
      )}
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
          <CancelAndMove csrf={c.var.csrf} session={s} venues={venues} zone={user.timezone} {...errors} />
        </>
      )}
      {canManage && s.status === 'cancelled' && (
        <form novalidate method="post" action={`/sessions/${s.id}/restore`}>
          <Csrf token={c.var.csrf} />
          <button type="submit">Put this session back on</button>
        </form>
      )}
    </Layout>
  );
}

/** Cancelling or moving a session, each texting everyone enrolled unless unticked; what was typed stays after an error. */
function CancelAndMove(p: {
  csrf: string;
  session: Session;
  venues: { id: number; name: string }[];
  zone: string;
  problems: FieldProblem[];
  values: Record<string, string>;
}) {
  const { session: s, problems, values } = p;
  const local = DateTime.fromMillis(s.starts_at, { zone: p.zone });
  return (
    <>
      <h2>Cancel this session</h2>
      <form novalidate method="post" action={`/sessions/${s.id}/cancel`}>
        <Csrf token={p.csrf} />
        <TextField
          name="reason"
          label="Reason (it goes in the text)"
          maxlength={120}
          placeholder="e.g. heavy rain"
          value={values.reason ?? ''}
          problems={problems}
        />
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
      <form novalidate method="post" action={`/sessions/${s.id}/move`}>
        <Csrf token={p.csrf} />
        <DateInput name="date" legend="New date" hint="For example, 16 3 2027" value={values.date ?? local.toISODate()!} problems={problems} />
        <TextField name="time" label="Start time" type="time" value={values.time ?? local.toFormat('HH:mm')} problems={problems} />
        <SelectField
          name="venueId"
          label="Venue"
          options={p.venues.map((v) => [String(v.id), v.name] as const)}
          value={values.venueId ?? String(s.venue_id)}
          problems={problems}
        />
        <label class="check">
          <input type="checkbox" name="notify" value="yes" checked /> Text everyone enrolled
        </label>
        <p>
          <button type="submit">Move session</button>
        </p>
      </form>
    </>
  );
}

/** The step before a change that texts people: what will change, the texts, and who cannot get one. */
function CheckPage(p: {
  c: PageContext;
  title: string;
  session: Session;
  groupName: string;
  rows: [string, string][];
  notify: boolean;
  preview: TextPreview | null;
  action: string;
  fields: Record<string, string>;
  button: string;
  danger?: boolean;
  back?: string;
}) {
  const { user } = p.c.var;
  return (
    <ConfirmPage
      title={p.title}
      user={user}
      csrf={p.c.var.csrf}
      action={p.action}
      fields={p.fields}
      button={p.button}
      danger={p.danger}
      back={{ href: p.back ?? `/sessions/${p.session.id}`, label: 'Go back without changing anything' }}
    >
      <SummaryList
        rows={[
          ['Session', `${p.groupName}: ${fmt(p.session.starts_at, user.timezone)}`],
          ...p.rows,
          ['Texts', p.notify ? 'To everyone in the group who can be texted' : 'None: nobody will be told by text'],
        ]}
      />
      {p.preview && <TextsToSend preview={p.preview} />}
    </ConfirmPage>
  );
}

export function MessageForm(p: { c: PageContext; sessionId: number; body: string; problems: FieldProblem[] }) {
  return (
    <Layout title={titleWith(p.problems, 'Text everyone in this session')} user={p.c.var.user} csrf={p.c.var.csrf}>
      <ErrorSummary problems={p.problems} />
      <form novalidate method="post" action={`/sessions/${p.sessionId}/message`}>
        <Csrf token={p.c.var.csrf} />
        <label for="body">Message</label>
        <FieldError field="body" problems={p.problems} />
        <textarea id="body" name="body" rows={4} maxlength={600} aria-describedby={p.problems.length ? 'body-error count' : 'count'}>
          {p.body}
        </textarea>
        <p id="count" class="muted" aria-live="polite">
          Plain words work best. Up to 3 texts long.
        </p>
        <p>
          <button type="submit">Check the text</button>
        </p>
      </form>
    </Layout>
  );
}

// Progressive enhancement: a live character and segment count; the form works without it.
