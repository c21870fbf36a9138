import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../app-env.js';
import { canManage, requireRole } from '../auth/auth-middleware.js';
import { assertLeads } from '../leaders/leader-access.js';
import { familyInitial } from '../participants/person-name.js';
import { ATTENDANCE_STATUSES } from '../db/schema.js';
import { Id, IdParam, OptionalText, Text } from '../lib/schemas.js';
import { toZonedIso } from '../lib/time/time.js';
import { validate } from '../lib/validate.js';

import { needsCheckIn } from './check-ins.js';
import { saveRegister, type EntryResult } from './register-service.js';
import { getRegister, registerVersion } from './register-reads.js';
import { audit } from '../audit/audit-service.js';
import { getSession } from '../sessions/sessions-service.js';
import { completeJson } from '../answers/answer-headers.js';
import { SessionDto, toSessionDto } from '../sessions/sessions-service.js';
import { documented, itemsOf, ZonedTime } from '../openapi/describe.js';
import { sessionFlags, type SessionFlag } from '../leaders/session-flags.js';
import { SessionWarnings } from '../leaders/session-warnings-schema.js';
import { sha256Hex } from '../lib/crypto.js';

/** A register's answer with the session's warnings first: the kept body is the register alone. */
const withWarnings = (body: string, warnings: SessionFlag[]) => `{"warnings":${JSON.stringify(warnings)},${body.slice(1)}`;

