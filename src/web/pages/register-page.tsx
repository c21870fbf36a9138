import type { AuthUser } from '../../app-env.js';
import type { AttendanceStatus } from '../../db/schema.js';
import { Csrf, Layout } from '../layout.js';

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

/** One large tap target per status, a drop-in and a headcount, and one Save: works without JavaScript. */
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
  closed?: string;
}) {
  return (
    <Layout title={p.title} user={p.user} csrf={p.csrf} notice={p.notice} error={p.error ?? p.closed}>
      <p>{p.when}</p>
      {!p.closed && (
        <form method="post" action={`/sessions/${p.sessionId}/register`}>
          <Csrf token={p.csrf} />
          {p.rows.length === 0 && <p class="muted">Nobody is enrolled yet. Add drop-ins below.</p>}
          {p.rows.map((r) => {
            const name = r.given_name === null ? 'Erased participant' : [r.given_name, r.family_name].filter(Boolean).join(' ');
            return (
              <fieldset>
                <legend>
                  {name}
                  {r.drop_in === 1 && ' (drop-in)'}
                </legend>
                {r.status === 'apologies' && r.recorded_by === null && <p class="muted">Sent apologies by text.</p>}
                <div class="statuses">
                  {STATUSES.map(([value, label]) => (
                    <label>
                      <input type="radio" name={`status_${r.participant_id}`} value={value} checked={r.status === value} />
                      {label}
                    </label>
                  ))}
                </div>
              </fieldset>
            );
          })}
          <h2>Drop-in</h2>
          <label for="dropIn">Add someone who is not enrolled (marked present)</label>
          <select id="dropIn" name="dropIn">
            <option value="">Nobody</option>
            {p.others.map((o) => (
              <option value={String(o.id)}>{o.name}</option>
            ))}
          </select>
          <p>
            <a href={`/participants/new?dropInSession=${p.sessionId}`}>New person not on the list</a>
          </p>
          <label for="headcount">People who came but are not named (headcount)</label>
          <input id="headcount" name="headcount" type="number" inputmode="numeric" min="0" max="1000" value={p.headcount === null ? '' : String(p.headcount)} />
          <p>
            <button type="submit">Save register</button>
          </p>
        </form>
      )}
    </Layout>
  );
}
