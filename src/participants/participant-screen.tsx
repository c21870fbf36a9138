import type { Context } from 'hono';
import { DateTime } from 'luxon';
import type { Message, Outcome, Participant } from '../db/schema.js';
import { displayPhone } from '../lib/phone.js';
import { OutcomesSection } from '../outcomes/outcome-pages.js';
import { TextBody, textStatus, textWhen } from '../sms/pages/message-cells.js';
import { languageName } from '../sms/wording/languages.js';
import { Csrf, Layout } from '../web/layout.js';
import { ReflowTable } from '../web/components/reflow-table.js';
import { Warning } from '../web/components/warning.js';
import type { WebEnv } from '../web/web-auth.js';
import type { participantRecord } from './gdpr-service.js';

type Record_ = Awaited<ReturnType<typeof participantRecord>>;

/** One person's page: how to reach them, their groups and attendance, measures, texts, and (for admins) erasing. */
export function ParticipantScreen(p: {
  c: Context<WebEnv>;
  person: Participant;
  groups: Record_['enrolments'];
  attendance: Record_['attendance'];
  messages: Message[];
  outcomes: Outcome[];
  openConcerns: number;
}) {
  const { c, person } = p;
  const { user } = c.var;
  return (
    <Layout
      title={[person.given_name, person.family_name].filter(Boolean).join(' ')}
      user={user}
      csrf={c.var.csrf}
      notice={c.req.query('done')}
      error={c.req.query('problem')}
    >
      <ReachLine person={person} />
      {person.access_needs && <p>Access needs: {person.access_needs}</p>}
      <p class="row">
        <a class="button secondary" href={`/participants/${person.id}/edit`}>
          Edit
        </a>
        <a class="button secondary" href={`/participants/${person.id}/summary`}>
          Summary for the GP record
        </a>
        <a class="button secondary" href={`/api/v1/participants/${person.id}/export`}>
          Export everything (JSON)
        </a>
      </p>
      <h2>Groups</h2>
      <ul>
        {p.groups.map((e) => (
          <li>
            {e.groupName}: {e.status}
          </li>
        ))}
      </ul>
      <h2>Attendance</h2>
      <ul>
        {p.attendance.map((a) => (
          <li>
            {a.groupName}, {a.sessionStartsAt ? DateTime.fromISO(a.sessionStartsAt).setLocale('en-GB').toFormat('ccc d LLL yyyy') : ''}: {a.status}
            {a.dropIn ? ' (drop-in)' : ''}
          </li>
        ))}
      </ul>
      <OutcomesSection participantId={person.id} outcomes={p.outcomes} zone={user.timezone} />
      <h2>Texts</h2>
      <ReflowTable
        rows={p.messages}
        columns={[
          { heading: 'When', cell: (m) => textWhen(m, user.timezone) },
          { heading: 'Direction', cell: (m) => (m.direction === 'inbound' ? 'Received' : m.status === 'pending' ? 'Queued' : 'Sent') },
          { heading: 'Text', cell: (m) => <TextBody m={m} preferred={person.preferred_language} /> },
          { heading: 'Status', cell: (m) => textStatus(m) },
        ]}
      />
      {user.role === 'admin' && <EraseSection csrf={c.var.csrf} participantId={person.id} openConcerns={p.openConcerns} />}
    </Layout>
  );
}

/** How to reach them, and what stops a text getting through. */
function ReachLine({ person: p }: { person: Participant }) {
  return (
    <p>
      {displayPhone(p.phone) ?? 'No mobile'} · {p.sms_consent ? 'agreed to texts' : 'no consent to texts'}
      {p.do_not_text === 1 && ' · do not text'}
      {p.opted_out_at !== null && ' · replied STOP'}
      {p.phone_status === 'invalid' && ' · texts cannot reach this number: Twilio says it is not valid or not in use (change it to text again)'}
      {p.phone_status === 'landline' && ' · texts cannot reach this number: Twilio says it is a landline or cannot take texts (change it to text again)'}
      {p.preferred_language && ` · speaks ${languageName(p.preferred_language)}`}
      {p.interpreter_needed === 1 && ' · needs an interpreter'}
    </p>
  );
}

/** Erasing, ticked to confirm; an open concern about them is said first and ticked past. */
function EraseSection(p: { csrf: string; participantId: number; openConcerns: number }) {
  const n = p.openConcerns;
  return (
    <>
      <h2 id="erase">Erase</h2>
      <form novalidate method="post" action={`/participants/${p.participantId}/erase`}>
        <Csrf token={p.csrf} />
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" required /> I understand this removes their name, number and details for good.
        </label>
        {n > 0 && (
          <>
            <Warning id="open-concerns">
              {n === 1 ? 'A concern' : `${n} concerns`} about them {n === 1 ? 'is' : 'are'} still open. <a href="/concerns?status=open">See the concerns</a>.
              Erasing keeps the record of each concern, but their name goes from it: whoever acts on it will no longer see who it was about.
            </Warning>
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
  );
}
