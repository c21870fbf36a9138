import type { AuthUser } from '../app-env.js';
import { Layout } from '../web/layout.js';
import { needMarks, type RegisterRow } from './register-page.js';
import { nameFor } from '../participants/person-name.js';

const BOXES = ['Present', 'Late', 'Absent', 'Apologies'];
const SPARE_ROWS = 6;

/** One A4 page for the days a phone is no use: names, a box per status, spare lines and the headcount. */
export function PrintRegister(p: { title: string; when: string; venue: string; rows: RegisterRow[]; user: AuthUser; csrf: string }) {
  const leader = p.user.role === 'leader';
  const named = p.rows.filter((r) => r.given_name !== null);
  return (
    <Layout title={`Register: ${p.title}`} user={p.user} csrf={p.csrf}>
      <div class="print-register">
        <p>
          {p.when} · {p.venue}
        </p>
        <p class="no-print">
          <button type="button" data-print="">
            Print
          </button>{' '}
          <span class="muted">Tick one box per person; enter it in the app when you have signal.</span>
        </p>
        <div class="scroll-x" tabindex={0} role="region" aria-label="The register">
          <table class="boxes">
            <thead>
              <tr>
                <th scope="col">Name</th>
                {BOXES.map((b) => (
                  <th scope="col">{b}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {named.map((r) => (
                <tr>
                  <td>
                    {nameFor(r, leader)}
                    {r.drop_in === 1 && ' (drop-in)'}
                    {needMarks(r).length > 0 && <span class="print-needs">{needMarks(r).join(' · ')}</span>}
                  </td>
                  {BOXES.map((b) => (
                    <td aria-label={`${b}: ${r.status === b.toLowerCase() ? 'marked' : 'empty'}`}>{r.status === b.toLowerCase() ? '✓' : ''}</td>
                  ))}
                </tr>
              ))}
              {Array.from({ length: SPARE_ROWS }, () => (
                <tr>
                  <td aria-label="Spare line for a drop-in"> </td>
                  {BOXES.map(() => (
                    <td> </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="write-in">People who came but are not named (headcount): ________</p>
        <p class="write-in">Taken by: ______________________ Signed: ______________________</p>
      </div>
    </Layout>
  );
}
