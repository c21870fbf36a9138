import type { AuthUser } from '../app-env.js';
import type { AttendanceStatus } from '../db/schema.js';
import { Csrf, Layout } from '../web/layout.js';

export interface RegisterRow {
  participant_id: number;
  given_name: string | null;
  family_name: string | null;
  status: AttendanceStatus | null;
  drop_in: number | null;
  recorded_by: number | null;
  interpreter_language?: string | null;
  mobility?: string | null;
  transport_arranged?: number;
  first_session_support?: string | null;
  emergency_contact?: string | null;
  first_time?: number;
}

const STATUSES: [AttendanceStatus, string][] = [
  ['present', 'Present'],
  ['late', 'Late'],
  ['absent', 'Absent'],
  ['apologies', 'Apologies'],
];

import { nameFor, personName } from '../participants/person-name.js';
import { languageName } from '../sms/wording/languages.js';
import { SessionFlags, type SessionFlag } from '../leaders/session-flags-view.js';
import { Warning } from '../web/components/warning.js';

export { personName };

/**
 * The register: one large tap target per status, "Everyone present", drop-ins and a new person in
 * the same save, and a Save bar that stays on screen with how many are marked. Works without
 * JavaScript; with it, marks are kept on the phone and sent when there is signal (offline.js).
 * Each row carries what it showed (`seen_…`), so a save only sends what the CLP changed.
 */
export interface RegisterPageProps {
  user: AuthUser;
  csrf: string;
  title: string;
  sessionId: number;
  when: string;
  rows: RegisterRow[];
  headcount: number | null;
  /** The drop-in search as typed, and who not on the list matches it (null until someone searches). */
  find: string;
  matches: { id: number; name: string }[] | null;
  /** The group's recent drop-ins, kept in the page (inert until searched) for a search with no signal. */
  recentDropIns?: { id: number; name: string }[];
  /** Marks and headcount as the CLP left them, when the page comes back from a search before saving. */
  unsaved?: { marks: Record<number, string>; headcount: string; dropIns: number[] };
  notice?: string;
  error?: string;
  /** Why it cannot be taken: cancelled (for good), or not yet open (the page opens itself on the day). */
  closed?: { message: string; opensAt: number | null };
  window: { from: number; to: number };
  /** What the leader or CLP should know before starting: too few leaders, no first aid, a route's review overdue. */
  flags?: SessionFlag[];
}

export function RegisterPage(p: RegisterPageProps) {
  const leader = p.user.role === 'leader';
  const marked = p.rows.filter((r) => r.status !== null).length;
  const waitsToOpen = p.closed?.opensAt != null;
  return (
    <Layout title={p.title} user={p.user} csrf={p.csrf} notice={p.notice} error={p.error}>
      <p class="when">{p.when}</p>
      <SessionFlags flags={p.flags ?? []} />
      {p.closed && (
        <p class="error" id="register-closed" role="alert">
          {p.closed.message}
        </p>
      )}
      {(!p.closed || waitsToOpen) && (
        <form
          novalidate
          method="post"
          action={`/sessions/${p.sessionId}/register`}
          id="register"
          data-session-id={String(p.sessionId)}
          data-title={`${p.title}, ${p.when}`}
          data-mark-from={String(p.window.from)}
          data-mark-to={String(p.window.to)}
          data-opens-at={waitsToOpen ? String(p.closed!.opensAt) : undefined}
          hidden={waitsToOpen}
        >
          <Csrf token={p.csrf} />
          {/* The first submit button is what Enter in any field presses: let that be Save, never "Everyone present". */}
          <button type="submit" name="action" value="save" class="visually-hidden" tabindex={-1} aria-hidden="true">
            Save register
          </button>
          <p>
            <button type="submit" name="everyone" value="present" class="secondary" id="everyone-present">
              Everyone present
            </button>{' '}
            <span class="muted">then change the few who are not</span>
          </p>
          {p.unsaved && <Warning role="status">Not saved yet: choose who came, then Save register.</Warning>}
          {p.rows.length === 0 && <p class="muted">Nobody is enrolled yet. Add drop-ins below.</p>}
          <div id="register-rows">
            {p.rows.map((r) => (
              <MarkRow row={r} chosen={p.unsaved?.marks[r.participant_id]} leader={leader} />
            ))}
          </div>
          <template id="row-template">
            <MarkRow row={{ participant_id: 0, given_name: '', family_name: null, status: null, drop_in: 1, recorded_by: null }} leader={leader} />
          </template>
          <DropIns p={p} leader={leader} />
          <HeadcountAndSave p={p} marked={marked} />
        </form>
      )}
      {/* Below the register: on a phone its first buttons come first. */}
      <p>
        <a href={`/concerns/new?sessionId=${p.sessionId}&from=register`}>Raise a concern</a> ·{' '}
        <a href={`/sessions/${p.sessionId}/register/print`}>Printable register</a>
      </p>
    </Layout>
  );
}

