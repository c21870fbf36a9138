import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import type { CalendarFeed } from '../db/schema.js';
import { Id, IdParam, Text } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time.js';
import { validate } from '../lib/validate.js';
import { createFeed, feedUrls, listFeeds, revokeFeed, subscriptionInstructions } from './feeds-service.js';

const NewFeedBody = z
  .object({
    scope: z.enum(['practice', 'group', 'facilitator']),
    groupId: Id.optional(),
    userId: Id.optional(),
    name: Text(100).optional(),
  })
  .refine((b) => b.scope === 'group' || b.groupId === undefined, { path: ['groupId'], message: 'only a group feed takes groupId' })
  .refine((b) => b.scope === 'facilitator' || b.userId === undefined, { path: ['userId'], message: 'only a facilitator feed takes userId' });

function toFeedDto(f: CalendarFeed, zone: string) {
  return {
    id: f.id,
    scope: f.scope,
    groupId: f.group_id,
    userId: f.user_id,
    name: f.name,
    createdAt: toZonedIso(f.created_at, zone),
    lastAccessedAt: f.last_accessed_at === null ? null : toZonedIso(f.last_accessed_at, zone),
  };
}

/** `/calendar-feeds`: create (admin, CLP), list (everyone, tokens never shown again), revoke. */
export const feedRoutes = new Hono<AppEnv>()
  .get('/', async (c) => c.json({ items: (await listFeeds(c.var.db, c.var.user.practiceId)).map((f) => toFeedDto(f, c.var.user.timezone)) }))
  .post('/', canManage, validate('json', NewFeedBody), async (c) => {
    const { feed, token } = await createFeed(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('json'));
    const urls = feedUrls(c.var.config.publicBaseUrl, token);
    return c.json({ ...toFeedDto(feed, c.var.user.timezone), ...urls, instructions: subscriptionInstructions(urls.webcalUrl, urls.url) }, 201);
  })
  .delete('/:id', canManage, validate('param', IdParam), async (c) => {
    await revokeFeed(c.var.db, c.var.user.practiceId, c.req.valid('param').id, c.var.clock.now().getTime());
    return c.body(null, 204);
  });
