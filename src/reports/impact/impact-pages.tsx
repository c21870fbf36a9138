import { Hono } from 'hono';
import { z } from 'zod';
import { listGroups } from '../../groups/groups-service.js';
import { Id, LocalDate } from '../../lib/schemas.js';
import { addDays, localDate, ukDate } from '../../lib/time/time.js';
import { parseOrThrow } from '../../lib/validate.js';
import { Layout } from '../../web/layout.js';
import { DateInput, readDateField } from '../../web/forms/date-input.js';
import { pageRoles, type WebEnv } from '../../web/web-auth.js';
import { impactReport } from './impact-report.js';
import { protectedImpact } from './protected-impact.js';
import { Limits, ReachAndPart, WhatChanged } from './impact-page-parts.js';
import { DateTime } from 'luxon';

const Query = z.object({
  from: LocalDate.optional().or(z.literal('').transform(() => undefined)),
  to: LocalDate.optional().or(z.literal('').transform(() => undefined)),
  groupId: Id.optional().or(z.literal('').transform(() => undefined)),
});

/**
 * The impact report as a page to read and to print on one A4 sheet for a funder: the figures as
 * they may leave the practice (small counts hidden, and what would give them back), since a
 * printed page leaves it; the JSON keeps the exact figures for the practice's own use.
 */
export const impactPages = new Hono<WebEnv>().get('/reports/impact', pageRoles('admin', 'clp'), async (c) => {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const asked = c.req.query();
  const q = parseOrThrow(Query, { ...asked, from: readDateField(asked, 'from'), to: readDateField(asked, 'to') });
  const to = q.to ?? localDate(now, user.timezone);
  const from = q.from ?? addDays(to, -364);
  const r = protectedImpact(await impactReport(db, user, now, { from, to, groupId: q.groupId }));
  const groups = await listGroups(db, user.practiceId);
  const query = `from=${from}&to=${to}${q.groupId ? `&groupId=${q.groupId}` : ''}`;
  const produced = DateTime.fromISO(r.producedAt, { setZone: true }).setLocale('en-GB').toFormat("d LLL yyyy 'at' HH:mm");
  return c.html(
    <Layout title={`Impact: ${r.practice.name}${r.practice.code ? ` (${r.practice.code})` : ''}`} user={user} csrf={c.var.csrf}>
      <div class="impact">
        <p>
          <strong>
            {ukDate(from)} to {ukDate(to)}
          </strong>
          {q.groupId ? '. Group: ' : '. Groups: '}
          {r.groups.length ? r.groups.map((g) => g.name).join(', ') : 'none with sessions in the period'}. Produced {produced} by {user.name}.
        </p>
        <form novalidate method="get" action="/reports/impact" class="row no-print">
          <DateInput name="from" legend="From" hint="For example, 1 4 2026" value={from} />
          <DateInput name="to" legend="To" hint="For example, 31 3 2027" value={to} />
          <label for="groupId">Group</label>
          <select id="groupId" name="groupId">
            <option value="">All groups</option>
            {groups.map((g) => (
              <option value={String(g.id)} selected={g.id === q.groupId}>
                {g.name}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            Show
          </button>
          <a href={`/api/v1/reports/impact.csv?${query}`}>Download CSV</a>
          <button type="button" class="secondary" data-print="">
            Print
          </button>
        </form>
        <ReachAndPart r={r} />
        <WhatChanged r={r} />
        <Limits r={r} />
      </div>
    </Layout>,
  );
});
