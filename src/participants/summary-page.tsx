import { Hono } from 'hono';
import { Layout } from '../web/layout.js';
import { pageRoles, type WebEnv } from '../web/web-auth.js';
import { participationSummary, summaryText } from './participation-summary.js';
import { ReflowTable } from '../web/components/reflow-table.js';

/** A person's participation for their GP record: printable, and a plain-text block to paste. */
export const summaryPages = new Hono<WebEnv>().get('/participants/:id/summary', pageRoles('admin', 'clp'), async (c) => {
  const { db, user, clock } = c.var;
  const s = await participationSummary(db, user, clock.now().getTime(), Number(c.req.param('id')) || 0);
  return c.html(
    <Layout title={`Participation summary: ${s.name}`} user={user} csrf={c.var.csrf}>
      <p>
        {s.chiNumber ? `CHI ${s.chiNumber} · ` : ''}
        {s.practiceName} · produced {s.producedOn} by {user.name}
      </p>
      <p class="no-print">
        <a href={`/participants/${c.req.param('id')}`}>Back to {s.name}</a> ·{' '}
        <button type="button" class="secondary" data-print="">
          Print
        </button>
      </p>
      <h2>Groups</h2>
      {s.groups.length === 0 ? (
        <p class="muted">No groups.</p>
      ) : (
        <ReflowTable
          rows={s.groups}
          columns={[
            { heading: 'Group', cell: (g) => g.name },
            {
              heading: 'Dates',
              cell: (g) => (
                <>
                  Referred {g.referred}
                  {g.started && `, given a place ${g.started}`}
                  {g.ended && `, left ${g.ended}`} ({g.status})
                </>
              ),
            },
            {
              heading: 'Sessions attended',
              cell: (g) => (
                <>
                  {g.attended}
                  {g.first && ` (${g.first}${g.last !== g.first ? ` to ${g.last}` : ''})`}
                </>
              ),
            },
          ]}
        />
      )}
      <h2>Wellbeing measures</h2>
      {s.wellbeing.length === 0 ? (
        <p class="muted">None taken.</p>
      ) : (
        <ul>
          {s.wellbeing.map((w) => (
            <li>
              {w.measure}, {w.takenOn}: {w.score}
            </li>
          ))}
        </ul>
      )}
      <section class="no-print">
        <h2>To paste into the GP record</h2>
        <label for="summary-text">Plain text: groups, dates, sessions and scores, and no notes</label>
        <textarea id="summary-text" readonly rows={8}>
          {summaryText(s)}
        </textarea>
      </section>
    </Layout>,
  );
});
