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
}

const STATUSES: [AttendanceStatus, string][] = [
  ['present', 'Present'],
  ['late', 'Late'],
  ['absent', 'Absent'],
  ['apologies', 'Apologies'],
];

export const personName = (r: Pick<RegisterRow, 'given_name' | 'family_name'>) =>
  r.given_name === null ? 'Erased participant' : [r.given_name, r.family_name].filter(Boolean).join(' ');

/**
 * The register: one large tap target per status, "Everyone present", drop-ins and a new person in
 * the same save, and a Save bar that stays on screen with how many are marked. Works without
 * JavaScript; with it, marks are kept on the phone and sent when there is signal (offline.js).
 * Each row carries what it showed (`seen_…`), so a save only sends what the CLP changed.
 */
export function RegisterPage(p: {
  user: AuthUser;
  csrf: string;
  title: string;
  sessionId: number;
  when: string;
  rows: RegisterRow[];
  headcount: number | null;
  others: { id: number; name: string }[];
  notice?: string;
  error?: string;
  /** Why it cannot be taken: cancelled (for good), or not yet open (the page opens itself on the day). */
  closed?: { message: string; opensAt: number | null };
  window: { from: number; to: number };
}) {
  const marked = p.rows.filter((r) => r.status !== null).length;
  const waitsToOpen = p.closed?.opensAt != null;
  return (
    <Layout title={p.title} user={p.user} csrf={p.csrf} notice={p.notice} error={p.error}>
      <p>
        {p.when} · <a href={`/sessions/${p.sessionId}/register/print`}>Printable register</a>
      </p>
      {p.closed && (
        <p class="error" id="register-closed" role="alert">
          {p.closed.message}
        </p>
      )}
      {(!p.closed || waitsToOpen) && (
        <form
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
          <p>
            <button type="submit" name="everyone" value="present" class="secondary" id="everyone-present">
              Everyone present
            </button>{' '}
            <span class="muted">then change the few who are not</span>
          </p>
          {p.rows.length === 0 && <p class="muted">Nobody is enrolled yet. Add drop-ins below.</p>}
          {p.rows.map((r) => {
            const seen = r.status ?? 'clear';
            return (
              <fieldset class="mark" data-participant-id={String(r.participant_id)} data-name={personName(r)}>
                <legend>
                  {personName(r)}
                  {r.drop_in === 1 && ' (drop-in)'}
                </legend>
                {r.status === 'apologies' && r.recorded_by === null && <p class="muted">Sent apologies by text.</p>}
                <input type="hidden" name={`seen_${r.participant_id}`} value={seen} />
                <div class="statuses">
                  {STATUSES.map(([value, label]) => (
                    <label>
                      <input type="radio" name={`status_${r.participant_id}`} value={value} checked={r.status === value} />
                      {label}
                    </label>
                  ))}
                  <label class="clear">
                    <input type="radio" name={`status_${r.participant_id}`} value="clear" checked={r.status === null} />
                    {r.drop_in === 1 ? 'Remove' : 'Not marked'}
                  </label>
                </div>
              </fieldset>
            );
          })}
          <h2>Drop-ins</h2>
          <label for="dropIn">People who are not enrolled: choose one or more (marked present)</label>
          <select id="dropIn" name="dropIn" multiple size={Math.min(6, Math.max(2, p.others.length))}>
            {p.others.map((o) => (
              <option value={String(o.id)}>{o.name}</option>
            ))}
          </select>
          <details>
            <summary>New person not on the list</summary>
            <p class="muted">Added as a drop-in, marked present. Add their number and consent to texts later.</p>
            <label for="newGivenName">Given name</label>
            <input id="newGivenName" name="newGivenName" maxlength={100} autocomplete="off" />
            <label for="newFamilyName">Family name (optional)</label>
            <input id="newFamilyName" name="newFamilyName" maxlength={100} autocomplete="off" />
          </details>
          <label for="headcount">People who came but are not named (headcount)</label>
          <input type="hidden" name="seen_headcount" value={p.headcount === null ? '' : String(p.headcount)} />
          <input id="headcount" name="headcount" type="number" inputmode="numeric" min="0" max="1000" value={p.headcount === null ? '' : String(p.headcount)} />
          <div class="save-bar">
            <span id="marked-count" aria-live="polite">
              {marked} of {p.rows.length} marked
            </span>
            <button type="submit" name="action" value="save">
              Save register
            </button>
          </div>
        </form>
      )}
    </Layout>
  );
}