/** Drop-ins: find someone known, the group's recent ones for a search with no signal, or someone new. */
function DropIns({ p, leader }: { p: RegisterPageProps; leader: boolean }) {
  return (
    <>
      <h2 id="drop-ins">Drop-ins</h2>
      <label for="find">{leader ? 'Find someone who has come to this group before' : 'Find someone who is not enrolled'}</label>
      <div class="row">
        <input id="find" name="find" type="search" maxlength={100} autocomplete="off" value={p.find} class="grow" />
        <button type="submit" name="action" value="find" class="secondary" id="find-button">
          Find
        </button>
      </div>
      <DropInMatches find={p.find} matches={p.matches} chosen={p.unsaved?.dropIns ?? []} />
      <template id="recent-drop-ins">
        {(p.recentDropIns ?? []).map((m) => (
          <label class="check">
            <input type="checkbox" name="dropIn" value={String(m.id)} /> {m.name}
          </label>
        ))}
      </template>
      <details>
        <summary>New person not on the list</summary>
        <p class="muted">Added as a drop-in, marked present. Add their number and consent to texts later.</p>
        <label for="newGivenName">Given name</label>
        <input id="newGivenName" name="newGivenName" maxlength={100} autocomplete="off" />
        <label for="newFamilyName">Family name (optional)</label>
        <input id="newFamilyName" name="newFamilyName" maxlength={100} autocomplete="off" />
      </details>
    </>
  );
}

/** The headcount, and the save bar that stays on screen with how many are marked. */
function HeadcountAndSave({ p, marked }: { p: RegisterPageProps; marked: number }) {
  return (
    <>
      <label for="headcount">People who came but are not named (headcount)</label>
      <input type="hidden" name="seen_headcount" value={p.headcount === null ? '' : String(p.headcount)} />
      <input
        id="headcount"
        name="headcount"
        type="number"
        inputmode="numeric"
        min="0"
        max="1000"
        value={p.unsaved?.headcount ?? (p.headcount === null ? '' : String(p.headcount))}
      />
      <div class="save-bar">
        <span id="marked-count" aria-live="polite">
          {marked} of {p.rows.length} marked
        </span>
        <button type="submit" name="action" value="save">
          Save register
        </button>
        {/* Where the CLP is looking when they tap Save: what became of it, said here (offline.js). */}
        <p id="save-status" role="status" class="save-status"></p>
      </div>
    </>
  );
}

/** One person's row: a large tap target per status, and what the page showed (`seen_…`), so only changes are sent. */
function MarkRow(p: { row: RegisterRow; chosen?: string; leader: boolean }) {
  const r = p.row;
  const seen = r.status ?? 'clear';
  const chosen = p.chosen ?? seen;
  const name = nameFor(r, p.leader);
  return (
    <fieldset class="mark" data-participant-id={String(r.participant_id)} data-name={name}>
      <legend>
        {name}
        {r.drop_in === 1 && ' (drop-in)'}
      </legend>
      <NeedMarks row={r} />
      {r.status === 'apologies' && r.recorded_by === null && <p class="muted">Sent apologies by text.</p>}
      <input type="hidden" name={`seen_${r.participant_id}`} value={seen} />
      <div class="statuses">
        {STATUSES.map(([value, label]) => (
          <label>
            <input type="radio" name={`status_${r.participant_id}`} value={value} checked={chosen === value} />
            {label}
          </label>
        ))}
        <label class="clear">
          <input type="radio" name={`status_${r.participant_id}`} value="clear" checked={chosen === 'clear'} />
          {r.drop_in === 1 ? 'Remove' : 'Not marked'}
        </label>
      </div>
    </fieldset>
  );
}

/** Who matched the drop-in search: ticked ones are saved as present with the register. */
export function DropInMatches(p: { find: string; matches: { id: number; name: string }[] | null; chosen: number[] }) {
  return (
    <div id="drop-in-matches" aria-live="polite">
      {p.matches !== null &&
        (p.matches.length === 0 ? (
          <p class="muted">Nobody who is not already on the register matches “{p.find}”. Add them as a new person below.</p>
        ) : (
          <fieldset>
            <legend>Came today (saved as present)</legend>
            {p.matches.map((m) => (
              <label class="check">
                <input type="checkbox" name="dropIn" value={String(m.id)} checked={p.chosen.includes(m.id)} /> {m.name}
              </label>
            ))}
          </fieldset>
        ))}
    </div>
  );
}

/** Access needs as short marks a leader reads at a glance (the printed register shows the same). */
export function needMarks(r: RegisterRow): string[] {
  const marks: string[] = [];
  if (Number(r.first_time) === 1) marks.push('First time');
  if (r.interpreter_language !== undefined && r.interpreter_language !== null) {
    marks.push(`Interpreter: ${languageName(r.interpreter_language) ?? r.interpreter_language}`);
  }
  if (r.mobility) marks.push(`Mobility: ${r.mobility}`);
  if (r.transport_arranged === 1) marks.push('Transport arranged');
  if (r.first_session_support) marks.push(r.first_session_support);
  if (r.emergency_contact) marks.push(`Emergency contact: ${r.emergency_contact}`);
  return marks;
}

function NeedMarks(p: { row: RegisterRow }) {
  const marks = needMarks(p.row);
  if (marks.length === 0) return null;
  return (
    <ul class="tags">
      {marks.map((m) => (
        <li>{m}</li>
      ))}
    </ul>
  );
}
