import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage } from '../auth/auth-middleware.js';
import { IdParam } from '../lib/schemas.js';
import { validate } from '../lib/validate.js';
import { GroupDto, GroupPatchBody, NewGroupBody } from './group-schemas.js';
import { documented, itemsOf } from '../openapi/describe.js';

const doc = documented('Groups');
import { versionedAnswer } from '../answers/answer-cache.js';
import { createGroup, facilitatorIdsByGroup, getGroup, listGroups, toGroupDto, updateGroup } from './groups-service.js';
import type { Group } from '../db/schema.js';
import type { Db } from '../db/schema.js';
import { assertLeads, leadersGroups } from '../leaders/leader-access.js';

const ListQuery = z.object({ status: z.enum(['active', 'paused', 'archived']).optional() });

async function withFacilitators(db: Db, groups: Group[]) {
  const byGroup = await facilitatorIdsByGroup(
    db,
    groups.map((g) => g.id),
  );
  return groups.map((g) => toGroupDto(g, byGroup.get(g.id) ?? []));
}

export const groupRoutes = new Hono<AppEnv>()
  .get('/', doc('Groups of this practice', { 200: itemsOf(GroupDto) }), versionedAnswer, validate('query', ListQuery), async (c) => {
    const rows = await listGroups(c.var.db, c.var.user.practiceId, c.req.valid('query').status);
    const led = await leadersGroups(c.var.db, c.var.user);
    return c.json({ items: await withFacilitators(c.var.db, led ? rows.filter((g) => led.has(g.id)) : rows) });
  })
  .get('/:id', doc('One group', { 200: GroupDto }), validate('param', IdParam), async (c) => {
    const g = await getGroup(c.var.db, c.var.user.practiceId, c.req.valid('param').id);
    await assertLeads(c.var.db, c.var.user, g.id);
    return c.json((await withFacilitators(c.var.db, [g]))[0]);
  })
  .post('/', doc('Create a group; its sessions are laid out from the schedule', { 201: GroupDto }), canManage, validate('json', NewGroupBody), async (c) => {
    const { practiceId, timezone } = c.var.user;
    const g = await createGroup(c.var.db, c.var.clock, { practiceId, timezone, horizonDays: c.var.config.horizonDays }, c.req.valid('json'));
    return c.json((await withFacilitators(c.var.db, [g]))[0], 201);
  })
  .patch(
    '/:id',
    doc('Change a group; future sessions follow a new schedule', { 200: GroupDto }),
    canManage,
    validate('param', IdParam),
    validate('json', GroupPatchBody),
    async (c) => {
      const { practiceId, timezone } = c.var.user;
      const scope = { practiceId, timezone, horizonDays: c.var.config.horizonDays };
      const g = await updateGroup(c.var.db, c.var.clock, scope, c.req.valid('param').id, c.req.valid('json'));
      return c.json((await withFacilitators(c.var.db, [g]))[0]);
    },
  );
