import { createMiddleware } from 'hono/factory';
import { sql } from 'kysely';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../app-env.js';
import type { Db } from '../db/schema.js';
import { forbidden, notFound } from '../lib/errors.js';

/**
 * What a leader (a volunteer who leads particular groups) may ask the API for; everything else
 * answers 403 before any handler runs. Each of these then shows only the groups the leader
 * facilitates, and another group's ids answer 404, as another practice's do.
 */
const LEADER_MAY: [method: string, path: string][] = [
  ['GET', '/groups'],
  ['GET', '/groups/:id'],
  ['GET', '/groups/:id/sessions'],
  ['GET', '/sessions'],
  ['GET', '/sessions/:id'],
  ['GET', '/sessions/:id/register'],
  ['PUT', '/sessions/:id/register'],
  ['GET', '/concerns'],
  ['GET', '/concerns/:id'],
  ['POST', '/concerns'],
  ['GET', '/calendar-feeds'],
  ['POST', '/calendar-feeds'],
  ['DELETE', '/calendar-feeds/:id'],
  ['GET', '/practices'],
  // Their own checks only: the route refuses anyone else's.
  ['GET', '/users/:id/credentials'],
];

/** The pages a leader may open; the rest answer 403 (their own groups' ids are checked page by page). */
const LEADER_PAGES: [method: string, path: string][] = [
  ['GET', '/'],
  ['GET', '/today'],
  ['GET', '/sessions/:id'],
  ['GET', '/sessions/:id/register'],
  ['POST', '/sessions/:id/register'],
  ['GET', '/sessions/:id/register/print'],
  ['GET', '/concerns'],
  ['GET', '/concerns/new'],
  ['POST', '/concerns'],
  ['GET', '/concerns/:id'],
  ['GET', '/feeds'],
  ['POST', '/feeds'],
  ['POST', '/feeds/:id/revoke'],
  ['GET', '/practices'],
  ['POST', '/practices/switch'],
];

const routerOf = (list: [string, string][]) => {
  const r = new TrieRouter<true>();
  for (const [method, path] of list) r.add(method, path, true);
  return r;
};
const allowed = routerOf(LEADER_MAY);
const allowedPages = routerOf(LEADER_PAGES);
const FORBIDDEN = 'A group leader can see only the groups they lead: their sessions, registers and the concerns they raised';

/** Leaders reach only LEADER_MAY (the sign-in routes sit before this and are theirs too). */
export const leaderScope = createMiddleware<AppEnv>((c, next) => {
  // c.get, not c.var: Hono builds c.var afresh from its map at every read, and this runs on every request.
  if (c.get('user').role === 'leader') {
    const path = c.req.path.replace(/^\/api\/v1/, '') || '/';
    if (allowed.match(c.req.method, path)[0].length === 0) throw forbidden(FORBIDDEN);
  }
  return next();
});

/** The same for pages: a leader who follows an old link to a participant's page is told, not shown. */
export const leaderPages = createMiddleware<AppEnv>(async (c, next) => {
  if (c.var.user?.role === 'leader' && allowedPages.match(c.req.method, c.req.path)[0].length === 0) throw forbidden(FORBIDDEN);
  await next();
});

/** The groups a user facilitates in their practice: a leader's whole world. */
export async function groupsLedBy(db: Db, user: { id: number; practiceId: number }): Promise<Set<number>> {
  const rows = await db
    .selectFrom('group_facilitators as f')
    .innerJoin('community_groups as g', 'g.id', 'f.group_id')
    .select('f.group_id')
    .where('f.user_id', '=', user.id)
    .where('g.practice_id', '=', user.practiceId)
    .execute();
  return new Set(rows.map((r) => r.group_id));
}

/** The groups a leader may see, or null for anyone else (who sees the practice's). */
export async function leadersGroups(db: Db, user: { id: number; practiceId: number; role?: string }): Promise<Set<number> | null> {
  return user.role === 'leader' ? groupsLedBy(db, user) : null;
}

/** For a leader, a group they do not lead is not found; anyone else passes. */
export async function assertLeads(db: Db, user: { id: number; practiceId: number; role: string }, groupId: number, what = 'Group'): Promise<void> {
  if (user.role !== 'leader') return;
  if (!(await groupsLedBy(db, user)).has(groupId)) throw notFound(what);
}

/**
 * Of these people, those a leader may name: anyone given a place in (or waiting for) a group they
 * lead, or marked on one of its registers. Everyone else in the practice is not theirs to see.
 */
export async function peopleLeaderMayName(db: Db, led: Set<number>, ids: number[]): Promise<Set<number>> {
  if (led.size === 0 || ids.length === 0) return new Set();
  const groups = sql.join([...led]);
  const rows = await sql<{ id: number }>`
    SELECT participant_id AS id FROM enrolments WHERE group_id IN (${groups}) AND participant_id IN (${sql.join(ids)})
    UNION
    SELECT a.participant_id FROM attendance a JOIN sessions s ON s.id = a.session_id
    WHERE s.group_id IN (${groups}) AND a.participant_id IN (${sql.join(ids)})`.execute(db);
  return new Set(rows.rows.map((r) => r.id));
}
