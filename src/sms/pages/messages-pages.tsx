import { Hono } from 'hono';
import type { Db } from '../../db/schema.js';
import { audit } from '../../audit/audit-service.js';
import { money } from '../../lib/money.js';
import { displayPhone } from '../../lib/phone.js';
import { smsPriceOf } from '../wording/texts-service.js';
import { smsUsage } from '../outbox/usage-service.js';
import { Layout } from '../../web/layout.js';
import { TextBody, textStatus, textWhen } from './message-cells.js';
import { pageRoles, type WebEnv } from '../../web/web-auth.js';
import { ReflowTable } from '../../web/components/reflow-table.js';
import { PageNav } from '../../web/components/page-nav.js';

const PAGE_SIZE = 50;
/** Each tab with its table's headings for who and what became of a text (each cell is labelled with its heading on a phone). */
const TABS = {
  replies: { title: 'Replies from participants', empty: 'No replies yet.', who: 'From', outcome: 'What happened' },
  sent: { title: 'Sent texts', empty: 'No texts sent yet.', who: 'To', outcome: 'Status' },
  queued: { title: 'Texts waiting to go', empty: 'Nothing waiting to go.', who: 'To', outcome: 'Status' },
} as const;
type Tab = keyof typeof TABS;

/** Messages: replies to read, texts sent (with what they cost) and texts still to go, a page of 50 at a time. */
export const messagesPages = new Hono<WebEnv>().get('/messages', pageRoles('admin', 'clp'), async (c) => {
  const { db, user, clock } = c.var;
  const now = clock.now().getTime();
  const tab: Tab = (['replies', 'sent', 'queued'] as const).find((t) => t === c.req.query('show')) ?? 'replies';
  const page = Math.max(1, Math.min(10_000, Number(c.req.query('page')) || 1));
  const { counts, rows } = await messagesIn(db, user.practiceId, tab, page);
  await audit(db, user, now, {
    action: 'list',
    entity: 'message',
    detail: `${tab} page ${page}: ${rows.length} messages`,
    shown: rows.map((m) => m.participant_id),
  });
  const usage = await smsUsage(db, user.practiceId, smsPriceOf(c.var.config), now, {});
  const month = usage.months[0]!;
  const pages = Math.max(1, Math.ceil(counts[tab] / PAGE_SIZE));
  const who = (m: (typeof rows)[number]) =>
    m.given_name ? [m.given_name, m.family_name].filter(Boolean).join(' ') : m.direction === 'inbound' ? (displayPhone(m.from_number) ?? 'Unknown') : '–';
  const link = (t: Tab, p = 1) => `/messages?show=${t}${p > 1 ? `&page=${p}` : ''}`;
  return c.html(
    <Layout title="Messages" user={user} csrf={c.var.csrf} notice={c.req.query('done')}>
      <p>
        This month: {month.texts} texts sent, {month.segments} segments ({money(month.cost, usage.price.currency)})
        {usage.budget.budget !== null && ` of a ${usage.budget.budget}-segment budget`}.{' '}
        {user.role === 'admin' && <a href="/texts">Texts, costs and wording</a>}
      </p>
      <PageNav
        label="Messages"
        items={(Object.keys(TABS) as Tab[]).map((t) => ({ href: link(t), label: `${TABS[t].title} (${counts[t]})`, current: t === tab }))}
      />
      <h2>{TABS[tab].title}</h2>
      {rows.length === 0 ? (
        <p class="muted">{TABS[tab].empty}</p>
      ) : (
        <ReflowTable
          rows={rows}
          columns={[
            { heading: 'When', cell: (m) => textWhen(m, user.timezone) },
            { heading: TABS[tab].who, cell: (m) => (m.participant_id ? <a href={`/participants/${m.participant_id}`}>{who(m)}</a> : who(m)) },
            { heading: 'Text', cell: (m) => <TextBody m={m} preferred={m.preferred_language} /> },
            { heading: TABS[tab].outcome, cell: (m) => textStatus(m) },
          ]}
        />
      )}
      {pages > 1 && (
        <nav aria-label="Pages" class="row">
          {page > 1 && <a href={link(tab, page - 1)}>Newer</a>}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages && <a href={link(tab, page + 1)}>Older</a>}
        </nav>
      )}
    </Layout>,
  );
});

/** A page of one tab's texts, with how many each tab holds. */
async function messagesIn(db: Db, practiceId: number, tab: Tab, page: number) {
  const scope = db.selectFrom('messages').where('messages.practice_id', '=', practiceId);
  const inTab = (t: Tab) =>
    t === 'replies'
      ? scope.where('direction', '=', 'inbound')
      : t === 'sent'
        ? scope.where('direction', '=', 'outbound').where('status', 'not in', ['pending', 'sending'])
        : scope.where('direction', '=', 'outbound').where('status', 'in', ['pending', 'sending']);
  const counts = Object.fromEntries(
    await Promise.all(
      (Object.keys(TABS) as Tab[]).map(
        async (t) =>
          [
            t,
            Number(
              (
                await inTab(t)
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            ),
          ] as const,
      ),
    ),
  ) as Record<Tab, number>;
  let q = inTab(tab)
    .leftJoin('participants as p', 'p.id', 'messages.participant_id')
    .selectAll('messages')
    .select(['p.given_name', 'p.family_name', 'p.preferred_language']);
  q = tab === 'queued' ? q.orderBy('messages.due_at').orderBy('messages.id') : q.orderBy('messages.id', 'desc');
  const rows = await q
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { counts, rows };
}
