import { assertPublishable, contactOf } from '../whats-on/publish-check.js';
import type { Db, DbOrTx, Group, GroupKind, GroupStatus } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import type { z } from 'zod';
import type { GroupDto } from './group-schemas.js';
import { invalid, notFound } from '../lib/errors.js';
import { SYNC_QUERIES, syncGroupSessions } from '../sessions/session-sync.js';
import { AFTER_WRITE_QUERIES, canQuery } from '../db/query-budget.js';
import { usableVenue } from '../venues/venues-service.js';
import type { Schedule } from './recurrence.js';
import { scheduleOf } from '../sessions/session-sync.js';
import { promoteFromWaitlist } from '../enrolments/waitlist.js';
import { atomic } from '../db/atomic.js';

/** 24 h and 2 h before, as DESIGN.md says; the migration's column default matches. */
export const DEFAULT_REMINDER_OFFSETS = [1440, 120];

export interface GroupInput {
  name: string;
  kind: GroupKind;
  venueId: number;
  capacity: number | null;
  description: string | null;
  smsLabel: string | null;
  smsLabels?: Record<string, string> | null;
  facilitatorIds: number[];
  reminderOffsetsMinutes: number[];
  status: GroupStatus;
  schedule: Schedule;
  participantsPerLeader?: number | null;
  requiresFirstAid?: boolean;
  public?: boolean;
  publicName?: string | null;
  publicSummary?: string | null;
  publicContact?: { phone?: string; email?: string; url?: string } | null;
}

interface Scope {
  practiceId: number;
  timezone: string;
  horizonDays: number;
}

export async function getGroup(db: DbOrTx, practiceId: number, id: number): Promise<Group> {
  const row = await db.selectFrom('community_groups').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Group');
  return row;
}

async function checkFacilitators(db: DbOrTx, practiceId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db
    .selectFrom('memberships')
    .select('user_id')
    .where('practice_id', '=', practiceId)
    .where('role', 'in', ['admin', 'clp', 'leader'])
    .where('disabled_at', 'is', null)
    .where('user_id', 'in', ids)
    .execute();
  if (found.length !== new Set(ids).size) {
    throw invalid('Every facilitator must be a CLP, admin or group leader of this practice', [
      { path: 'facilitatorIds', message: 'unknown, or not a CLP or leader' },
    ]);
  }
}

function columnsOf(input: Partial<GroupInput>) {
  const s = input.schedule;
  return {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.kind !== undefined && { kind: input.kind }),
    ...(input.venueId !== undefined && { venue_id: input.venueId }),
    ...(input.capacity !== undefined && { capacity: input.capacity }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.smsLabel !== undefined && { sms_label: input.smsLabel }),
    ...(input.smsLabels !== undefined && { sms_labels: input.smsLabels && Object.keys(input.smsLabels).length ? JSON.stringify(input.smsLabels) : null }),
    ...(input.reminderOffsetsMinutes !== undefined && { reminder_offsets: JSON.stringify(input.reminderOffsetsMinutes) }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.participantsPerLeader !== undefined && { participants_per_leader: input.participantsPerLeader }),
    ...(input.requiresFirstAid !== undefined && { requires_first_aid: input.requiresFirstAid ? 1 : 0 }),
    ...(input.public !== undefined && { public: input.public ? 1 : 0 }),
    ...(input.publicName !== undefined && { public_name: input.publicName }),
    ...(input.publicSummary !== undefined && { public_summary: input.publicSummary }),
    ...(input.publicContact !== undefined && { public_contact: input.publicContact ? JSON.stringify(input.publicContact) : null }),
    ...(s && {
      frequency: s.frequency,
      weekdays: s.weekdays.join(','),
      week_of_month: s.weekOfMonth,
      start_time: s.startTime,
      duration_minutes: s.durationMinutes,
      start_date: s.startDate,
      until_date: s.until,
      occurrence_count: s.count,
    }),
  };
}

/**
 * Brings the group's sessions in line now, or, where a request may make only so many queries (D1)
 * and too few are left, marks the group for the next reminder pass, which syncs it first.
 */
async function syncOrDefer(tx: DbOrTx, group: Group, scope: Scope, now: number): Promise<void> {
  if (canQuery(SYNC_QUERIES + AFTER_WRITE_QUERIES)) await syncGroupSessions(tx, group, scope.timezone, now, scope.horizonDays);
  else if (group.materialised_until !== null) {
    await tx.updateTable('community_groups').set({ materialised_until: null }).where('id', '=', group.id).execute();
  }
}

/** Creates a group and materialises its sessions in one transaction. */
export async function createGroup(db: Db, clock: Clock, scope: Scope, input: GroupInput): Promise<Group> {
  const now = clock.now().getTime();
  return atomic(db, async (tx) => {
    await usableVenue(tx, scope.practiceId, input.venueId);
    await checkFacilitators(tx, scope.practiceId, input.facilitatorIds);
    if (input.public) await assertPublishable(tx, scope.practiceId, publicFieldsOf(input, null), input.venueId);
    const group = await tx
      .insertInto('community_groups')
      .values({
        practice_id: scope.practiceId,
        ...columnsOf(input),
        ...(input.public && { public_uuid: crypto.randomUUID(), listing_changed_at: now }),
        materialised_until: null,
        created_at: now,
        updated_at: now,
      } as never)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (input.facilitatorIds.length > 0) {
      await tx
        .insertInto('group_facilitators')
        .values([...new Set(input.facilitatorIds)].map((user_id) => ({ group_id: group.id, user_id })))
        .execute();
    }
    await syncOrDefer(tx, group, scope, now);
    return group;
  });
}

