import type { Context } from 'hono';
import { Layout } from '../web/layout.js';
import { SummaryList } from '../web/components/summary-list.js';
import type { WebEnv } from '../web/web-auth.js';
import type { concernExport } from './concern-export.js';
import { ConcernLog, ConcernReaders } from './concern-log.js';
import { KIND_WORDS, STATUS_WORDS, URGENCY_WORDS, when } from './concern-words.js';

/** The whole record of a concern on one printable page, for an adult-protection referral. */
export function concernExportPage(c: Context<WebEnv>, e: Awaited<ReturnType<typeof concernExport>>) {
  const { user } = c.var;
  const zone = user.timezone;
  const r = e.concern;
  const p = e.person;
  return c.html(
    <Layout title={`${KIND_WORDS[r.kind][0]} concern: the whole record`} user={user} csrf={c.var.csrf}>
      <p>
        {user.practiceName} · produced {when(e.exportedAt, zone)} by {user.name}. Confidential: for an adult-protection referral.
      </p>
      <p class="no-print">
        <a href={`/concerns/${r.id}`}>Back to the concern</a> ·{' '}
        <button type="button" class="secondary" data-print="">
          Print
        </button>
      </p>
      <h2>The person</h2>
      {p ? (
        <SummaryList
          rows={[
            ['Name', [p.givenName, p.familyName].filter(Boolean).join(' ')],
            ['CHI number', p.chiNumber ?? false],
            ['Mobile', p.phone ?? false],
            ['Language', p.preferredLanguage ?? false],
            ['Interpreter', p.interpreterLanguage ?? false],
            ['Emergency contact', p.emergencyContact ?? false],
            ['Access needs', p.accessNeeds ?? false],
          ]}
        />
      ) : (
        <p>{r.participantId === null ? 'Nobody in particular.' : "The person's details were erased."}</p>
      )}
      <h2>The concern</h2>
      <SummaryList
        rows={[
          ['Kind', KIND_WORDS[r.kind][0]],
          ['State', STATUS_WORDS[r.status]],
          ['How soon', URGENCY_WORDS[r.urgency]],
          ['Where', r.groupName ? `${r.groupName}${r.sessionStartsAt ? `, ${when(r.sessionStartsAt, zone)}` : ''}` : 'Not at a session'],
          ['What was seen', <span class="pre">{r.text}</span>],
          ['Raised', `${when(r.raisedAt, zone)} by ${r.raisedBy?.name ?? 'someone'}`],
        ]}
      />
      <h2>Every action</h2>
      <ConcernLog actions={r.actions} zone={zone} />
      <h2>Who read it</h2>
      <ConcernReaders readers={e.readers} zone={zone} />
    </Layout>,
  );
}