const doc = documented('Registers');
/** CLPs, admins and the leaders of the session's group (checked per session). */
const takesRegisters = requireRole('admin', 'clp', 'leader');
const RegisterDto = z.object({
  warnings: SessionWarnings.describe(
    "The session's warnings, as on the session: worked out afresh on every read, since a check can lapse with no register change",
  ),
  results: z
    .array(
      z.object({
        participantId: z.number().int(),
        outcome: z.enum(['saved', 'cleared', 'unchanged', 'newer_kept', 'refused']),
        reason: z.string().optional().describe('Why an entry was refused, in words'),
      }),
    )
    .optional()
    .describe('After a save: what became of each entry sent'),
  session: SessionDto,
  headcount: z.number().int().nullable().describe('People who came but are not named'),
  takenAt: ZonedTime.nullable(),
  entries: z.array(
    z.object({
      participantId: z.number().int(),
      givenName: z.string().nullable(),
      familyName: z.string().nullable().describe('Null for a group leader, who reads the family initial only'),
      familyInitial: z.string().nullable(),
      firstTime: z.boolean().describe('Not yet at an earlier session of this group (present or late)'),
      needs: z.object({
        interpreterLanguage: z.string().nullable().describe('BCP 47 tag of the language an interpreter is needed for'),
        mobility: z.string().nullable(),
        transportArranged: z.boolean(),
        firstSessionSupport: z.string().nullable().describe('e.g. "meet at the gate"'),
      }),
      emergencyContact: z.string().nullable().describe("Only when the person gave one for the group's leaders to use"),
      enrolmentStatus: z.string().nullable().describe('active, waitlisted or withdrawn; null for a drop-in'),
      dropIn: z.boolean(),
      status: z.enum(ATTENDANCE_STATUSES).nullable(),
      recordedAt: ZonedTime.nullable(),
      recordedBy: z.object({ id: z.number().int(), name: z.string().nullable() }).nullable(),
    }),
  ),
});
const CheckInDto = z.object({
  groupId: z.number().int(),
  groupName: z.string(),
  participantId: z.number().int(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  phone: z.string().nullable(),
  lastMissed: ZonedTime,
});

const RegisterEntry = z.object({
  participantId: Id,
  // null clears a mark, or takes a drop-in off the register.
  status: z.enum(ATTENDANCE_STATUSES).nullable(),
  // When the mark was taken, e.g. offline at a park gate; an older mark never overwrites a newer one.
  recordedAt: z.iso
    .datetime({ offset: true })
    .transform((v) => Date.parse(v))
    .optional(),
  dropIn: z.boolean().optional(),
});

export const NewPersonBody = z.object({
  givenName: Text(100),
  familyName: OptionalText(100)
    .optional()
    .transform((v) => v ?? null),
  recordedAt: RegisterEntry.shape.recordedAt,
});

const RegisterBody = z.object({
  entries: z.array(RegisterEntry).max(500),
  newPeople: z.array(NewPersonBody).max(20).optional().describe('People not known yet who came: added by name as drop-ins, marked present, in the same save'),
  headcount: z.number().int().min(0).max(1000).optional(),
});

type Register = Awaited<ReturnType<typeof getRegister>>;

/** The register without its warnings, which are worked out on every answer (withWarnings). */
function toRegisterDto(r: Register & { results?: EntryResult[] }, zone: string, leader: boolean): Omit<z.input<typeof RegisterDto>, 'warnings'> {
  return {
    ...(r.results && { results: r.results }),
    session: toSessionDto(r.session, zone),
    headcount: r.session.headcount,
    takenAt: r.session.register_taken_at === null ? null : toZonedIso(r.session.register_taken_at, zone),
    entries: r.entries.map((e) => ({
      participantId: e.participant_id,
      givenName: e.erased_at === null ? e.given_name : null,
      familyName: e.erased_at === null && !leader ? e.family_name : null,
      familyInitial: e.erased_at === null ? familyInitial(e.family_name) : null,
      firstTime: Number(e.first_time) === 1,
      needs: {
        interpreterLanguage: e.interpreter_language,
        mobility: e.mobility,
        transportArranged: e.transport_arranged === 1,
        firstSessionSupport: e.first_session_support,
      },
      emergencyContact: e.emergency_contact,
      enrolmentStatus: e.enrolment_status,
      dropIn: e.drop_in === 1,
      status: e.status,
      recordedAt: e.recorded_at === null ? null : toZonedIso(e.recorded_at, zone),
      recordedBy: e.recorded_by === null ? null : { id: e.recorded_by, name: e.recorded_by_name },
    })),
  };
}

/** `/sessions/:id/register`: the attendance register, the service's evidence of impact. */
export const registerRoutes = new Hono<AppEnv>()
  .get(
    '/:id/register',
    doc(
      "A session's register: everyone enrolled and any drop-ins, with their marks (audited)",
      { 200: RegisterDto, 304: 'none' },
      { description: 'Answers carry an ETag; with If-None-Match and an unchanged register the answer is 304, and nothing is read or audited.' },
    ),
    takesRegisters,
    validate('param', IdParam),
    async (c) => {
      const { db, user, clock, answers, folds } = c.var;
      const now = clock.now().getTime();
      const session = await getSession(db, user.practiceId, c.req.valid('param').id);
      await assertLeads(db, user, session.group_id, 'Session');
      const version = await registerVersion(db, session, user);
      // Warnings turn on checks and dates the register's version does not follow: they are in its ETag.
      const warnings = (await sessionFlags(db, user, [session], now)).get(session.id) ?? [];
      const etag = version && `W/"register-${version}-${(await sha256Hex(JSON.stringify(warnings))).slice(0, 12)}"`;
      // The phone has this register as it is: nothing is shown anew, so nothing is read or audited.
      if (etag && c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
      const leader = user.role === 'leader';
      // A leader's answer holds less (no family names): kept apart from the CLPs'.
      const key = `register|${user.practiceId}|${session.id}|${user.timezone}|${leader ? 'leader' : 'full'}`;
      const kept = version ? answers.kept(key, version) : undefined;
      if (kept !== undefined) {
        // Shown again from memory: still a read of these people, folded into the last one when it repeats.
        await audit(db, user, now, { action: 'register_read', entity: 'session', entityId: session.id, shown: kept.shown, version: version! }, folds);
        return completeJson(c, withWarnings(kept.body, warnings), { etag: etag! });
      }
      const r = await getRegister(db, user, now, session.id, { session, version, folds });
      const body = JSON.stringify(toRegisterDto(r, user.timezone, leader));
      if (version)
        answers.set(
          key,
          version,
          body,
          r.entries.map((e) => e.participant_id),
        );
      // Answered as a kept one is, so the two never differ in what they say about themselves.
      return completeJson(c, withWarnings(body, warnings), etag ? { etag } : {});
    },
  )
  .put(
    '/:id/register',
    doc('Save marks: only the entries sent change; an older mark never overwrites a newer one', { 200: RegisterDto }),
    takesRegisters,
    validate('param', IdParam),
    validate('json', RegisterBody),
    async (c) => {
      const { entries, headcount, newPeople } = c.req.valid('json');
      const now = c.var.clock.now().getTime();
      const r = await saveRegister(c.var.db, c.var.user, now, c.req.valid('param').id, entries, headcount, newPeople);
      const warnings = (await sessionFlags(c.var.db, c.var.user, [r.session], now)).get(r.session.id) ?? [];
      return c.json({ warnings, ...toRegisterDto(r, c.var.user.timezone, c.var.user.role === 'leader') });
    },
  );

const CheckInQuery = z.object({ groupId: Id.optional() });

/** `/check-ins`: people who missed their last two sessions. */
export const checkInRoutes = new Hono<AppEnv>().get(
  '/',
  doc('People who missed their last two sessions, to check in with', { 200: itemsOf(CheckInDto) }),
  canManage,
  validate('query', CheckInQuery),
  async (c) => {
    const rows = await needsCheckIn(c.var.db, c.var.user, c.var.clock.now().getTime(), c.req.valid('query').groupId);
    return c.json({
      items: rows.map((r) => ({
        groupId: r.group_id,
        groupName: r.group_name,
        participantId: r.participant_id,
        givenName: r.given_name,
        familyName: r.family_name,
        phone: r.phone,
        lastMissed: toZonedIso(r.last_missed, c.var.user.timezone),
      })),
    });
  },
);