/** Changes a group; schedule, venue or status changes regenerate only untouched future sessions. */
export async function updateGroup(db: Db, clock: Clock, scope: Scope, id: number, input: Partial<GroupInput>): Promise<Group> {
  const now = clock.now().getTime();
  return atomic(db, async (tx) => {
    const before = await getGroup(tx, scope.practiceId, id);
    if (input.venueId !== undefined) await usableVenue(tx, scope.practiceId, input.venueId);
    if (input.facilitatorIds !== undefined) {
      await checkFacilitators(tx, scope.practiceId, input.facilitatorIds);
      await tx.deleteFrom('group_facilitators').where('group_id', '=', id).execute();
      if (input.facilitatorIds.length > 0) {
        await tx
          .insertInto('group_facilitators')
          .values([...new Set(input.facilitatorIds)].map((user_id) => ({ group_id: id, user_id })))
          .execute();
      }
    }
    const listing = await listingChange(tx, scope.practiceId, before, input);
    const group = await tx
      .updateTable('community_groups')
      .set({
        ...columnsOf(input),
        ...(listing.changed && { listing_changed_at: now }),
        ...(listing.isPublic && before.public_uuid === null && { public_uuid: crypto.randomUUID() }),
        updated_at: now,
      })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    // More room (or no limit at all) lets the waitlist in at once.
    if (input.capacity !== undefined) await promoteFromWaitlist(tx, group.id, now);
    if (input.schedule || input.venueId !== undefined || input.status !== undefined) {
      await syncOrDefer(tx, group, scope, now);
    }
    return group;
  });
}

function publicFieldsOf(input: Partial<GroupInput>, before: Group | null) {
  const contact = input.publicContact !== undefined ? (input.publicContact ? JSON.stringify(input.publicContact) : null) : (before?.public_contact ?? null);
  return {
    public_name: input.publicName !== undefined ? input.publicName : (before?.public_name ?? null),
    public_summary: input.publicSummary !== undefined ? input.publicSummary : (before?.public_summary ?? null),
    public_contact: contact,
  };
}

/**
 * Whether a change makes, keeps or stops the group being public, and whether what directories show
 * changed with it: checked before anything is written, so a refusal (422) leaves nothing half-done.
 */
async function listingChange(tx: DbOrTx, practiceId: number, before: Group, input: Partial<GroupInput>) {
  const isPublic = input.public ?? before.public === 1;
  if (isPublic) await assertPublishable(tx, practiceId, publicFieldsOf(input, before), input.venueId ?? before.venue_id);
  const flipped = input.public !== undefined && input.public !== (before.public === 1);
  const shown = [input.schedule, input.venueId, input.status, input.publicName, input.publicSummary, input.publicContact].some((v) => v !== undefined);
  return { isPublic, changed: flipped || (isPublic && shown) };
}

export function listGroups(db: Db, practiceId: number, status?: GroupStatus) {
  let q = db.selectFrom('community_groups').selectAll().where('practice_id', '=', practiceId);
  if (status) q = q.where('status', '=', status);
  return q.orderBy('name').execute();
}

export async function facilitatorIdsByGroup(db: Db, groupIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return map;
  const rows = await db.selectFrom('group_facilitators').selectAll().where('group_id', 'in', groupIds).orderBy('user_id').execute();
  for (const r of rows) map.get(r.group_id)?.push(r.user_id);
  return map;
}

export function toGroupDto(g: Group, facilitatorIds: number[]): z.input<typeof GroupDto> {
  const s = scheduleOf(g);
  return {
    id: g.id,
    name: g.name,
    kind: g.kind,
    description: g.description,
    venueId: g.venue_id,
    capacity: g.capacity,
    smsLabel: g.sms_label,
    smsLabels: g.sms_labels ? (JSON.parse(g.sms_labels) as Record<string, string>) : null,
    facilitatorIds,
    reminderOffsetsMinutes: JSON.parse(g.reminder_offsets) as number[],
    status: g.status,
    participantsPerLeader: g.participants_per_leader,
    requiresFirstAid: g.requires_first_aid === 1,
    public: g.public === 1,
    publicName: g.public_name,
    publicSummary: g.public_summary,
    publicContact: g.public_contact ? contactOf(g) : null,
    publicId: g.public_uuid,
    schedule: {
      frequency: s.frequency,
      weekdays: s.weekdays,
      ...(s.weekOfMonth !== null && { weekOfMonth: s.weekOfMonth }),
      startTime: s.startTime,
      durationMinutes: s.durationMinutes,
      startDate: s.startDate,
      ...(s.until !== null && { until: s.until }),
      ...(s.count !== null && { count: s.count }),
    },
  };
}
