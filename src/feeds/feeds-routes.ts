import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import type { CalendarFeed } from '../db/schema.js';
import { Id, IdParam, Text } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';
import { createFeed, feedUrls, listFeeds, revokeFeed, subscriptionInstructions } from './feeds-service.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';

const NewFeedBody = z
  .object({
    scope: z.enum(['practice', 'group', 'facilitator']),
    groupId: Id.optional(),
    userId: Id.optional(),
    name: Text(100).optional(),
  })
  .refine((b) => b.scope === 'group' || b.groupId === undefined, { path: ['groupId'], message: 'only a group feed takes groupId' })
  .refine((b) => b.scope === 'facilitator' || b.userId === undefined, { path: ['userId'], message: 'only a facilitator feed takes userId' });

function toFeedDto(f: CalendarFeed, zone: string): z.input<typeof FeedDto> {
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

/** `/calendar-feeds`: create (anyone; staff not a CLP's own), list (everyone, tokens never shown again), revoke. */
const doc = documented('Calendar feeds');
const FeedDto = z.object({
  id: z.number().int(),
  scope: z.enum(['practice', 'group', 'facilitator']),
  groupId: z.number().int().nullable(),
  userId: z.number().int().nullable(),
  name: z.string(),
  createdAt: ZonedTime,
  lastAccessedAt: ZonedTime.nullable(),
});
const NewFeedDto = FeedDto.extend({
  url: z.string().describe('The private .ics link: shown once'),
  webcalUrl: z.string(),
  instructions: z.object({ outlook: z.string(), google: z.string(), apple: z.string(), privacy: z.string() }),
});

export const feedRoutes = new Hono<AppEnv>()
  .get('/', doc('Live feeds (their links are never shown again)', { 200: itemsOf(FeedDto) }), async (c) =>
    c.json({ items: (await listFeeds(c.var.db, c.var.user)).map((f) => toFeedDto(f, c.var.user.timezone)) }),
  )
  .post(
    '/',
    doc('Create a private iCalendar feed for the practice, a group or a facilitator (staff: the practice or a group)', { 201: NewFeedDto }),
    validate('json', NewFeedBody),
    async (c) => {
      const { feed, token } = await createFeed(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('json'));
      const urls = feedUrls(c.var.config.publicBaseUrl, token);
      return c.json({ ...toFeedDto(feed, c.var.user.timezone), ...urls, instructions: subscriptionInstructions(urls.webcalUrl, urls.url) }, 201);
    },
  )
  .delete('/:id', doc('Revoke a feed: its link stops working (staff: only their own)', { 204: 'none' }), validate('param', IdParam), async (c) => {
    await revokeFeed(c.var.db, c.var.user, c.req.valid('param').id, c.var.clock.now().getTime());
    return c.body(null, 204);
  });
