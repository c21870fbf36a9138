import type { CalendarFeed, Db, FeedScope, Role } from '../db/schema.js';
import { randomToken, sha256Hex, tokenHash } from '../lib/crypto.js';
import { forbidden, invalid, notFound } from '../lib/errors.js';
import { getGroup } from '../groups/groups-service.js';
import { getUser } from '../users/users-service.js';

export interface FeedActor {
  id: number;
  practiceId: number;
  role: Role;
}

export interface NewFeedInput {
  scope: FeedScope;
  groupId?: number;
  userId?: number;
  name?: string;
}

/** Creates a feed and returns its token, the only time it is ever seen. */
export async function createFeed(db: Db, actor: FeedActor, now: number, input: NewFeedInput): Promise<{ feed: CalendarFeed; token: string }> {
  let groupId: number | null = null;
  let userId: number | null = null;
  let defaultName: string;
  if (actor.role === 'leader' && input.scope !== 'facilitator')
    throw forbidden('A group leader can have a feed of the sessions they lead only (scope "facilitator")');
  if (input.scope === 'group') {
    if (input.groupId === undefined) throw invalid('A group feed needs groupId', [{ path: 'groupId', message: 'required for scope "group"' }]);
    const group = await getGroup(db, actor.practiceId, input.groupId);
    groupId = group.id;
    defaultName = group.name;
  } else if (input.scope === 'facilitator') {
    if (actor.role === 'staff') throw forbidden('Staff can have a feed of all groups or of one group');
    const user = await getUser(db, actor.practiceId, input.userId ?? actor.id);
    if (actor.role !== 'admin' && user.id !== actor.id) throw forbidden('A CLP can create a facilitator feed only for their own sessions');
    userId = user.id;
    defaultName = `${user.name}: community groups`;
  } else {
    const practice = await db.selectFrom('practices').select('name').where('id', '=', actor.practiceId).executeTakeFirstOrThrow();
    defaultName = `${practice.name}: community groups`;
  }
  const token = randomToken();
  const feed = await db
    .insertInto('calendar_feeds')
    .values({
      practice_id: actor.practiceId,
      scope: input.scope,
      group_id: groupId,
      user_id: userId,
      name: input.name ?? defaultName,
      token_hash: await sha256Hex(token),
      created_by: actor.id,
      created_at: now,
      revoked_at: null,
      last_accessed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { feed, token };
}

/** The practice's live feeds; a group leader sees only their own. */
export function listFeeds(db: Db, actor: { practiceId: number; id: number; role: string }) {
  let q = db.selectFrom('calendar_feeds').selectAll().where('practice_id', '=', actor.practiceId).where('revoked_at', 'is', null);
  if (actor.role === 'leader') q = q.where('created_by', '=', actor.id);
  return q.orderBy('id').execute();
}

/** Revocation takes effect at once: the token no longer resolves. */
/** Admins and CLPs revoke any feed of the practice; staff only the ones they made (a link of theirs that leaked). */
export async function revokeFeed(db: Db, actor: FeedActor, id: number, now: number): Promise<void> {
  const feed = await db
    .selectFrom('calendar_feeds')
    .select(['id', 'created_by'])
    .where('practice_id', '=', actor.practiceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!feed) throw notFound('Calendar feed');
  if ((actor.role === 'staff' || actor.role === 'leader') && feed.created_by !== actor.id) throw forbidden('You can revoke only the feeds you made');
  await db.updateTable('calendar_feeds').set({ revoked_at: now }).where('id', '=', feed.id).execute();
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** The live feed behind a token, or null; a poll updates last access at most every 5 minutes. */
export async function resolveFeedToken(db: Db, token: string, now: number): Promise<(CalendarFeed & { timezone: string; data_version: number }) | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const feed = await db
    .selectFrom('calendar_feeds')
    .innerJoin('practices', 'practices.id', 'calendar_feeds.practice_id')
    .selectAll('calendar_feeds')
    // The practice's data version comes along: an unchanged feed answers from this one query.
    .select(['practices.timezone', 'practices.data_version'])
    .where('token_hash', '=', await tokenHash(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!feed) return null;
  if (feed.last_accessed_at === null || now - feed.last_accessed_at > 5 * 60_000) {
    await db.updateTable('calendar_feeds').set({ last_accessed_at: now }).where('id', '=', feed.id).execute();
  }
  return feed;
}

export function feedUrls(publicBaseUrl: string, token: string) {
  const url = `${publicBaseUrl}/calendars/${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:\/\//, 'webcal://') };
}

/** What staff need to subscribe once and forget about it. */
export function subscriptionInstructions(webcalUrl: string, url: string) {
  return {
    outlook: `Outlook: Calendar → Add calendar → Subscribe from web, paste ${url}, give it a name, Import. Outlook checks for changes every few hours.`,
    google: `Google Calendar (on a computer): Other calendars → + → From URL, paste ${url}, Add calendar. Google refreshes subscribed calendars roughly every 8–24 hours.`,
    apple: `Apple Calendar: on iPhone tap ${webcalUrl} (or Settings → Calendar → Accounts → Add Subscribed Calendar); on a Mac, File → New Calendar Subscription and paste it. Set auto-refresh to every hour.`,
    privacy: 'The link is private: anyone with it can see group times and places (never patient details). If it leaks, revoke it and create a new one.',
  };
}
